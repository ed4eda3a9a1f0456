package org.totalrecall.train;

import java.util.Map;

/**
 * Progress callbacks of {@link Trainer} (the CLI draws its progress bar from them). All methods
 * have empty defaults. Calls are serialised by the trainer (never two at once), but {@link
 * #onProgress} may come from any worker thread; implementations must be cheap.
 */
public interface TrainingListener {
  /** An epoch (1-based) begins; it will consume {@code epochRecords} positive pairs. */
  default void onEpochStart(int epoch, long epochRecords) {}

  /**
   * Records consumed so far in the current epoch; called at most about once per 4,096 records (once
   * per mini-batch when batches are larger) and not necessarily in increasing order when several
   * workers report.
   */
  default void onProgress(int epoch, long recordsInEpoch) {}

  /**
   * An epoch ended.
   *
   * @param meanLoss the mean over the epoch's batches of the batch loss
   * @param recordsConsumed total positive pairs consumed since training began
   */
  default void onEpochEnd(int epoch, double meanLoss, long recordsConsumed) {}

  /** A validation finished; {@code improved} if it is the best so far on the monitored metric. */
  default void onEvaluation(
      int epoch, long recordsConsumed, Map<String, Double> metrics, boolean improved) {}
}
