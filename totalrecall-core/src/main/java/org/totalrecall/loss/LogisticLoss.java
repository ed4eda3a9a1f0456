package org.totalrecall.loss;

import org.totalrecall.util.Checks;

/**
 * The pointwise logistic (binary cross-entropy) loss with example weights: the survey's (paper 001)
 * eq. 9 with the logistic loss of eq. 10b, labels y = +1 for the positive and y = −1 for each
 * sampled negative, sampled as in its Algorithm 1 (sec. 4.1). With uniformly drawn items (or users,
 * or pairs) as negatives this is MFb of TotalRecall (paper 000, sec. 3.5; the MF of Rendle et al.
 * 2020 with the binary cross-entropy loss).
 *
 * <pre>
 *   L_r = w_r · l(s_pos, +1) + α0 · Σ_{k=1..K} l(s_k, −1),    l(ŷ, y) = log(1 + e^{−yŷ})
 *       = w_r · softplus(−s_pos) + α0 · Σ_k softplus(s_k)     (= −w log σ(s_pos) − α0 Σ_k log σ(−s_k))
 *   dL_r/ds_pos = −w_r · σ(−s_pos)        dL_r/ds_k = α0 · σ(s_k)
 * </pre>
 *
 * The row's example weight w_r (the interaction's confidence, eq. 9's α(c, i) of an observed pair)
 * weights the positive term only; every negative gets the constant weight α0 = {@code
 * negativeWeight} (eq. 9's α(c, j) of an unobserved pair, the confidence in a weak negative). By
 * eq. 15, α0 and the sampler's q together fix the weight that the full loss over all pairs gives
 * the negatives, which is the knob MFb turns. {@code logQ} is not read.
 *
 * <p>Stateless and immutable: thread-safe.
 */
public final class LogisticLoss implements RowObjective {
  private final double negativeWeight;

  /** Negatives weighted 1, as the positives of unit example weight. */
  public LogisticLoss() {
    this(1.0);
  }

  /**
   * @param negativeWeight α0 ≥ 0, the weight of each negative's term (default 1)
   * @throws IllegalArgumentException if it is negative, infinite or NaN
   */
  public LogisticLoss(double negativeWeight) {
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
      final double positive = scores[off];
      loss += w * Activations.softplus(-positive);
      grad[off] = (float) (-w * Activations.sigmoid(-positive));
      double negatives = 0;
      for (int k = 1; k < width; k++) {
        double s = scores[off + k];
        negatives += Activations.softplus(s);
        grad[off + k] = (float) (a0 * Activations.sigmoid(s));
      }
      loss += a0 * negatives;
    }
    return loss;
  }
}
