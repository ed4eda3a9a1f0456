package org.totalrecall.train;

/**
 * Training produced a NaN or infinite value. The trainer checks every batch loss and, once per
 * epoch, every table entry (as implicit's {@code _check_factors}); the message names the epoch
 * (1-based) and the table ({@code "users"}, {@code "items"}, or {@code "loss"} when the loss
 * became non-finite while both tables were still finite). Typical causes: a learning rate or
 * temperature too extreme for the data.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int epoch;
  private final String table;

  public TrainingDivergedException(int epoch, String table) {
    super("training diverged in epoch " + epoch + ": non-finite values in " + table
        + " (try a smaller learning rate or a larger temperature)");
    this.epoch = epoch;
    this.table = table;
  }

  /** The 1-based epoch in which the non-finite value was found. */
  public int epoch() {
    return epoch;
  }

  /** {@code "users"}, {@code "items"} or {@code "loss"}. */
  public String table() {
    return table;
  }
}
