package org.totalrecall.data;

import java.nio.file.Path;

/**
 * A malformed row in an interaction (or category) file. The message always names the file (by
 * {@link Path#getFileName()}), the 1-based physical line and the field, in the form
 *
 * <pre>
 *   ml-1m.train.rating:1042: field 'item' is not an integer, got "x7"
 * </pre>
 *
 * <p>{@link #file()} keeps the full path as given to the reader. Immutable.
 */
public final class InteractionFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long lineNumber;
  private final String field;

  /**
   * A row error: the message is {@code <fileName>:<line>: field '<field>' <problem>}.
   *
   * @param file the file read (its file name goes into the message)
   * @param lineNumber 1-based physical line number
   * @param field the field's role ("user", "item", "weight", "timestamp", ...)
   * @param problem what is wrong, with the offending text quoted
   */
  public InteractionFormatException(Path file, long lineNumber, String field, String problem) {
    super(displayName(file) + ":" + lineNumber + ": field '" + field + "' " + problem);
    this.file = file;
    this.lineNumber = lineNumber;
    this.field = field;
  }

  /** The name used for {@code file} in messages: {@link Path#getFileName()} (or the path if none). */
  static String displayName(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  /** The file as given to the reader. */
  public Path file() {
    return file;
  }

  /** The 1-based physical line number of the bad row. */
  public long lineNumber() {
    return lineNumber;
  }

  /** The role of the bad field ("user", "item", "weight", "timestamp", "pair", ...). */
  public String field() {
    return field;
  }
}
