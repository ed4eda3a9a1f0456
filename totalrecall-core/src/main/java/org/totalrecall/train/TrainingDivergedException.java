package org.totalrecall.train;

/**
 * Training diverged: a loss or parameter became NaN or infinite, the batch loss grew over {@link
 * Trainer#EXPLOSION_FACTOR} times its value at initialisation, or (dot scorer) the tables grew so
 * large that scores would overflow float. The trainer checks every batch loss and, once per epoch,
 * every table entry (as implicit's {@code _check_factors}) and the score bound ({@link
 * org.totalrecall.model.NumericRange}); the message names the epoch (1-based) and what went wrong.
 * Typical causes: a learning rate or temperature too extreme for the data.
 *
 * <p>When the run validated and kept its best tables ({@link TrainConfig#keepBest()}), {@link
 * #bestFinite()} is the result as of the best validation before the divergence (every value
 * finite), which a caller may save; otherwise it is null and nothing should be saved.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int epoch;
  private final String table;
  private final transient TrainResult bestFinite;

  /** Non-finite values in {@code table} ("users", "items" or "loss"). */
  public TrainingDivergedException(int epoch, String table) {
    this(epoch, table, "non-finite values in " + table, null);
  }

  /**
   * @param epoch the 1-based epoch in which divergence was found
   * @param table "users", "items", "loss" or "scores"
   * @param what what was found, e.g. "the batch loss reached 5.9e17"
   * @param bestFinite the best validated result before it, or null
   */
  public TrainingDivergedException(int epoch, String table, String what, TrainResult bestFinite) {
    super(
        "training diverged in epoch "
            + epoch
            + ": "
            + what
            + " (try a smaller learning rate or a larger temperature)");
    this.epoch = epoch;
    this.table = table;
    this.bestFinite = bestFinite;
  }

  private TrainingDivergedException(TrainingDivergedException e, TrainResult bestFinite) {
    super(e.getMessage(), e);
    this.epoch = e.epoch;
    this.table = e.table;
    this.bestFinite = bestFinite;
  }

  /** The same divergence, carrying the best finite result of the run. */
  TrainingDivergedException withBestFinite(TrainResult best) {
    return new TrainingDivergedException(this, best);
  }

  /** The 1-based epoch in which the divergence was found. */
  public int epoch() {
    return epoch;
  }

  /** {@code "users"}, {@code "items"}, {@code "loss"} or {@code "scores"}. */
  public String table() {
    return table;
  }

  /**
   * The model and summary as of the best validation before the divergence (all values finite), or
   * null if the run kept no best tables.
   */
  public TrainResult bestFinite() {
    return bestFinite;
  }
}
