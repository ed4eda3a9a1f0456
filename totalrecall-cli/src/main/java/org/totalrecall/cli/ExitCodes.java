package org.totalrecall.cli;

/**
 * The process exit codes of the {@code totalrecall} command, from BSD's sysexits.h where one fits.
 * Scripts may rely on them.
 */
public final class ExitCodes {
  private ExitCodes() {}

  /** Success. */
  public static final int OK = 0;

  /** Training stopped because a loss or parameter became NaN or infinite. */
  public static final int TRAINING_DIVERGED = 1;

  /** EX_USAGE: unknown flag, missing or invalid flag value. */
  public static final int USAGE = 64;

  /** EX_DATAERR: malformed data row, bad or inconsistent model file, unknown id, leakage. */
  public static final int DATA = 65;

  /** EX_NOINPUT: an input file or directory does not exist or cannot be opened. */
  public static final int NO_INPUT = 66;

  /** EX_SOFTWARE: an internal error (a bug); run with --verbose for the stack trace. */
  public static final int INTERNAL = 70;

  /** EX_CANTCREAT: the output file (e.g. {@code --model}) cannot be created. */
  public static final int CANT_CREATE = 73;

  /** 128 + SIGKILL: the launcher that started this JVM died, so the JVM halted. */
  public static final int KILLED_WITH_LAUNCHER = 137;

  /** EX_IOERR: reading or writing failed (disk full, permissions, I/O error). */
  public static final int IO = 74;
}
