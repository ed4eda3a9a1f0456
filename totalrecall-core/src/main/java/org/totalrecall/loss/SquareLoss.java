package org.totalrecall.loss;

import org.totalrecall.util.Checks;

/**
 * The pointwise square loss with example weights: the survey's (paper 001) eq. 9 with the square
 * loss of eq. 10a, regression targets y = 1 for the positive and y = 0 for each sampled negative,
 * sampled as in its Algorithm 1 (sec. 4.1). The sampled counterpart of the weighted square loss
 * that iALS minimises over all pairs (sec. 5).
 *
 * <pre>
 *   L_r = w_r · (s_pos − 1)² + α0 · Σ_{k=1..K} s_k²          (no ½ factors, as eq. 10a)
 *   dL_r/ds_pos = 2 w_r (s_pos − 1)        dL_r/ds_k = 2 α0 s_k
 * </pre>
 *
 * The row's example weight w_r weights the positive term only; every negative gets the constant
 * weight α0 = {@code negativeWeight} (eq. 9's α(c, j) for unobserved pairs, usually below the
 * positives' weight; see {@link LogisticLoss} and eq. 15 for how it combines with the sampler).
 * {@code logQ} is not read.
 *
 * <p>Stateless and immutable: thread-safe.
 */
public final class SquareLoss implements RowObjective {
  private final double negativeWeight;

  /** Negatives weighted 1. */
  public SquareLoss() {
    this(1.0);
  }

  /**
   * @param negativeWeight α0 ≥ 0, the weight of each negative's term (default 1)
   * @throws IllegalArgumentException if it is negative, infinite or NaN
   */
  public SquareLoss(double negativeWeight) {
    this.negativeWeight = Checks.nonNegative("negativeWeight", negativeWeight);
  }

  /** α0, the weight of each negative's term. */
  public double negativeWeight() {
    return negativeWeight;
  }

  @Override
  public double lossAndGradient(
      float[] scores, int rows, int width, float[] logQ, float[] weights, float[] grad) {
    RowBlocks.check(scores, rows, width, logQ, weights, grad);
    final double a0 = negativeWeight;
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      final int off = r * width;
      final double w = weights == null ? 1 : weights[r];
      final double residual = scores[off] - 1.0;
      loss += w * residual * residual;
      grad[off] = (float) (2 * w * residual);
      double negatives = 0;
      for (int k = 1; k < width; k++) {
        double s = scores[off + k];
        negatives += s * s;
        grad[off + k] = (float) (2 * a0 * s);
      }
      loss += a0 * negatives;
    }
    return loss;
  }
}
