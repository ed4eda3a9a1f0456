package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.Cholesky;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * Alternating least squares for the pairwise square loss (Rendle's survey, paper 001, sec. 5.2:
 * "the algorithms (both iALS and SGD) introduced for pointwise loss can be extended" with the
 * Gramian and z = Σ_j h_j of eq. 44–45). With N = |I|, ŷ_ui = ⟨w_u, h_i⟩ and n_r the interactions
 * of row r, it minimises
 *
 * <pre>
 *   J = (1/N)·Σ_{(u,i) ∈ S} Σ_{j ∈ I} (ŷ_ui − ŷ_uj − 1)²  +  λ·Σ_rows max(1, n_r)·‖row‖²
 * </pre>
 *
 * (eq. 42 scaled by 1/N, so that λ means what it means for iALS; frequency-scaled L2).
 *
 * <p><b>User step.</b> The users are independent given the items. Expanding the square as in eq.
 * 43–44, user u's part of J is xᵀA x − 2bᵀx + const with s = Σ_{i ∈ I_u} h_i:
 *
 * <pre>
 *   A = Σ_{i ∈ I_u} h_i h_iᵀ + (n_u/N)·G_items − (s zᵀ + z sᵀ)/N + λ_u I,   b = s − (n_u/N)·z
 * </pre>
 *
 * (A = (1/N)·Σ_{i ∈ I_u} Σ_j (h_i − h_j)(h_i − h_j)ᵀ + λ_u I, so positive definite), solved exactly
 * by Cholesky or by warm-started conjugate gradient with A applied in O(n_u·d + d²).
 *
 * <p><b>Item step.</b> Unlike iALS the items are coupled: h_j enters every positive's pairs through
 * z and through the positives' own scores. Item k's part of J with every other item fixed is yᵀH_k
 * y − 2b_kᵀy + const with A_k = Σ_{u ∈ U_k} w_u w_uᵀ, G_users = Σ_u n_u w_u w_uᵀ (eq. 45) and ω =
 * Σ_{(u,i) ∈ S} (ŷ_ui − 1)·w_u:
 *
 * <pre>
 *   H_k = ((N − 2)/N)·A_k + G_users/N + λ_k I,
 *   b_k = (1/N)·[Σ_{u ∈ U_k} (⟨w_u, z⟩ + N − 2ŷ_uk)·w_u + ω]
 * </pre>
 *
 * Solving every item against the others' current values at once (a block-Jacobi step) need not
 * lower J when the blocks are coupled, and converges slowly along the directions J hardly sees (a
 * shift of every item by the same vector changes only the L2 term). So the item step is {@link
 * #ITEM_SWEEPS} steps of conjugate gradient on the items' joint problem, preconditioned by those
 * block solves: each sweep computes the block solutions' changes D (in parallel, each by Cholesky
 * or warm-started conjugate gradient) and moves the items to the minimiser of J over the plane of D
 * and the previous sweep's step P, which J, quadratic in the items, gives exactly: J(H + aD + bP) =
 * J − 2a⟨r, D⟩ − 2b⟨r, P⟩ + a²Q(D) + 2ab·B(D, P) + b²Q(P) with r = −½∇J, the quadratic part
 *
 * <pre>
 *   Q(D) = (1/N)·[Σ_{(u,i) ∈ S} (N⟨w_u, d_i⟩² − 2⟨w_u, d_i⟩⟨w_u, z_D⟩) + Σ_j d_jᵀ G_users d_j] + Σ_k λ_k ‖d_k‖²
 * </pre>
 *
 * with z_D = Σ_j d_j, and B its bilinear form, all in O(|S|·d + |I|·d²). With a fixed
 * preconditioner this is preconditioned conjugate gradient; in any case J never rises. Every sum
 * over rows is taken over a fixed partition in a fixed order, so a run is bitwise reproducible for
 * any thread count. The loss reported after an epoch is J / |S|.
 */
final class PairwiseSquareAlsSolver extends AlternatingSolver<PairwiseSquareAlsSolver.Scratch> {
  /** Rows per unit of work handed to a thread. */
  private static final int CHUNK = 64;

  /** Preconditioned conjugate-gradient steps per item half-step. */
  static final int ITEM_SWEEPS = 3;

  /** D: the block solutions' changes of the current item-step sweep. */
  private final EmbeddingTable direction;

