package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.Cholesky;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * The row solves of {@link IalsSpec}'s alternating least squares, shared by the single-machine
 * {@link IalsSolver} and the distributed trainer of the Spark module: for a row x with observed
 * partners y_1..y_n of confidences c_1..c_n against the fixed side's Gramian G,
 *
 * <pre>
 *   A x = b,   A = α0·G + Σ_k c_k y_k y_kᵀ + λ_x I,   b = Σ_k c_k y_k
 * </pre>
 *
 * by conjugate gradient from the current x, one sweep of coordinate descent, or Cholesky (see
 * {@link IalsSolver}). A row's partners are given as a CSR row: {@code cols[start..end)} with the
 * confidences {@code conf[start..end)}. Stateless apart from its settings; one {@link Scratch} per
 * thread.
 */
public final class IalsRows {
  private final IalsSpec spec;
  private final float l2;
  private final int dim;
  private final VectorOps ops;

  /**
   * @param spec the method's settings (solver, steps, α0, the L2 exponent, confidence)
   * @param l2 λ of the run
   * @param dim the width
   * @param ops the kernels
   */
  public IalsRows(IalsSpec spec, float l2, int dim, VectorOps ops) {
    this.spec = spec;
    this.l2 = l2;
    this.dim = dim;
    this.ops = ops;
  }

  /**
   * out (d×d) = Σ_r y_r y_rᵀ over every row of {@code table}, summed over the same fixed partition
   * of the rows and in the same order as the single-machine solver's (on one thread), so both get
   * the same bits.
   */
  public static void gramian(EmbeddingTable table, float[] out, VectorOps ops) {
    try (ParallelRows<Void> one = new ParallelRows<>(1, "totalrecall-gramian", t -> null)) {
      one.gramian(table, null, out, ops);
    }
  }

  /** c of every stored interaction of {@code m}, in the CSR's order. */
  public static float[] confidences(Interactions m, IalsSpec spec) {
    float[] c = new float[m.size()];
    for (int p = 0; p < c.length; p++) {
      c[p] = spec.confidence(m.weights() == null ? 1f : m.weight(p));
    }
    return c;
  }

  /**
   * Solves row {@code r} of {@code target} in place against {@code fixed}, whose Gramian is {@code
   * gram}; the row's partners are {@code cols[start..end)} (rows of {@code fixed}) with confidences
   * {@code conf[start..end)}.
   */
  public void solve(
      EmbeddingTable target,
      int r,
      EmbeddingTable fixed,
      int[] cols,
      float[] conf,
      int start,
      int end,
      float[] gram,
      Scratch s) {
    float lambda = rowL2(end - start, fixed.rows());
    switch (spec.solver()) {
      case CG -> solveCg(target, r, fixed, cols, conf, start, end, gram, lambda, s);
      case CHOLESKY -> solveCholesky(target, r, fixed, cols, conf, start, end, gram, lambda, s);
      case CD -> solveCd(target, r, fixed, cols, conf, start, end, gram, lambda, s);
    }
  }

  /**
   * λ of a row with {@code n} observed partners, against {@code others} rows: λ·(n + α0·others)^ν.
   */
  public float rowL2(int n, int others) {
    if (spec.l2Exponent() == 0f) {
      return l2;
    }
    return (float)
        (l2 * Math.pow(n + (double) spec.unobservedWeight() * others, spec.l2Exponent()));
  }

  /** y = α0·G·x + λ·x + Σ_k c_k (y_k·x) y_k over the row's observed partners. */
  private void applyA(
      float[] x,
      float[] out,
      EmbeddingTable fixed,
      int[] cols,
      float[] conf,
      int start,
      int end,
      float[] gram,
      float lambda) {
    final int d = dim;
    final float a0 = spec.unobservedWeight();
    final float[] fd = fixed.data();
    for (int a = 0; a < d; a++) {
      out[a] = a0 * ops.dot(gram, a * d, x, 0, d) + lambda * x[a];
    }
    for (int p = start; p < end; p++) {
      int off = fixed.offset(cols[p]);
      ops.axpy(conf[p] * ops.dot(fd, off, x, 0, d), fd, off, out, 0, d);
    }
  }

