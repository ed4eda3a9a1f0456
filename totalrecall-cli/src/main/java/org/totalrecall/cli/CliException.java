package org.totalrecall.cli;

/**
 * A failure the command reports to the user as one line on stderr and a specific exit code ({@link
 * ExitCodes}). The message is complete in itself: it names the flag, file, id or section concerned.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * A failure with exit code {@code exitCode} ({@link ExitCodes}) and a complete one-line message.
   */
  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** As {@link #CliException(int, String)}, keeping the cause for {@code --verbose}. */
  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A bad flag value or combination (exit 64). */
  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  /** Bad or inconsistent input data, an unknown id, or train/test leakage (exit 65). */
  public static CliException data(String message) {
    return new CliException(ExitCodes.DATA, message);
  }

  /** A missing input file or directory (exit 66). */
  public static CliException noInput(String message) {
    return new CliException(ExitCodes.NO_INPUT, message);
  }

  /** The exit code to end the process with. */
  public int exitCode() {
    return exitCode;
  }
}
