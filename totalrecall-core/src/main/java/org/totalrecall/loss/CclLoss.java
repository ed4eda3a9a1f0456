package org.totalrecall.loss;

import org.totalrecall.util.Checks;

/**
 * The cosine contrastive loss (CCL) of SimpleX (Mao, Zhu, Wu, Chen, Cai &amp; He 2021, "SimpleX: A
 * Simple and Strong Baseline for Collaborative Filtering", CIKM): the positive's cosine is pulled
 * to 1, and each negative whose cosine exceeds the margin m is pushed down, the negatives' term
 * averaged over the row's K = width − 1 negatives and weighted by w_neg:
 *
 * <pre>
 *   L_row = w_row · [ (1 − s_pos) + (w_neg / K) · Σ_{k=1..K} max(0, s_k − m) ]
 *   dL/ds_pos = −w_row        dL/ds_k = w_row · w_neg / K if s_k &gt; m, else 0
 * </pre>
 *
 * <p><b>The scores must be cosine similarities</b> in [−1, 1], not divided by a temperature and not
 * raw dot products: the margin is a cosine, and the trainer passes the raw cosine for this
 * objective. Scores outside [−1.001, 1.001] (the slack is float rounding of a normalised dot
 * product) fail an assertion. At the kink s_k = m the subgradient 0 is used. A row without
 * negatives (width 1) has only the positive term. w_row is the row's example weight, applied to the
 * whole row; {@code logQ} is not read.
 *
 * <p>Stateless and immutable: thread-safe.
 */
public final class CclLoss implements RowObjective {
  /** How far a float cosine may stray outside [−1, 1] by rounding before it is a caller's bug. */
  private static final double COSINE_SLACK = 1e-3;

  private final double margin;
  private final double negativeWeight;

  /**
   * @param margin m in [−1, 1]: negatives with cosine above m are penalised (SimpleX tunes it per
   *     data set; there is no universal default)
   * @param negativeWeight w_neg ≥ 0, the weight of the negatives' mean hinge
   * @throws IllegalArgumentException if margin is outside [−1, 1] or NaN, or negativeWeight is
   *     negative, infinite or NaN
   */
  public CclLoss(double margin, double negativeWeight) {
    if (!(margin >= -1 && margin <= 1)) { // written so that NaN fails
      throw new IllegalArgumentException("margin must be a cosine in [-1, 1], got " + margin);
    }
    this.margin = margin;
    this.negativeWeight = Checks.nonNegative("negativeWeight", negativeWeight);
  }

  /** m, the cosine above which a negative is penalised. */
  public double margin() {
    return margin;
  }

  /** w_neg, the weight of the negatives' mean hinge. */
  public double negativeWeight() {
    return negativeWeight;
  }

  @Override
  public double lossAndGradient(
      float[] scores, int rows, int width, float[] logQ, float[] weights, float[] grad) {
    RowBlocks.check(scores, rows, width, logQ, weights, grad);
    final double m = margin;
    // the mean over K negatives; with none, the term is empty and its scale unused
    final double perNegative = width > 1 ? negativeWeight / (width - 1) : 0;
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      final int off = r * width;
      final double w = weights == null ? 1 : weights[r];
      final double positive = scores[off];
      assert Math.abs(positive) <= 1 + COSINE_SLACK
          : "CCL needs cosine scores, got " + positive + " at row " + r;
      double hinge = 0;
      final float active = (float) (w * perNegative);
      for (int k = 1; k < width; k++) {
        double s = scores[off + k];
        assert Math.abs(s) <= 1 + COSINE_SLACK
            : "CCL needs cosine scores, got " + s + " at (" + r + ", " + k + ")";
        double gap = s - m;
        if (gap > 0) {
          hinge += gap;
          grad[off + k] = active;
        } else {
          grad[off + k] = 0f;
        }
      }
      loss += w * ((1 - positive) + perNegative * hinge);
      grad[off] = (float) -w;
    }
    return loss;
  }
}
