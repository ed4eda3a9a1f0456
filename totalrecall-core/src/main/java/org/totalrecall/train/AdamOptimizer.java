package org.totalrecall.train;

import org.totalrecall.util.Checks;

/**
 * Adam (Kingma &amp; Ba 2015, ICLR, Algorithm 1) with the semantics of PyTorch's and TensorFlow's
 * dense Adam on embedding tables, at the cost of a sparse update: only the rows in a batch are
 * written. At global step t (one step per mini-batch, counted from 1) every row r follows
 *
 * <pre>
 *   m ← β1·m + (1 − β1)·g        v ← β2·v + (1 − β2)·g²
 *   w ← w − η · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * </pre>
 *
 * with g = 0 when the row is not in the batch: its moments decay and, while m ≠ 0, it keeps moving.
 * Instead of touching every row each step, a row records the step t₀ of its last update, and when
 * it is next touched at step t the k = t − 1 − t₀ skipped zero-gradient steps are applied in closed
 * form: m and v decay by β1^k and β2^k, and w moves by {@code −η · m/(√v + ε) · Σ_{j=1..k}
 * (β1/√β2)^j · √(1 − β2^(t₀+j)) / (1 − β1^(t₀+j))}. The sum treats ε of the skipped steps as scaled
 * like √v (exact when ε ≪ √v) and stops once its terms fall below 1e-9 of the first (the ratio
 * β1/√β2 ≈ 0.90 makes that about 200 terms at most); with a decaying schedule the skipped steps use
 * the rate of the step that catches up. So a row seen every 12 batches takes the larger steps that
 * dense Adam gives it (its second moment decays between visits), which plain lazy Adam (per-row
 * step counts, no decay) does not. Rows not touched after their last update keep the moves they
 * would still have made: a final {@link #flush(float[], long)} applies them.
 *
 * <p>State: two moments per parameter and the last step per row.
 */
public final class AdamOptimizer implements RowOptimizer {
  private static final double NEGLIGIBLE = 1e-9;

  private final int dim;
  private final LearningRateSchedule schedule;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float[] m;
  private final float[] v;
  private final long[] lastStep;

  public AdamOptimizer(
      int rows, int dim, LearningRateSchedule schedule, float beta1, float beta2, float epsilon) {
    Checks.nonNegative("rows", rows);
    this.dim = Checks.positive("dim", dim);
    this.schedule = Checks.notNull("schedule", schedule);
    if (!(beta1 >= 0f && beta1 < 1f)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0f && beta2 < 1f)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = Checks.positive("epsilon", epsilon);
    int size = Math.multiplyExact(rows, dim);
    this.m = new float[size];
    this.v = new float[size];
    this.lastStep = new long[rows];
  }

  @Override
  public java.util.Map<String, Object> state() {
    return java.util.Map.of("m", m, "v", v, "lastStep", lastStep);
  }

  /** The global step of the row's last update (0 if never updated). */
  public long lastStep(int row) {
    return lastStep[row];
  }

  @Override
  public void step(float[] params, int pOff, float[] grad, int gOff, int row, long step) {
    final long last = lastStep[row];
    final int sOff = row * dim;
    final float[] mm = m;
    final float[] vv = v;
    final float eps = epsilon;
    if (last > 0 && step - 1 > last) {
      catchUp(params, pOff, sOff, last, step - 1 - last, schedule.rateAt(step));
    }
    if (step > last) {
      lastStep[row] = step; // with several workers a later step may have come first: keep the max
    }
    final double bc1 = 1.0 - Math.pow(beta1, (double) step);
    final double bc2 = 1.0 - Math.pow(beta2, (double) step);
    // w -= η/(1−β1^t) · m / (√v / √(1−β2^t) + ε): fold both corrections into two scalars
    final float stepSize = (float) (schedule.rateAt(step) / bc1);
    final float invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
    final float b1 = beta1;
    final float b2 = beta2;
    final float c1 = 1f - b1;
    final float c2 = 1f - b2;
    for (int k = 0; k < dim; k++) {
      float g = grad[gOff + k];
      float mk = b1 * mm[sOff + k] + c1 * g;
      float vk = b2 * vv[sOff + k] + c2 * g * g;
      mm[sOff + k] = mk;
      vv[sOff + k] = vk;
      params[pOff + k] -= stepSize * mk / ((float) Math.sqrt(vk) * invSqrtBc2 + eps);
    }
  }

  /**
   * Applies to every row the moves it would have made in the zero-gradient steps after its last
   * update, up to and including {@code step}.
   */
  @Override
  public void flush(float[] params, long step) {
    for (int row = 0; row < lastStep.length; row++) {
      long last = lastStep[row];
      if (last > 0 && step > last) {
        catchUp(params, row * dim, row * dim, last, step - last, schedule.rateAt(step));
        lastStep[row] = step;
      }
    }
  }

  /** Applies k zero-gradient steps after step {@code last} to the row at pOff / sOff. */
  private void catchUp(float[] params, int pOff, int sOff, long last, long k, float rate) {
    final double r = beta1 / Math.sqrt(beta2);
    double b1Pow = Math.pow(beta1, (double) last);
    double b2Pow = Math.pow(beta2, (double) last);
    double rPow = 1;
    double factor = 0;
    for (long j = 1; j <= k; j++) {
      rPow *= r;
      b1Pow *= beta1;
      b2Pow *= beta2;
      double term = rPow * Math.sqrt(1 - b2Pow) / (1 - b1Pow);
      factor += term;
      if (term < NEGLIGIBLE * factor) {
        break;
      }
    }
    final float move = (float) (rate * factor);
    final float d1 = (float) Math.pow(beta1, (double) k);
    final float d2 = (float) Math.pow(beta2, (double) k);
    final float eps = epsilon;
    final float[] mm = m;
    final float[] vv = v;
    for (int c = 0; c < dim; c++) {
      float mk = mm[sOff + c];
      float vk = vv[sOff + c];
      params[pOff + c] -= move * mk / ((float) Math.sqrt(vk) + eps);
      mm[sOff + c] = mk * d1;
      vv[sOff + c] = vk * d2;
    }
  }
}
