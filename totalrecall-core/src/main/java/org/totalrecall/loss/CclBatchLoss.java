package org.totalrecall.loss;

/**
 * SimpleX's cosine contrastive loss ({@link CclLoss}) over a shared block of candidates: every
 * positive u_b (row b &lt; B) against its own item in column b and the block's other columns as
 * negatives, the many-negatives setting of SimpleX (its 1,000 negatives per positive) at the cost
 * of one GEMM per batch instead of one dot product per negative:
 *
 * <pre>
 *   L = (1/B)·Σ_b [ (1 − s_bb) + (w_neg / K_b)·Σ_{c ≠ b, s_bc finite} max(0, s_bc − m) ]
 *   dL/ds_bb = −1/B        dL/ds_bc = w_neg / (B·K_b) if s_bc &gt; m, else 0
 * </pre>
 *
 * K_b counts row b's negatives: its finite entries besides the positive (the trainer writes −∞ over
 * the other positives' columns of a shared sample and over accidental hits, which so drop out of
 * both the sum and the count). Rows beyond B (sampled users) take no loss: CCL is a u2i loss. The
 * scores must be raw cosines (τ = 1); {@code rowLogQ} and {@code colLogQ} are not read. Stateless:
 * thread-safe.
 */
public final class CclBatchLoss implements BatchObjective {
  private final CclLoss row;

  /**
   * @see CclLoss#CclLoss(double, double)
   */
  public CclBatchLoss(double margin, double negativeWeight) {
    this.row = new CclLoss(margin, negativeWeight);
  }

  @Override
  public float lossAndGradient(
      float[] scores,
      int numPositives,
      int rows,
      int cols,
      float[] rowLogQ,
      float[] colLogQ,
      float[] grad) {
    if (numPositives < 1 || numPositives > rows || numPositives > cols) {
      throw new IllegalArgumentException(
          "numPositives " + numPositives + " outside 1.." + Math.min(rows, cols));
    }
    final double m = row.margin();
    final double w = row.negativeWeight();
    final double perRow = 1.0 / numPositives;
    java.util.Arrays.fill(grad, 0, rows * cols, 0f);
    double loss = 0;
    for (int b = 0; b < numPositives; b++) {
      final int off = b * cols;
      int negatives = 0;
      double hinge = 0;
      for (int c = 0; c < cols; c++) {
        float s = scores[off + c];
        if (c == b || s == Float.NEGATIVE_INFINITY) {
          continue;
        }
        negatives++;
        if (s > m) {
          hinge += s - m;
        }
      }
      final double scale = negatives > 0 ? w / negatives : 0;
      final float active = (float) (scale * perRow);
      if (active != 0f) {
        for (int c = 0; c < cols; c++) {
          float s = scores[off + c];
          if (c != b && s != Float.NEGATIVE_INFINITY && s > m) {
            grad[off + c] = active;
          }
        }
      }
      loss += (1 - scores[off + b]) + scale * hinge;
      grad[off + b] = (float) -perRow;
    }
    return (float) (loss * perRow);
  }

  @Override
  public boolean usesRowCorrection() {
    return false;
  }

  @Override
  public boolean usesColumnCorrection() {
    return false;
  }
}
