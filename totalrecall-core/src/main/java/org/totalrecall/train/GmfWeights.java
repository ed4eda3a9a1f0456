package org.totalrecall.train;

import java.util.Map;

/**
 * The learned weight vector h of the gmf scorer, φ(u,i) = hᵀ(u ⊙ i) (TotalRecall eq. 2's GMF; He et
 * al. 2017, eq. 9), and its optimizer, shared by a solver's workers.
 *
 * <p>The solvers score gmf as a dot product with the user side folded, u' = h ⊙ u, so their
 * dot-product pipelines run unchanged; with g = dL/du' from that pipeline the chain rule gives
 * dL/du = h ⊙ g and dL/dh = Σ u ⊙ g over the user rows of a step, and dL/di is the pipeline's own
 * gradient (it already multiplies by u' = h ⊙ u). A worker {@link #fold folds} its user rows,
 * {@link #backprop backpropagates} each user row's gradient into its own accumulator for h, and
 * applies it with {@link #step} once per step (Hogwild across workers, like any shared row). h
 * starts at 1, so a gmf model starts as the dot model, and takes the run's L2 penalty like the
 * tables (without it h could grow while u and i shrink, escaping the penalty).
 */
final class GmfWeights {
  private final float[] h;
  private final RowOptimizer optimizer;
  private final float l2;

  GmfWeights(TrainConfig config, LearningRateSchedule schedule) {
    this(
        ones(config.dim()),
        config.optimizer().create(1, config.dim(), config.optimization(), schedule),
        config.l2());
  }

  /** h (live, not copied), its optimizer (one row) and the L2 penalty; tests use it directly. */
  GmfWeights(float[] h, RowOptimizer optimizer, float l2) {
    this.h = h;
    this.optimizer = optimizer;
    this.l2 = l2;
  }

  private static float[] ones(int dim) {
    float[] h = new float[dim];
    java.util.Arrays.fill(h, 1f);
    return h;
  }

  /** The live h. */
  float[] weights() {
    return h;
  }

  /** out[outOff..] = h ⊙ out[outOff..] (a gathered user row becomes u' = h ⊙ u). */
  void fold(float[] out, int outOff) {
    final float[] w = h;
    for (int k = 0; k < w.length; k++) {
      out[outOff + k] *= w[k];
    }
  }

  /**
   * Turns g = dL/du' (at {@code g[gOff..]}) into dL/du = h ⊙ g and adds u ⊙ g to {@code gh}, where
   * u is the raw user row at {@code u[uOff..]}.
   */
  void backprop(float[] u, int uOff, float[] g, int gOff, float[] gh) {
    final float[] w = h;
    for (int k = 0; k < w.length; k++) {
      float gk = g[gOff + k];
      gh[k] += u[uOff + k] * gk;
      g[gOff + k] = w[k] * gk;
    }
  }

  /** Adds λ·h to the accumulated gradient {@code gh}, steps the optimizer on h and clears gh. */
  void step(float[] gh, long step) {
    if (l2 > 0f) {
      for (int k = 0; k < h.length; k++) {
        gh[k] += l2 * h[k];
      }
    }
    optimizer.step(h, 0, gh, 0, 0, step);
    java.util.Arrays.fill(gh, 0f);
  }

  void flush(long globalStep) {
    optimizer.flush(h, globalStep);
  }

  /** h and its optimizer's state, for checkpoints. */
  void addState(Map<String, Object> state) {
    state.put("gmfWeights", h);
    optimizer.state().forEach((k, v) -> state.put("gmfOptimizer." + k, v));
  }
}