  /** P: the previous sweep's step. */
  private final EmbeddingTable previous;

  private final Interactions byUser;
  private final Interactions byItem;
  private final UpdateSpec update;
  private final float l2;
  private final int dim;
  private final float numItems;

  /** Conjugate-gradient steps per row, or 0 for Cholesky. */
  private final int cgSteps;

  private final VectorOps ops;
  private final float[] gramUsers;
  private final float[] gramItems;
  private final float[] z;
  private final float[] omega;
  private final float[] userZ;
  private final double[] perRow;
  private final double[] perRow2;
  private final double[] perRow3;
  private final float[] zD;
  private final float[] zP;
  private final double[] quad = new double[3];

  PairwiseSquareAlsSolver(
      Interactions train,
      TrainConfig config,
      int cgSteps,
      EmbeddingTable users,
      EmbeddingTable items,
      VectorOps ops) {
    super(
        users,
        items,
        new ParallelRows<>(
            config.threads(), "totalrecall-pairwise-als", t -> new Scratch(config.dim())),
        train.size());
    this.byUser = train;
    this.byItem = train.transpose();
    this.update = config.update();
    this.l2 = config.l2();
    this.dim = config.dim();
    this.numItems = items.rows();
    this.cgSteps = cgSteps;
    this.ops = ops;
    this.direction = new EmbeddingTable(items.rows(), dim);
    this.previous = new EmbeddingTable(items.rows(), dim);
    this.gramUsers = new float[dim * dim];
    this.gramItems = new float[dim * dim];
    this.z = new float[dim];
    this.omega = new float[dim];
    this.userZ = new float[users.rows()];
    this.perRow = new double[Math.max(users.rows(), items.rows())];
    this.perRow2 = new double[perRow.length];
    this.perRow3 = new double[perRow.length];
    this.zD = new float[dim];
    this.zP = new float[dim];
  }

  @Override
  public float step(int worker, int epoch, int step, long globalStep) {
    if (step == 0) {
      if (Float.isNaN(lastLoss[0])) {
        lastLoss[0] = (float) loss();
      }
      float before = lastLoss[0];
      if (!Float.isFinite(before)) {
        return before; // the tables already overflow: the driver stops the run, nothing to solve
      }
      if (update.updatesUsers()) {
        userStep();
      }
      return before;
    }
    if (update.updatesItems()) {
      itemStep();
    }
    lastLoss[0] = (float) loss();
    return lastLoss[0];
  }

  private float rowL2(int n) {
    return l2 * Math.max(1, n);
  }

  /** Every user row solved against the fixed items. */
  void userStep() {
    rows.gramian(items, null, gramItems, ops);
    sumRows(items, z);
    final int n = users.rows();
    rows.run(
        (n + CHUNK - 1) / CHUNK,
        (chunk, s) -> {
          for (int u = chunk * CHUNK, end = Math.min(n, (chunk + 1) * CHUNK); u < end; u++) {
            solveUser(u, s);
          }
        });
  }

  private void solveUser(int u, Scratch s) {
    final int d = dim;
    final int n = byUser.rowLength(u);
    final float[] ud = users.data();
    final int uo = users.offset(u);
    if (n == 0) {
      if (l2 > 0f) {
        java.util.Arrays.fill(ud, uo, uo + d, 0f); // only the L2 term: its minimiser
      }
      return;
    }
    final float[] sum = s.sum;
    java.util.Arrays.fill(sum, 0f);
    final float[] id = items.data();
    final int[] cols = byUser.cols();
    for (int q = byUser.start(u), e = byUser.end(u); q < e; q++) {
      ops.axpy(1f, id, items.offset(cols[q]), sum, 0, d);
    }
    final float share = n / numItems;
    final float[] b = s.b;
    for (int a = 0; a < d; a++) {
      b[a] = sum[a] - share * z[a];
    }
    final float lambda = rowL2(n);
    if (cgSteps == 0) {
      final double[] a = s.a;
      for (int i = 0; i < d; i++) {
        for (int j = 0; j <= i; j++) {
          a[i * d + j] =
              share * (double) gramItems[i * d + j]
                  - ((double) sum[i] * z[j] + (double) z[i] * sum[j]) / numItems;
        }
        a[i * d + i] += lambda;
      }
      for (int q = byUser.start(u), e = byUser.end(u); q < e; q++) {
        int off = items.offset(cols[q]);
        for (int i = 0; i < d; i++) {
          double yi = id[off + i];
          for (int j = 0; j <= i; j++) {
            a[i * d + j] += yi * id[off + j];
          }
        }
      }
      solveCholesky(s, ud, uo);
      return;
    }
    System.arraycopy(ud, uo, s.x, 0, d);
    conjugateGradient(true, u, lambda, s);
    System.arraycopy(s.x, 0, ud, uo, d);
  }

