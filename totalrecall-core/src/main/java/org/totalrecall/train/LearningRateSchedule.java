package org.totalrecall.train;

import org.totalrecall.util.Checks;

/**
 * The learning rate as a function of the global step (1-based mini-batch count over the run):
 * constant, or decaying linearly from the base rate towards 0 over all steps (as word2vec and
 * fastText decay theirs). Immutable and thread-safe.
 *
 * @param base the initial rate η₀ (finite, > 0)
 * @param decay how the rate changes over the run
 * @param totalSteps the number of steps of the run (epochs × batches per epoch), > 0
 */
public record LearningRateSchedule(float base, Decay decay, long totalSteps) {
  /** Shapes of the schedule. */
  public enum Decay {
    /** η(t) = η₀ (the TotalRecall / PyTorch peer recipe). */
    CONSTANT,
    /** η(t) = η₀ · (1 − (t − 1) / totalSteps): the last step uses η₀ / totalSteps. */
    LINEAR
  }

  public LearningRateSchedule {
    Checks.positive("base", base);
    Checks.notNull("decay", decay);
    Checks.positive("totalSteps", totalSteps);
  }

  /** A constant rate. */
  public static LearningRateSchedule constant(float base) {
    return new LearningRateSchedule(base, Decay.CONSTANT, 1);
  }

  /** The rate of global step {@code step} (1-based; steps past the end use the last rate). */
  public float rateAt(long step) {
    if (decay == Decay.CONSTANT) {
      return base;
    }
    long t = Math.min(Math.max(step, 1), totalSteps);
    return (float) (base * (1.0 - (double) (t - 1) / totalSteps));
  }
}
