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

  private InteractionFormatException(Path file, long lineNumber, String message, boolean unused) {
    super(message);
    this.file = file;
    this.lineNumber = lineNumber;
    this.field = null;
  }

  /**
   * An error of a whole line rather than one field (bad encoding, a stray carriage return, gzip
   * data that ends or breaks there): {@code <fileName>:<line>: <problem>}; {@link #field()} is
   * null.
   */
  public static InteractionFormatException atLine(Path file, long lineNumber, String problem) {
    return new InteractionFormatException(
        file, lineNumber, displayName(file) + ":" + lineNumber + ": " + problem, false);
  }

  /**
   * An error of the file as a whole (e.g. it holds no interaction): {@code <fileName>: <problem>};
   * {@link #lineNumber()} is 0 and {@link #field()} null.
   */
  public static InteractionFormatException ofFile(Path file, String problem) {
    return new InteractionFormatException(file, 0, displayName(file) + ": " + problem, false);
  }

  /**
   * The name used for {@code file} in messages: {@link Path#getFileName()} (or the path if none).
   */
  static String displayName(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  /** The file as given to the reader. */
  public Path file() {
    return file;
  }

  /** The 1-based physical line number of the bad row; 0 for an error of the whole file. */
  public long lineNumber() {
    return lineNumber;
  }

  /**
   * The role of the bad field ("user", "item", "weight", "timestamp", "pair", ...); null for a line
   * or file error.
   */
  public String field() {
    return field;
  }
}