  /**
   * {@link #ITEM_SWEEPS} steps of block-preconditioned conjugate gradient on the items' joint
   * problem: each step solves every item's block against the others (the preconditioned residual
   * D), then moves to the minimiser of J over the plane of D and the previous step (which is the
   * preconditioned conjugate-gradient step for a fixed preconditioner, and never raises J).
   */
  void itemStep() {
    final int d = dim;
    final int ni = items.rows();
    rows.gramian(users, r -> byUser.rowLength(r), gramUsers, ops);
    final float[] id = items.data();
    for (int sweep = 0; sweep < ITEM_SWEEPS; sweep++) {
      final boolean first = sweep == 0;
      residuals();
      // the block solutions D, and ⟨r, D⟩, ⟨r, P⟩ item by item (r = −½∇J)
      rows.run(
          (ni + CHUNK - 1) / CHUNK,
          (chunk, s) -> {
            for (int k = chunk * CHUNK, end = Math.min(ni, (chunk + 1) * CHUNK); k < end; k++) {
              solveItem(k, first, s);
            }
          });
      double rd = 0;
      double rp = 0;
      for (int k = 0; k < ni; k++) {
        rd += perRow[k];
        rp += perRow2[k];
      }
      quadratics(first);
      // J(H + aD + bP) = J − 2a⟨r,D⟩ − 2b⟨r,P⟩ + a²Q(D) + 2ab·B(D,P) + b²Q(P): its minimiser
      double qdd = quad[0];
      double qpp = quad[1];
      double qdp = quad[2];
      double a;
      double b = 0;
      double det = qdd * qpp - qdp * qdp;
      if (!first && det > 1e-12 * qdd * qpp) {
        a = (rd * qpp - rp * qdp) / det;
        b = (rp * qdd - rd * qdp) / det;
      } else if (qdd > 0 && rd > 0) {
        a = rd / qdd;
      } else {
        return; // at the minimum to rounding: no step
      }
      // the step S = aD + bP becomes the previous step P, and H += S
      final float fa = (float) a;
      final float fb = (float) b;
      final float[] dd = direction.data();
      final float[] pd = previous.data();
      for (int x = 0, n = ni * d; x < n; x++) {
        float step = fa * dd[x] + fb * pd[x];
        pd[x] = step;
        id[x] += step;
      }
    }
  }

  /** z, ⟨w_u, z⟩ of every user and ω = Σ_{(u,i) ∈ S} (ŷ_ui − 1)·w_u at the current items. */
  private void residuals() {
    final int d = dim;
    sumRows(items, z);
    final int nu = users.rows();
    final float[] ud = users.data();
    final float[] id = items.data();
    final int[] cols = byUser.cols();
    rows.run(
        (nu + CHUNK - 1) / CHUNK,
        (chunk, s) -> {
          for (int u = chunk * CHUNK, end = Math.min(nu, (chunk + 1) * CHUNK); u < end; u++) {
            userZ[u] = ops.dot(ud, users.offset(u), z, 0, d);
          }
        });
    blockSum(
        nu,
        omega,
        (u, partial) -> {
          int uo = users.offset(u);
          float e = 0f;
          for (int q = byUser.start(u), end = byUser.end(u); q < end; q++) {
            e += ops.dot(ud, uo, id, items.offset(cols[q]), d) - 1f;
          }
          if (e != 0f) {
            ops.axpy(e, ud, uo, partial, 0, d);
          }
        });
  }

