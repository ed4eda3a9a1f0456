package org.totalrecall.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A model file that cannot be read: not a model file, an unsupported format version, a truncated or
 * corrupted section, or contents that contradict each other. It is an {@link IOException} because
 * it arises from reading a file, so callers that already handle I/O failures handle it too; callers
 * that distinguish "the file is bad" (a data error) from "the file could not be read" (an I/O
 * error) catch this type first.
 *
 * <p>The message names the file and, when the problem lies inside one, the section: {@code
 * model.trm: section 'item table' checksum mismatch (file corrupted)}.
 */
public final class ModelFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final String section;
  private final int versionFound;
  private final int[] versionsSupported;

  /**
   * @param file the file read
   * @param section the section where the problem lies, or null if it concerns the whole file
   * @param versionFound the format version the file declares, or -1 if it was not reached
   * @param problem what is wrong, without the file name
   */
  public ModelFormatException(Path file, String section, int versionFound, String problem) {
    super(file.getFileName() + ": " + problem);
    this.file = file;
    this.section = section;
    this.versionFound = versionFound;
    this.versionsSupported = ModelFormat.SUPPORTED_VERSIONS.clone();
  }

  /** The file that was read. */
  public Path file() {
    return file;
  }

  /** The section where the problem lies ("header", "metadata", "user ids", ...), or null. */
  public String section() {
    return section;
  }

  /** The format version the file declares, or -1 if the header could not be read. */
  public int versionFound() {
    return versionFound;
  }

  /** The format versions this build reads (a copy). */
  public int[] versionsSupported() {
    return versionsSupported.clone();
  }

  /** The message with the section, the version found and the versions supported, for logs. */
  public String details() {
    return getMessage()
        + " [section="
        + section
        + ", version="
        + versionFound
        + ", supported="
        + Arrays.toString(versionsSupported)
        + "]";
  }
}
