package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.Cholesky;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * The alternating least-squares solver of {@link IalsSpec} (Rendle's survey, Algorithm 4 for matrix
 * factorisation; Hu et al. 2008). An epoch is two steps: solve every user row against the fixed
 * item table, then every item row against the new user table. For a row x with observed partners
 * y_1..y_n of confidences c_1..c_n, against the fixed side's Gramian G = Σ_j y_j y_jᵀ (the Gramian
 * trick: the unobserved pairs cost d² per row, not d·|I|):
 *
 * <pre>
 *   A x = b,   A = α0·G + Σ_k c_k y_k y_kᵀ + λ_x I,   b = Σ_k c_k y_k
 * </pre>
 *
 * solved exactly (Cholesky in double precision; O(n·d² + d³) per row), by one sweep of coordinate
 * descent (iCD; O(n·d + d²) per row), or by {@link IalsSpec#cgSteps()} steps of conjugate gradient
 * started from the current x, with A applied as α0·G·p + λp + Σ c_k (y_k·p) y_k without forming it
 * (O(d² + n·d) per step: Takács et al. 2011, the solver of the {@code implicit} library). Rows are
 * independent, so they are solved in parallel on the run's threads (chunks of rows taken in turn);
 * the Gramian is summed from a fixed partition of the rows in a fixed order, so a run is bitwise
 * reproducible for any thread count. The loss reported after each epoch is L of {@link IalsSpec}
 * divided by |S|, computed with both Gramians (L's all-pairs term is α0·⟨G_users, G_items⟩).
 */
final class IalsSolver extends AlternatingSolver<IalsSolver.Scratch> {
  /** Rows per unit of work handed to a thread. */
  private static final int CHUNK = 64;

  private final Interactions byUser;
  private final Interactions byItem;
  private final float[] userConfidence;
  private final float[] itemConfidence;
  private final IalsSpec spec;
  private final UpdateSpec update;
  private final float l2;
  private final int dim;
  private final VectorOps ops;
  private final float[] gramUsers;
  private final float[] gramItems;

  IalsSolver(
      Interactions train,
      TrainConfig config,
      IalsSpec spec,
      EmbeddingTable users,
      EmbeddingTable items,
      VectorOps ops) {
    int cdScratch = spec.solver() == IalsSpec.RowSolver.CD ? longestRow(train) : 0;
    super(
        users,
        items,
        new ParallelRows<>(
            config.threads(), "totalrecall-ials", t -> new Scratch(config.dim(), cdScratch)),
        train.size());
    this.byUser = train;
    this.byItem = train.transpose();
    this.spec = spec;
    this.update = config.update();
    this.l2 = config.l2();
    this.dim = config.dim();
    this.ops = ops;
    this.userConfidence = confidences(byUser, spec);
    this.itemConfidence = confidences(byItem, spec);
    this.gramUsers = new float[dim * dim];
    this.gramItems = new float[dim * dim];
  }

  /** The most interactions of a user or an item (the coordinate-descent scratch's size). */
  private static int longestRow(Interactions train) {
    int longest = 0;
    for (Interactions m : new Interactions[] {train, train.transpose()}) {
      for (int r = 0; r < m.numRows(); r++) {
        longest = Math.max(longest, m.rowLength(r));
      }
    }
    return longest;
  }

  /** c of every stored interaction, in the CSR's order. */
  private static float[] confidences(Interactions m, IalsSpec spec) {
    float[] c = new float[m.size()];
    for (int p = 0; p < c.length; p++) {
      c[p] = spec.confidence(m.weights() == null ? 1f : m.weight(p));
    }
    return c;
  }

  @Override
  public float step(int worker, int epoch, int step, long globalStep) {
    if (step == 0) {
      if (Float.isNaN(lastLoss[0])) { // the loss of the initial tables, once
        gramian(users, gramUsers);
        gramian(items, gramItems);
        lastLoss[0] = (float) loss();
      }
      float before = lastLoss[0];
      if (update.updatesUsers()) {
        gramian(items, gramItems);
        solveSide(users, items, byUser, userConfidence, gramItems);
      }
      return before; // the loss this step started from (L is only computed after the item half)
    }
    gramian(users, gramUsers);
    if (update.updatesItems()) {
      solveSide(items, users, byItem, itemConfidence, gramUsers);
    }
    gramian(items, gramItems);
    lastLoss[0] = (float) loss();
    return lastLoss[0];
  }

  /**
   * λ of a row with {@code n} observed partners, against {@code others} rows: λ·(n + α0·others)^ν.
   */
  private float rowL2(int n, int others) {
    if (spec.l2Exponent() == 0f) {
      return l2;
    }
    return (float)
        (l2 * Math.pow(n + (double) spec.unobservedWeight() * others, spec.l2Exponent()));
  }

  /**
   * out (d×d) = Σ_r y_r y_rᵀ over every row of {@code table}, summed block by block in a fixed
   * order.
   */
  private void gramian(EmbeddingTable table, float[] out) {
    rows.gramian(table, null, out, ops);
  }

  /** Solves every row of {@code target} against the fixed table, whose Gramian is {@code gram}. */
  private void solveSide(
      EmbeddingTable target, EmbeddingTable fixed, Interactions m, float[] conf, float[] gram) {
    final int rows = target.rows();
    final int others = fixed.rows();
    final int chunks = (rows + CHUNK - 1) / CHUNK;
    this.rows.run(
        chunks,
        (chunk, s) -> {
          int end = Math.min(rows, (chunk + 1) * CHUNK);
          for (int r = chunk * CHUNK; r < end; r++) {
            float lambda = rowL2(m.rowLength(r), others);
            switch (spec.solver()) {
              case CG -> solveCg(target, r, fixed, m, conf, gram, lambda, s);
              case CHOLESKY -> solveCholesky(target, r, fixed, m, conf, gram, lambda, s);
              case CD -> solveCd(target, r, fixed, m, conf, gram, lambda, s);
            }
          }
        });
  }

  /** y = α0·G·x + λ·x + Σ_k c_k (y_k·x) y_k over the row's observed partners. */
  private void applyA(
      float[] x,
      float[] out,
      EmbeddingTable fixed,
      Interactions m,
      float[] conf,
      int r,
      float[] gram,
      float lambda) {
    final int d = dim;
    final float a0 = spec.unobservedWeight();
    final float[] fd = fixed.data();
    for (int a = 0; a < d; a++) {
      out[a] = a0 * ops.dot(gram, a * d, x, 0, d) + lambda * x[a];
    }
    final int[] cols = m.cols();
    for (int p = m.start(r), end = m.end(r); p < end; p++) {
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
      Interactions m,
      float[] conf,
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
    final int[] cols = m.cols();
    for (int q = m.start(r), end = m.end(r); q < end; q++) {
      int off = fixed.offset(cols[q]);
      ops.axpy(conf[q] * (1f - ops.dot(fd, off, x, 0, d)), fd, off, res, 0, d);
    }
    System.arraycopy(res, 0, p, 0, d);
    double rsOld = ops.dot(res, 0, res, 0, d);
    for (int step = 0; step < spec.cgSteps() && rsOld > 1e-20; step++) {
      applyA(p, ap, fixed, m, conf, r, gram, lambda);
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
      Interactions m,
      float[] conf,
      float[] gram,
      float lambda,
      Scratch s) {
    final int d = dim;
    final float a0 = spec.unobservedWeight();
    final float[] td = target.data();
    final int xo = target.offset(r);
    final float[] fd = fixed.data();
    final int[] cols = m.cols();
    final int start = m.start(r);
    final int n = m.end(r) - start;
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
      Interactions m,
      float[] conf,
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
    final int[] cols = m.cols();
    for (int q = m.start(r), end = m.end(r); q < end; q++) {
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

  /**
   * L / |S|: Σ_S c (ŷ − 1)² + α0·⟨G_users, G_items⟩ + Σ λ_row ‖row‖², with both Gramians current.
   */
  private double loss() {
    final int d = dim;
    double observed = 0;
    final int[] cols = byUser.cols();
    for (int u = 0; u < users.rows(); u++) {
      int uo = users.offset(u);
      for (int p = byUser.start(u), end = byUser.end(u); p < end; p++) {
        double e = ops.dot(users.data(), uo, items.data(), items.offset(cols[p]), d) - 1.0;
        observed += userConfidence[p] * e * e;
      }
    }
    double all = 0;
    for (int k = 0; k < d * d; k++) {
      all += (double) gramUsers[k] * gramItems[k];
    }
    double reg = 0;
    for (int u = 0; u < users.rows(); u++) {
      reg +=
          rowL2(byUser.rowLength(u), items.rows())
              * ops.dot(users.data(), users.offset(u), users.data(), users.offset(u), d);
    }
    for (int i = 0; i < items.rows(); i++) {
      reg +=
          rowL2(byItem.rowLength(i), users.rows())
              * ops.dot(items.data(), items.offset(i), items.data(), items.offset(i), d);
    }
    return (observed + spec.unobservedWeight() * all + reg) / Math.max(1, nnz);
  }

  /** One thread's vectors and matrices, allocated once. */
  static final class Scratch {
    final float[] x;
    final float[] r;
    final float[] p;
    final float[] ap;
    final double[] a;
    final double[] b;
    final float[] pred;

    Scratch(int d, int longestRow) {
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