  /**
   * Item k's block solution against the others' current values, as the change D_k from its current
   * value (into {@link #direction}); perRow[k] = ⟨r_k, D_k⟩ and perRow2[k] = ⟨r_k, P_k⟩ with r_k =
   * b_k − H_k h_k = −½∇_k J.
   */
  private void solveItem(int k, boolean first, Scratch s) {
    final int d = dim;
    final float[] id = items.data();
    final int ko = items.offset(k);
    final float[] ud = users.data();
    final int[] cols = byItem.cols();
    final float[] b = s.b;
    for (int a = 0; a < d; a++) {
      b[a] = omega[a] / numItems;
    }
    for (int q = byItem.start(k), e = byItem.end(k); q < e; q++) {
      int u = cols[q];
      int uo = users.offset(u);
      float yhat = ops.dot(ud, uo, id, ko, d);
      ops.axpy((userZ[u] + numItems - 2f * yhat) / numItems, ud, uo, b, 0, d);
    }
    final float lambda = rowL2(byItem.rowLength(k));
    final float[] r0 = s.r0;
    applyItem(k, id, ko, r0, lambda);
    for (int a = 0; a < d; a++) {
      r0[a] = b[a] - r0[a];
    }
    if (cgSteps == 0) {
      final double[] a = s.a;
      final float shareOthers = (numItems - 2f) / numItems;
      for (int i = 0; i < d; i++) {
        for (int j = 0; j <= i; j++) {
          a[i * d + j] = gramUsers[i * d + j] / (double) numItems;
        }
        a[i * d + i] += lambda;
      }
      for (int q = byItem.start(k), e = byItem.end(k); q < e; q++) {
        int off = users.offset(cols[q]);
        for (int i = 0; i < d; i++) {
          double yi = shareOthers * (double) ud[off + i];
          for (int j = 0; j <= i; j++) {
            a[i * d + j] += yi * ud[off + j];
          }
        }
      }
      final double[] x = s.bd;
      for (int i = 0; i < d; i++) {
        x[i] = b[i];
      }
      Cholesky.solveInPlace(a, x, d);
      for (int i = 0; i < d; i++) {
        s.x[i] = (float) x[i];
      }
    } else {
      System.arraycopy(id, ko, s.x, 0, d);
      conjugateGradient(false, k, lambda, s);
    }
    final float[] dd = direction.data();
    final int dOff = direction.offset(k);
    double rd = 0;
    for (int a = 0; a < d; a++) {
      float delta = s.x[a] - id[ko + a];
      dd[dOff + a] = delta;
      rd += (double) r0[a] * delta;
    }
    perRow[k] = rd;
    perRow2[k] = first ? 0 : ops.dot(r0, 0, previous.data(), previous.offset(k), d);
  }

  /**
   * quad = {Q(D), Q(P), B(D, P)}: the quadratic part of J along the block solutions D and the
   * previous step P, and their bilinear form (see the class comment), every sum over a fixed
   * partition. With {@code first}, P is not used (zeros).
   */
  private void quadratics(boolean first) {
    final int d = dim;
    sumRows(direction, zD);
    if (first) {
      java.util.Arrays.fill(zP, 0f);
    } else {
      sumRows(previous, zP);
    }
    final int nu = users.rows();
    final float[] ud = users.data();
    final float[] dd = direction.data();
    final float[] pd = previous.data();
    final int[] ucols = byUser.cols();
    rows.run(
        (nu + CHUNK - 1) / CHUNK,
        (chunk, s) -> {
          for (int u = chunk * CHUNK, end = Math.min(nu, (chunk + 1) * CHUNK); u < end; u++) {
            int uo = users.offset(u);
            double wzd = ops.dot(ud, uo, zD, 0, d);
            double wzp = first ? 0 : ops.dot(ud, uo, zP, 0, d);
            double qdd = 0;
            double qpp = 0;
            double qdp = 0;
            for (int p = byUser.start(u), e = byUser.end(u); p < e; p++) {
              int io = direction.offset(ucols[p]);
              double wd = ops.dot(ud, uo, dd, io, d);
              double wp = first ? 0 : ops.dot(ud, uo, pd, io, d);
              qdd += numItems * wd * wd - 2 * wd * wzd;
              qpp += numItems * wp * wp - 2 * wp * wzp;
              qdp += numItems * wd * wp - wd * wzp - wp * wzd;
            }
            perRow[u] = qdd / numItems;
            perRow2[u] = qpp / numItems;
            perRow3[u] = qdp / numItems;
          }
        });
    double qdd = 0;
    double qpp = 0;
    double qdp = 0;
    for (int u = 0; u < nu; u++) {
      qdd += perRow[u];
      qpp += perRow2[u];
      qdp += perRow3[u];
    }
    final int ni = items.rows();
    rows.run(
        (ni + CHUNK - 1) / CHUNK,
        (chunk, s) -> {
          final float[] gx = s.r;
          final float[] gy = s.p;
          for (int k = chunk * CHUNK, end = Math.min(ni, (chunk + 1) * CHUNK); k < end; k++) {
            int ko = direction.offset(k);
            for (int a = 0; a < d; a++) {
              gx[a] = ops.dot(gramUsers, a * d, dd, ko, d);
              gy[a] = first ? 0f : ops.dot(gramUsers, a * d, pd, ko, d);
            }
            double lambda = rowL2(byItem.rowLength(k));
            double dn = ops.dot(dd, ko, dd, ko, d);
            double pn = first ? 0 : ops.dot(pd, ko, pd, ko, d);
            double dp = first ? 0 : ops.dot(dd, ko, pd, ko, d);
            perRow[k] = ops.dot(gx, 0, dd, ko, d) / numItems + lambda * dn;
            perRow2[k] = first ? 0 : ops.dot(gy, 0, pd, ko, d) / numItems + lambda * pn;
            perRow3[k] = first ? 0 : ops.dot(gx, 0, pd, ko, d) / numItems + lambda * dp;
          }
        });
    for (int k = 0; k < ni; k++) {
      qdd += perRow[k];
      qpp += perRow2[k];
      qdp += perRow3[k];
    }
    quad[0] = qdd;
    quad[1] = qpp;
    quad[2] = qdp;
  }