  /**
   * {@link IalsSpec#cgSteps()} conjugate-gradient steps on A x = b from the row's current value.
   */
  private void solveCg(
      EmbeddingTable target,
      int r,
      EmbeddingTable fixed,
      int[] cols,
      float[] conf,
      int start,
      int end,
      float[] gram,
      float lambda,
      Scratch s) {
    final int d = dim;
    final float[] x = s.x;
    final float[] res = s.r;
    final float[] p = s.p;
    final float[] ap = s.ap;
    final float[] td = target.data();
    final int xo = target.offset(r);
    System.arraycopy(td, xo, x, 0, d);
    // res = b − A x = Σ c_k (1 − y_k·x) y_k − α0 G x − λ x, in one pass over the partners
    final float a0 = spec.unobservedWeight();
    for (int a = 0; a < d; a++) {
      res[a] = -a0 * ops.dot(gram, a * d, x, 0, d) - lambda * x[a];
    }
    final float[] fd = fixed.data();
    for (int q = start; q < end; q++) {
      int off = fixed.offset(cols[q]);
      ops.axpy(conf[q] * (1f - ops.dot(fd, off, x, 0, d)), fd, off, res, 0, d);
    }
    System.arraycopy(res, 0, p, 0, d);
    double rsOld = ops.dot(res, 0, res, 0, d);
    for (int step = 0; step < spec.cgSteps() && rsOld > 1e-20; step++) {
      applyA(p, ap, fixed, cols, conf, start, end, gram, lambda);
      double pAp = ops.dot(p, 0, ap, 0, d);
      if (!(pAp > 0)) {
        break; // p = 0 to rounding (or A lost definiteness to rounding): x is as good as it gets
      }
      float alpha = (float) (rsOld / pAp);
      ops.axpy(alpha, p, 0, x, 0, d);
      ops.axpy(-alpha, ap, 0, res, 0, d);
      double rsNew = ops.dot(res, 0, res, 0, d);
      float beta = (float) (rsNew / rsOld);
      for (int a = 0; a < d; a++) {
        p[a] = res[a] + beta * p[a];
      }
      rsOld = rsNew;
    }
    System.arraycopy(x, 0, td, xo, d);
  }

  /**
   * One sweep of exact coordinate minimisation (iCD, Bayer et al. 2017): for f = 1..d in turn, x_f
   * ← x_f − g_f / h_f with g_f = Σ_k c_k (ŷ_k − 1) y_kf + α0 (G x)_f + λ x_f and h_f = Σ_k c_k
   * y_kf² + α0 G_ff + λ (the row's loss is quadratic in x_f, so this is its minimiser), keeping the
   * predictions ŷ_k = x·y_k of the observed partners current.
   */
  private void solveCd(
      EmbeddingTable target,
      int r,
      EmbeddingTable fixed,
      int[] cols,
      float[] conf,
      int start,
      int end,
      float[] gram,
      float lambda,
      Scratch s) {
    final int d = dim;
    final float a0 = spec.unobservedWeight();
    final float[] td = target.data();
    final int xo = target.offset(r);
    final float[] fd = fixed.data();
    final int n = end - start;
    final float[] pred = s.pred;
    for (int q = 0; q < n; q++) {
      pred[q] = ops.dot(fd, fixed.offset(cols[start + q]), td, xo, d);
    }
    for (int f = 0; f < d; f++) {
      double g = a0 * (double) ops.dot(gram, f * d, td, xo, d) + lambda * (double) td[xo + f];
      double h = a0 * (double) gram[f * d + f] + lambda;
      for (int q = 0; q < n; q++) {
        double y = fd[fixed.offset(cols[start + q]) + f];
        double c = conf[start + q];
        g += c * (pred[q] - 1.0) * y;
        h += c * y * y;
      }
      if (!(h > 0)) {
        continue; // nothing constrains this coordinate (λ = 0 and no signal): leave it
      }
      float delta = (float) (-g / h);
      td[xo + f] += delta;
      for (int q = 0; q < n; q++) {
        pred[q] += delta * fd[fixed.offset(cols[start + q]) + f];
      }
    }
  }

  /** The exact solution of A x = b by a Cholesky factorisation in double precision. */
  private void solveCholesky(
      EmbeddingTable target,
      int r,
      EmbeddingTable fixed,
      int[] cols,
      float[] conf,
      int start,
      int end,
      float[] gram,
      float lambda,
      Scratch s) {
    final int d = dim;
    final double[] a = s.a;
    final double[] b = s.b;
    final float a0 = spec.unobservedWeight();
    for (int i = 0; i < d * d; i++) {
      a[i] = a0 * (double) gram[i];
    }
    for (int i = 0; i < d; i++) {
      a[i * d + i] += lambda;
      b[i] = 0;
    }
    final float[] fd = fixed.data();
    for (int q = start; q < end; q++) {
      int off = fixed.offset(cols[q]);
      double c = conf[q];
      for (int i = 0; i < d; i++) {
        double cy = c * fd[off + i];
        b[i] += cy;
        for (int j = 0; j <= i; j++) {
          a[i * d + j] += cy * fd[off + j];
        }
      }
    }
    Cholesky.solveInPlace(a, b, d);
    final float[] td = target.data();
    final int xo = target.offset(r);
    for (int i = 0; i < d; i++) {
      td[xo + i] = (float) b[i];
    }
  }

  /** One thread's vectors and matrices, allocated once. */
  public static final class Scratch {
    final float[] x;
    final float[] r;
    final float[] p;
    final float[] ap;
    final double[] a;
    final double[] b;
    final float[] pred;

    /** Vectors for width {@code d}; coordinate descent needs {@code longestRow} predictions. */
    public Scratch(int d, int longestRow) {
      pred = new float[longestRow];
      x = new float[d];
      r = new float[d];
      p = new float[d];
      ap = new float[d];
      a = new double[d * d];
      b = new double[d];
    }
  }
}
