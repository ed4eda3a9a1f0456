package org.totalrecall.ann;

import java.io.IOException;

/**
 * An index file or directory that cannot be used: not one, another version, corrupted, or built for
 * other vectors.
 */
public final class IndexFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public IndexFormatException(String message) {
    super(message);
  }
}
