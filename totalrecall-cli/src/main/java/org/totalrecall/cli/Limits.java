package org.totalrecall.cli;

/** Bounds on flag values that depend on the machine, checked before any work starts. */
final class Limits {
  private Limits() {}

  /** Threads per core accepted: beyond that threads only add memory and contention. */
  static final int THREADS_PER_CORE = 8;

  /** The most threads a command accepts on this machine: {@value #THREADS_PER_CORE} per core. */
  static int maxThreads() {
    return THREADS_PER_CORE * Runtime.getRuntime().availableProcessors();
  }

  /**
   * {@code value} if it is in [1, {@link #maxThreads()}].
   *
   * @throws CliException usage error naming {@code flag} and the limit
   */
  static int threads(int value, String flag) {
    int max = maxThreads();
    if (value < 1 || value > max) {
      throw CliException.usage(
          flag
              + " must be in [1, "
              + max
              + "] ("
              + THREADS_PER_CORE
              + " per core on this "
              + Runtime.getRuntime().availableProcessors()
              + "-core machine), got "
              + value);
    }
    return value;
  }
}
