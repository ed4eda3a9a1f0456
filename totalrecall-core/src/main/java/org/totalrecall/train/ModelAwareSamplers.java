package org.totalrecall.train;

/**
 * The rules the score-aware per-row samplers ({@code dns}, {@code aobpr}) share: item negatives
 * only, and no closed-form log Q, so no objective that corrects by it.
 */
final class ModelAwareSamplers {
  private ModelAwareSamplers() {}

  /** Refuses a ratio other than {@code 0:B}, naming the sampler. */
  static void requireItemNegatives(String sampler, Ratio ratio) {
    if (ratio.randomPairs() > 0 || ratio.userNegatives() > 0 || ratio.itemNegatives() < 1) {
      throw new IllegalArgumentException("--sampler " + sampler + " draws item negatives only: give --ratio 0:B, got "
          + ratio);
    }
  }

  /** The usage error when {@code objective} corrects by log Q, else null. */
  static String logQProblem(String sampler, ObjectiveSpec objective) {
    return objective.correctionWeight() > 0f ? "--sampler " + sampler + " has no closed-form log Q, which --objective "
        + objective.name() + " corrects by; use bpr, warp or a pointwise loss, or --no-logq" : null;
  }
}
