package org.totalrecall.train;

import org.totalrecall.util.Checks;

/**
 * Adam (Kingma &amp; Ba 2015, ICLR, Algorithm 1) applied lazily per row: only the rows in a batch
 * are updated ("lazy" or sparse Adam, as TensorFlow's LazyAdam and PyTorch's SparseAdam).
 * Per coordinate of a touched row:
 *
 * <pre>
 *   m ← β1·m + (1 − β1)·g        v ← β2·v + (1 − β2)·g²
 *   t_r ← t_r + 1                 w ← w − η · (m / (1 − β1^t_r)) / (√(v / (1 − β2^t_r)) + ε)
 * </pre>
 *
 * Bias correction uses the row's own step count t_r (the number of updates that row has had),
 * not the global step: a row's moments have been averaged over exactly t_r gradients, so this is
 * the correction Algorithm 1 derives for them. (Dense Adam would also decay the moments of rows
 * absent from a batch and keep moving them; that costs O(table) per batch and is not done.)
 * β^t_r is kept per row as a running product rather than recomputed with pow.
 *
 * <p>State: two moments per parameter, a step count and two running powers per row.
 */
public final class AdamOptimizer implements RowOptimizer {
  private final int dim;
  private final float learningRate;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float[] m;
  private final float[] v;
  private final int[] steps;
  private final double[] beta1Power;
  private final double[] beta2Power;

  public AdamOptimizer(int rows, int dim, float learningRate, float beta1, float beta2, float epsilon) {
    Checks.nonNegative("rows", rows);
    this.dim = Checks.positive("dim", dim);
    this.learningRate = Checks.positive("learningRate", learningRate);
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
    this.steps = new int[rows];
    this.beta1Power = new double[rows];
    this.beta2Power = new double[rows];
    java.util.Arrays.fill(beta1Power, 1.0);
    java.util.Arrays.fill(beta2Power, 1.0);
  }

  /** The number of steps row {@code row} has taken. */
  public int steps(int row) {
    return steps[row];
  }

  @Override
  public void step(float[] params, int pOff, float[] grad, int gOff, int row) {
    steps[row]++;
    double p1 = beta1Power[row] * beta1;
    double p2 = beta2Power[row] * beta2;
    beta1Power[row] = p1;
    beta2Power[row] = p2;
    // w -= η/(1−β1^t) · m / (√v / √(1−β2^t) + ε): fold both corrections into two scalars
    final float stepSize = (float) (learningRate / (1.0 - p1));
    final float invSqrtBc2 = (float) (1.0 / Math.sqrt(1.0 - p2));
    final float b1 = beta1;
    final float b2 = beta2;
    final float c1 = 1f - b1;
    final float c2 = 1f - b2;
    final float eps = epsilon;
    final float[] mm = m;
    final float[] vv = v;
    final int sOff = row * dim;
    for (int k = 0; k < dim; k++) {
      float g = grad[gOff + k];
      float mk = b1 * mm[sOff + k] + c1 * g;
      float vk = b2 * vv[sOff + k] + c2 * g * g;
      mm[sOff + k] = mk;
      vv[sOff + k] = vk;
      params[pOff + k] -= stepSize * mk / ((float) Math.sqrt(vk) * invSqrtBc2 + eps);
    }
  }
}