  /** out = A_u p for user u (see the class comment); s.sum must hold Σ_{i ∈ I_u} h_i. */
  private void applyUser(int u, float[] p, float[] out, float lambda, float[] sum) {
    final int d = dim;
    final int n = byUser.rowLength(u);
    final float share = n / numItems;
    final float zp = ops.dot(z, 0, p, 0, d) / numItems;
    final float sp = ops.dot(sum, 0, p, 0, d) / numItems;
    for (int a = 0; a < d; a++) {
      out[a] = share * ops.dot(gramItems, a * d, p, 0, d) - sum[a] * zp - z[a] * sp + lambda * p[a];
    }
    final float[] id = items.data();
    final int[] cols = byUser.cols();
    for (int q = byUser.start(u), e = byUser.end(u); q < e; q++) {
      int off = items.offset(cols[q]);
      ops.axpy(ops.dot(id, off, p, 0, d), id, off, out, 0, d);
    }
  }

  /** out = H_k p for item k (see the class comment), p read from {@code pd} at {@code po}. */
  private void applyItem(int k, float[] pd, int po, float[] out, float lambda) {
    final int d = dim;
    for (int a = 0; a < d; a++) {
      out[a] = ops.dot(gramUsers, a * d, pd, po, d) / numItems + lambda * pd[po + a];
    }
    final float shareOthers = (numItems - 2f) / numItems;
    final float[] ud = users.data();
    final int[] cols = byItem.cols();
    for (int q = byItem.start(k), e = byItem.end(k); q < e; q++) {
      int off = users.offset(cols[q]);
      ops.axpy(shareOthers * ops.dot(ud, off, pd, po, d), ud, off, out, 0, d);
    }
  }

