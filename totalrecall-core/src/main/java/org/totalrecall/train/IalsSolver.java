package org.totalrecall.train;

import org.totalrecall.data.Interactions;
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
final class IalsSolver extends AlternatingSolver<IalsRows.Scratch> {
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
  private final IalsRows rowSolver;

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
            config.threads(),
            "totalrecall-ials",
            t -> new IalsRows.Scratch(config.dim(), cdScratch)),
        train.size());
    this.byUser = train;
    this.byItem = train.transpose();
    this.spec = spec;
    this.update = config.update();
    this.l2 = config.l2();
    this.dim = config.dim();
    this.ops = ops;
    this.userConfidence = IalsRows.confidences(byUser, spec);
    this.itemConfidence = IalsRows.confidences(byItem, spec);
    this.rowSolver = new IalsRows(spec, l2, dim, ops);
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
            rowSolver.solve(target, r, fixed, m.cols(), conf, m.start(r), m.end(r), gram, s);
          }
        });
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
          rowSolver.rowL2(byUser.rowLength(u), items.rows())
              * ops.dot(users.data(), users.offset(u), users.data(), users.offset(u), d);
    }
    for (int i = 0; i < items.rows(); i++) {
      reg +=
          rowSolver.rowL2(byItem.rowLength(i), users.rows())
              * ops.dot(items.data(), items.offset(i), items.data(), items.offset(i), d);
    }
    return (observed + spec.unobservedWeight() * all + reg) / Math.max(1, nnz);
  }
}
