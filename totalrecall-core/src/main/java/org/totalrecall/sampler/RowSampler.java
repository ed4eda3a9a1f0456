package org.totalrecall.sampler;

import java.util.random.RandomGenerator;

/**
 * Supplies the negatives of each positive for per-row objectives (the {@link
 * CandidateLayout#PER_ROW} layout: BPR, WARP, pointwise losses, per-row sampled softmax): negative
 * items for the positive's user, negative users for the positive's item, or random pairs, each with
 * its log-probability under the sampler. What happens when a draw hits a positive of the row
 * (accidental hit) is stated by each implementation.
 *
 * <p>The instance built for a run is shared; each worker calls {@link #forWorker()} once.
 */
public interface RowSampler {
  /**
   * Fills rows {@code 0..size-1} of {@code out}: row b is the positive (users[from + b], items[from
   * + b]) with weight weights[from + b] (1 if {@code weights} is null) in column 0, followed by its
   * negatives.
   *
   * @param users users of the positives (read only)
   * @param items items of the positives (read only)
   * @param weights example weights of the positives, or null
   * @param from first positive
   * @param size number of positives, at most {@code out.maxRows()}
   * @param rng the calling worker's generator
   * @param out the worker's reusable buffer, of width {@link #width()}
   */
  void sample(
      int[] users,
      int[] items,
      float[] weights,
      int from,
      int size,
      RandomGenerator rng,
      RowCandidates out);

  /** 1 + the negatives per positive. */
  int width();

  /**
   * Called on each worker's instance before the epoch's first step (1-based epochs). A sampler
   * whose state derives from the tables rebuilds it here, so that a run resumed from an epoch's
   * checkpoint draws what the uninterrupted run draws; nothing by default.
   */
  default void beginEpoch(int epoch) {}

  /**
   * The sampler one worker uses: {@code this} if stateless, else a fresh instance with its own
   * state.
   */
  default RowSampler forWorker() {
    return this;
  }
}