  /**
   * {@link #cgSteps} conjugate-gradient steps on the row's system from s.x, right-hand side s.b.
   */
  private void conjugateGradient(boolean user, int r, float lambda, Scratch s) {
    final int d = dim;
    final float[] x = s.x;
    final float[] res = s.r;
    final float[] p = s.p;
    final float[] ap = s.ap;
    if (user) {
      applyUser(r, x, res, lambda, s.sum);
    } else {
      applyItem(r, x, 0, res, lambda);
    }
    for (int a = 0; a < d; a++) {
      res[a] = s.b[a] - res[a];
    }
    System.arraycopy(res, 0, p, 0, d);
    double rsOld = ops.dot(res, 0, res, 0, d);
    for (int step = 0; step < cgSteps && rsOld > 1e-20; step++) {
      if (user) {
        applyUser(r, p, ap, lambda, s.sum);
      } else {
        applyItem(r, p, 0, ap, lambda);
      }
      double pAp = ops.dot(p, 0, ap, 0, d);
      if (!(pAp > 0)) {
        break;
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
  }

  /** Solves s.a x = s.b by Cholesky into {@code out} at {@code off}. */
  private void solveCholesky(Scratch s, float[] out, int off) {
    final int d = dim;
    for (int i = 0; i < d; i++) {
      s.bd[i] = s.b[i];
    }
    Cholesky.solveInPlace(s.a, s.bd, d);
    for (int i = 0; i < d; i++) {
      out[off + i] = (float) s.bd[i];
    }
  }

  /** A row's contribution to a sum over rows. */
  private interface RowTerm {
    void add(int row, float[] partial);
  }

  /** out = Σ_r term(r) over rows 0..n−1, summed over a fixed partition in a fixed order. */
  private void blockSum(int n, float[] out, RowTerm term) {
    final int blocks = ParallelRows.BLOCKS;
    final float[][] partial = new float[blocks][];
    final int per = (n + blocks - 1) / blocks;
    rows.run(
        blocks,
        (block, s) -> {
          float[] acc = new float[out.length];
          for (int r = block * per, end = Math.min(n, (block + 1) * per); r < end; r++) {
            term.add(r, acc);
          }
          partial[block] = acc;
        });
    java.util.Arrays.fill(out, 0f);
    for (float[] acc : partial) {
      ops.axpy(1f, acc, 0, out, 0, out.length);
    }
  }

  /** out = Σ_r row r of {@code table}. */
  private void sumRows(EmbeddingTable table, float[] out) {
    blockSum(
        table.rows(), out, (r, acc) -> ops.axpy(1f, table.data(), table.offset(r), acc, 0, dim));
  }

  /**
   * J / |S| with the current tables: Σ_S (ŷ − 1)² + ⟨G_users, G_items⟩/N − (2/N)·Σ_u ⟨w_u, z⟩·Σ_{i
   * ∈ I_u} (ŷ_ui − 1) + the L2 terms (eq. 44 scaled by 1/N).
   */
  double loss() {
    final int d = dim;
    rows.gramian(users, r -> byUser.rowLength(r), gramUsers, ops);
    rows.gramian(items, null, gramItems, ops);
    sumRows(items, z);
    final int nu = users.rows();
    final float[] ud = users.data();
    final float[] id = items.data();
    final double[] perUser = perRow;
    rows.run(
        (nu + CHUNK - 1) / CHUNK,
        (chunk, s) -> {
          for (int u = chunk * CHUNK, end = Math.min(nu, (chunk + 1) * CHUNK); u < end; u++) {
            int uo = users.offset(u);
            double wz = ops.dot(ud, uo, z, 0, d);
            double sq = 0;
            double sumE = 0;
            for (int p = byUser.start(u), e = byUser.end(u); p < e; p++) {
              double err = ops.dot(ud, uo, id, items.offset(byUser.cols()[p]), d) - 1.0;
              sq += err * err;
              sumE += err;
            }
            perUser[u] =
                sq
                    - 2 * wz * sumE / numItems
                    + rowL2(byUser.rowLength(u)) * (double) ops.dot(ud, uo, ud, uo, d);
          }
        });
    double j = 0;
    for (int u = 0; u < nu; u++) {
      j += perUser[u];
    }
    double all = 0;
    for (int a = 0; a < d * d; a++) {
      all += (double) gramUsers[a] * gramItems[a];
    }
    j += all / numItems;
    for (int k = 0; k < items.rows(); k++) {
      j +=
          rowL2(byItem.rowLength(k))
              * (double) ops.dot(id, items.offset(k), id, items.offset(k), d);
    }
    return j / Math.max(1, nnz);
  }

  /** One thread's vectors and matrices, allocated once. */
  static final class Scratch {
    final float[] x;
    final float[] r;
    final float[] p;
    final float[] ap;
    final float[] b;
    final float[] r0;
    final float[] sum;
    final double[] a;
    final double[] bd;

    Scratch(int d) {
      x = new float[d];
      r = new float[d];
      p = new float[d];
      ap = new float[d];
      b = new float[d];
      r0 = new float[d];
      sum = new float[d];
      a = new double[d * d];
      bd = new double[d];
    }
  }
}
