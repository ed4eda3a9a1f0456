package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.model.Scorer;
import org.totalrecall.sampler.NegativeDistribution;

/**
 * The rules the score-aware per-row samplers share: {@code dns} and {@code aobpr} draw item
 * negatives only and have no closed-form log Q, so no objective may correct by it; {@code adasir}
 * and {@code pris} draw negatives meant to be weighted by their log Q, so they need an objective
 * that reads it, from a uniform or log-popularity proposal; {@code aobpr} and {@code kernel} need
 * dot-product scores.
 */
final class ModelAwareSamplers {
  private ModelAwareSamplers() {}

  /** Refuses a ratio other than {@code 0:B}, naming the sampler. */
  static void requireItemNegatives(String sampler, Ratio ratio) {
    if (ratio.randomPairs() > 0 || ratio.userNegatives() > 0 || ratio.itemNegatives() < 1) {
      throw new IllegalArgumentException(
          "--sampler " + sampler + " draws item negatives only: give --ratio 0:B, got " + ratio);
    }
  }

  /** The usage error when {@code objective} corrects by log Q, else null. */
  static String logQProblem(String sampler, ObjectiveSpec objective) {
    return objective.correctionWeight() > 0f
        ? "--sampler "
            + sampler
            + " has no closed-form log Q, which --objective "
            + objective.name()
            + " corrects by; use bpr, warp or a pointwise loss, or --no-logq"
        : null;
  }

  /**
   * The usage error when {@code objective} ignores the importance weights of {@code sampler}'s log
   * Q, else null.
   */
  static String weightsProblem(String sampler, ObjectiveSpec objective) {
    return objective.correctionWeight() > 0f
        ? null
        : "--sampler "
            + sampler
            + " draws negatives to be weighted by"
            + " their log Q, which --objective "
            + objective.name()
            + " ignores; use is-bpr (paper 002 eq. 1) or"
            + " sampled-softmax";
  }

  /**
   * The usage error when {@code model} does not score by dot product, which {@code sampler}'s rule
   * needs, else null.
   */
  static String dotProblem(String sampler, String what, ModelSpec model) {
    return model.scorer() == Scorer.Kind.DOT
        ? null
        : "--sampler " + sampler + " " + what + ": give --scorer dot";
  }

  /**
   * The proposal of {@code adasir} and {@code pris} over the users ({@code users}) or the items:
   * uniform, or log-popularity q ∝ log(1 + count) (paper 002, sec. 4.3).
   */
  static NegativeDistribution proposal(Interactions train, boolean users, boolean popularity) {
    if (popularity) {
      return NegativeDistribution.logPopularity(users ? train.rowCounts() : train.colCounts());
    }
    return users
        ? NegativeDistribution.uniformUsers(train)
        : NegativeDistribution.uniformItems(train);
  }
}
