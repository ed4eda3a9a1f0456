package org.totalrecall.loss;

import org.totalrecall.util.Checks;

/**
 * The pointwise hinge loss with example weights: the survey's (paper 001) eq. 9 with the hinge loss
 * of eq. 10c, labels y = +1 for the positive and y = −1 for each sampled negative, and the eq.'s
 * margin 1 generalised to m, sampled as in its Algorithm 1 (sec. 4.1).
 *
 * <pre>
 *   L_r = w_r · max(0, m − s_pos) + α0 · Σ_{k=1..K} max(0, m + s_k)
 *   dL_r/ds_pos = −w_r if s_pos &lt; m, else 0        dL_r/ds_k = α0 if s_k &gt; −m, else 0
 * </pre>
 *
 * The hinge is not differentiable at its kink (s_pos = m, s_k = −m); there the subgradient 0 is
 * used, as a score exactly on the margin counts as satisfied. The row's example weight w_r weights
 * the positive term only; every negative gets the constant weight α0 = {@code negativeWeight} (see
 * {@link LogisticLoss}). {@code logQ} is not read.
 *
 * <p>Stateless and immutable: thread-safe.
 */
public final class HingeLoss implements RowObjective {
  private final double margin;
  private final double negativeWeight;

  /** Margin 1 (eq. 10c) and negatives weighted 1. */
  public HingeLoss() {
    this(1.0, 1.0);
  }

  /**
   * @param margin m ≥ 0 (default 1): positives are pushed to at least m, negatives to at most −m
   * @param negativeWeight α0 ≥ 0, the weight of each negative's term (default 1)
   * @throws IllegalArgumentException if either is negative, infinite or NaN
   */
  public HingeLoss(double margin, double negativeWeight) {
    this.margin = Checks.nonNegative("margin", margin);
    this.negativeWeight = Checks.nonNegative("negativeWeight", negativeWeight);
  }

  /** m, the margin. */
  public double margin() {
    return margin;
  }

  /** α0, the weight of each negative's term. */
  public double negativeWeight() {
    return negativeWeight;
  }

  @Override
  public double lossAndGradient(
      float[] scores, int rows, int width, float[] logQ, float[] weights, float[] grad) {
    RowBlocks.check(scores, rows, width, logQ, weights, grad);
    final double m = margin;
    final double a0 = negativeWeight;
    final float negativeGrad = (float) a0;
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      final int off = r * width;
      final double w = weights == null ? 1 : weights[r];
      final double positiveGap = m - scores[off];
      if (positiveGap > 0) {
        loss += w * positiveGap;
        grad[off] = (float) -w;
      } else {
        grad[off] = 0f; // satisfied, or exactly on the kink: subgradient 0
      }
      double negatives = 0;
      for (int k = 1; k < width; k++) {
        double gap = m + scores[off + k];
        if (gap > 0) {
          negatives += gap;
          grad[off + k] = negativeGrad;
        } else {
          grad[off + k] = 0f;
        }
      }
      loss += a0 * negatives;
    }
    return loss;
  }
}
