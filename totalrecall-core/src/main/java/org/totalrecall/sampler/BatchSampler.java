package org.totalrecall.sampler;

import java.util.random.RandomGenerator;

/**
 * Supplies the negative candidates of a mini-batch and their log-probabilities, for batch
 * objectives such as InfoNCE: the user candidates form the rows and the item candidates the columns
 * of the batch score matrix. Every sampler reports log Q of what it produced so that the logQ
 * correction (Yi et al. 2019) and diagnostics work for any of them. In-batch sampling is {@link
 * InBatchSampler}; later samplers (uniform, popularity, mixed, queues) append extra candidates
 * after the positives.
 *
 * <p>The instance built for a run is shared; each worker calls {@link #forWorker()} once and
 * samples through what it returns, so a sampler that keeps state (queues, pools, caches) gives each
 * worker its own. Randomness is passed in, and all output goes to the caller's {@link
 * BatchCandidates}.
 */
public interface BatchSampler {
  /** The layout of the candidates this sampler produces. */
  default CandidateLayout layout() {
    return CandidateLayout.SHARED;
  }

  /**
   * The sampler one worker uses, created once per worker: {@code this} for a stateless sampler, a
   * fresh instance with its own state otherwise.
   */
  default BatchSampler forWorker() {
    return this;
  }

  /**
   * Fills {@code out} with the batch's positives first (users[b] = batchUsers[from + b], items[b] =
   * batchItems[from + b] for b &lt; size) followed by any extra candidates, with their
   * log-probabilities, and sets its counts. Indices are dense.
   *
   * @param batchUsers users of the positive pairs (read only)
   * @param batchItems items of the positive pairs (read only)
   * @param from first pair of the batch
   * @param size number of pairs in the batch; at most {@code out}'s capacity
   * @param rng the calling worker's generator
   * @param out the worker's reusable candidate buffer
   */
  void sample(
      int[] batchUsers,
      int[] batchItems,
      int from,
      int size,
      RandomGenerator rng,
      BatchCandidates out);

  /**
   * Called on each worker's sampler before the epoch's first batch (1-based epochs). A sampler with
   * state (a queue) resets it here, so that a run resumed from an epoch's checkpoint samples what
   * the uninterrupted run samples; nothing by default.
   */
  default void beginEpoch(int epoch) {}

  /**
   * Whether this sampler also chooses, after the batch's scores are computed, which of the shared
   * item candidates each user row's softmax sees ({@link #resample}); false by default: every row
   * sees the whole block.
   */
  default boolean resamplesByScore() {
    return false;
  }

  /**
   * For a sampler that {@link #resamplesByScore() resamples by score}: draws, for each of the
   * batch's positive rows, a multiset of its negative item candidates from the model's current
   * logits, and writes the log multiplicity of every column in row b's multiset to {@code
   * logMultiplicity[b·cols + c]} (−∞ for a column not drawn, 0 at the row's own positive, which is
   * always kept once). The u2i softmax then runs over that multiset (the loss adds the log
   * multiplicities to its logits); rows beyond the positives are not written. Called once per batch
   * on the worker's own sampler; the default does nothing.
   *
   * @param logits the rows × cols block the loss sees before its log Q correction (scores over τ;
   *     −∞ where masked)
   * @param candidates this batch's candidates, with the log Q each column was drawn with
   * @param rng the calling worker's generator
   * @param logMultiplicity output, row-major with {@code cols} columns
   */
  default void resample(
      float[] logits,
      int rows,
      int cols,
      BatchCandidates candidates,
      RandomGenerator rng,
      float[] logMultiplicity) {}

  /**
   * The largest number of user candidates this sampler produces for a batch of {@code batchSize}.
   */
  int maxUsers(int batchSize);

  /**
   * The largest number of item candidates this sampler produces for a batch of {@code batchSize}.
   */
  int maxItems(int batchSize);
}
