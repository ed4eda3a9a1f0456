package org.totalrecall.train;

import java.util.SplittableRandom;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.loss.RowObjective;
import org.totalrecall.sampler.RowCandidates;
import org.totalrecall.sampler.RowSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * The per-example Hogwild trainer for objectives over per-row candidate blocks (BPR, WARP,
 * pointwise losses, per-row sampled softmax): a step is a chunk of {@link #CHUNK} positives; for
 * each positive the worker samples its candidate pairs ({@link RowSampler}), scores them, asks the
 * {@link RowObjective} for dLoss/dScore, and updates every user and item row involved at once (one
 * optimizer step per distinct row, as {@code implicit}'s and LightFM's BPR/WARP do: Hogwild!, Niu
 * et al. 2011, lock-free updates to shared tables).
 *
 * <p>Scores are φ(u,i) = ⟨u, i⟩ (dot) or ⟨û, î⟩/τ (cosine). Gradients are computed from the rows as
 * they were before this example's update: for dot, dL/du_a = Σ_k g_k·i_{b_k} over the pairs (a,
 * b_k) of the row; for cosine, the same with normalised rows and 1/τ, then through the
 * normalisation's Jacobian (I − ûûᵀ)/‖u‖; for gmf, ⟨h ⊙ u, i⟩ with h's gradient Σ u ⊙ dL/d(h ⊙ u)
 * accumulated over the chunk and applied once at its end ({@link GmfWeights}).
 *
 * <p>Fast path (the common case of {@code implicit}'s BPR: dot scores, plain SGD, both tables
 * learning, every pair of the row sharing the positive's user, distinct items): the rows are read
 * and written in place without gathering or accumulators: u's gradient Σ_k g_k·i_k is formed from
 * the items before they move, each item steps with g_k·u (old u), then u steps. The same update as
 * the general path, in another summation order.
 */
final class PerRowSolver extends PairSolver {
  /**
   * Whether workers may take the fast path (tests turn it off to compare it with the general one).
   */
  static volatile boolean fastPathAllowed = true;

  /**
   * Positives per step: the unit of work split over workers, of records accounting and of the
   * learning-rate schedule.
   */
  static final int CHUNK = 256;

  private final Worker[] workers;

  PerRowSolver(
      Interactions train,
      TrainConfig config,
      EmbeddingTable users,
      EmbeddingTable items,
      VectorOps ops) {
    super(train, config, users, items, CHUNK);
    boolean cosineScores = config.scorer() == org.totalrecall.model.Scorer.Kind.COSINE;
    RowSampler sampler =
        config
            .sampler()
            .createRows(
                new SamplerContext(
                    train,
                    CHUNK,
                    users,
                    items,
                    true,
                    true,
                    cosineScores,
                    cosineScores ? 1f / config.temperature() : 1f,
                    seed));
    this.workers = new Worker[config.threads()];
    for (int w = 0; w < workers.length; w++) {
      workers[w] =
          new Worker(
              config,
              sampler.forWorker(),
              config.objective().createRow(train.numUsers(), train.numItems()),
              ops,
              Seeds.generator(seed, 0, w));
    }
  }

  @Override
  public int workers() {
    return workers.length;
  }

  @Override
  void reseed(int epoch) {
    for (int w = 0; w < workers.length; w++) {
      workers[w].rng = Seeds.generator(seed, epoch, w);
      workers[w].sampler.beginEpoch(epoch);
    }
  }

  @Override
  public float step(int worker, int epoch, int step, long globalStep) {
    return workers[worker].train(first(step), size(step), globalStep);
  }

  /** One worker: its sampler, objective and scratch, all allocated once. */
  private final class Worker {
    private static final float MIN_NORM = 1e-12f;

    private final RowSampler sampler;
    private final RowObjective objective;
    private final UpdateSpec policy;
    private final VectorOps ops;
    private SplittableRandom rng;
    private final boolean cosine;
    private final float invTau;
    private final float l2;
    private final int dim;
    private final int width;
    private final RowCandidates candidates;
    private final float[] scores;
    private final float[] grad;
    private final float[] logQ;
    private final float[] weight = new float[1];
    private final double[] rowLoss = new double[1];
    // the distinct rows of one example: index, normalised copy (cosine) or raw copy, 1/‖row‖,
    // gradient
    private final int[] userRows;
    private final int[] itemRows;
    private final float[] userVecs;
    private final float[] itemVecs;
    private final float[] userInv;
    private final float[] itemInv;
    private final float[] userGrad;
    private final float[] itemGrad;
    private final int[] pairUser;
    private final int[] pairItem;

    /** Whether a slot's row received a non-zero gradient in this example (only those rows step). */
    private final boolean[] userTouched;

    private final boolean[] itemTouched;

    /** Dot scores, SGD on both tables, both tables learning: {@link #fastRow} applies. */
    private final boolean fast;

    private final SgdOptimizer userSgd;
    private final SgdOptimizer itemSgd;
    private final float[] gmfGrad;

    Worker(
        TrainConfig config,
        RowSampler sampler,
        RowObjective objective,
        VectorOps ops,
        SplittableRandom rng) {
      this.sampler = sampler;
      this.objective = objective;
      this.policy = config.update();
      this.ops = ops;
      this.rng = rng;
      this.cosine = config.scorer() == org.totalrecall.model.Scorer.Kind.COSINE;
      this.invTau = cosine ? 1f / config.temperature() : 1f;
      this.l2 = config.l2();
      this.dim = config.dim();
      this.width = sampler.width();
      this.candidates = new RowCandidates(CHUNK, width);
      this.scores = new float[width];
      this.grad = new float[width];
      this.logQ = new float[width];
      this.userRows = new int[width];
      this.itemRows = new int[width];
      this.userVecs = new float[width * dim];
      this.itemVecs = new float[width * dim];
      this.userInv = new float[width];
      this.itemInv = new float[width];
      this.userGrad = new float[width * dim];
      this.itemGrad = new float[width * dim];
      this.pairUser = new int[width];
      this.pairItem = new int[width];
      this.userTouched = new boolean[width];
      this.itemTouched = new boolean[width];
      this.gmfGrad = gmf == null ? null : new float[dim];
      this.fast =
          fastPathAllowed
              && !cosine
              && gmf == null
              && userOptimizer instanceof SgdOptimizer
              && itemOptimizer instanceof SgdOptimizer
              && policy.updatesUsers()
              && policy.updatesItems();
      this.userSgd = fast ? (SgdOptimizer) userOptimizer : null;
      this.itemSgd = fast ? (SgdOptimizer) itemOptimizer : null;
    }

    /**
     * One example on the fast path, or false (nothing done) if its pairs do not share the
     * positive's user or repeat an item. Returns the row's loss in {@code rowLoss[0]}.
     */
    private boolean fastRow(
        int[] cu, int[] ci, float[] cq, float[] cw, int r, long step, double[] rowLoss) {
      final int base = r * width;
      final int u = cu[base];
      for (int k = 1; k < width; k++) {
        if (cu[base + k] != u) {
          return false;
        }
        for (int j = 0; j < k; j++) {
          if (ci[base + j] == ci[base + k]) {
            return false;
          }
        }
      }
      final float[] ud = users.data();
      final float[] id = items.data();
      final int uo = users.offset(u);
      final int d = dim;
      for (int k = 0; k < width; k++) {
        scores[k] = ops.dot(ud, uo, id, items.offset(ci[base + k]), d);
        logQ[k] = cq[base + k];
      }
      weight[0] = cw[r];
      double l = objective.lossAndGradient(scores, 1, width, logQ, weight, grad);
      rowLoss[0] = l;
      if (!Double.isFinite(l)) {
        return true;
      }
      // u's gradient from the items before they move
      final float[] ug = userGrad;
      java.util.Arrays.fill(ug, 0, d, 0f);
      boolean any = false;
      for (int k = 0; k < width; k++) {
        if (grad[k] != 0f) {
          ops.axpy(grad[k], id, items.offset(ci[base + k]), ug, 0, d);
          any = true;
        }
      }
      if (!any) {
        return true; // no gradient: nothing is touched (as in the general path)
      }
      if (l2 > 0f) {
        ops.axpy(l2, ud, uo, ug, 0, d);
      }
      final float itemRate = itemSgd.rate(step);
      for (int k = 0; k < width; k++) {
        if (grad[k] != 0f) {
          int io = items.offset(ci[base + k]);
          if (l2 > 0f) {
            ops.scale(1f - itemRate * l2, id, io, d);
          }
          ops.axpy(-itemRate * grad[k], ud, uo, id, io, d);
        }
      }
      ops.axpy(-userSgd.rate(step), ug, 0, ud, uo, d);
      return true;
    }

    /** Trains positives [from, from + size) of the epoch one by one; returns their mean loss. */
    float train(int from, int size, long step) {
      sampler.sample(pairs.users(), pairs.items(), pairs.weights(), from, size, rng, candidates);
      final int[] cu = candidates.users();
      final int[] ci = candidates.items();
      final float[] cq = candidates.logQ();
      final float[] cw = candidates.weights();
      double loss = 0;
      for (int r = 0; r < size; r++) {
        if (fast && fastRow(cu, ci, cq, cw, r, step, rowLoss)) {
          if (!Double.isFinite(rowLoss[0])) {
            return Float.NaN;
          }
          loss += rowLoss[0];
          policy.afterStep(pairs.users(), pairs.items(), from + r, 1, users, items);
          continue;
        }
        int base = r * width;
        int nu = 0;
        int ni = 0;
        for (int k = 0; k < width; k++) {
          pairUser[k] = slot(userRows, nu, cu[base + k]);
          if (pairUser[k] == nu) {
            userRows[nu] = cu[base + k];
            userInv[nu] = gather(users, cu[base + k], userVecs, nu);
            nu++;
          }
          pairItem[k] = slot(itemRows, ni, ci[base + k]);
          if (pairItem[k] == ni) {
            itemRows[ni] = ci[base + k];
            itemInv[ni] = gather(items, ci[base + k], itemVecs, ni);
            ni++;
          }
          scores[k] =
              invTau * ops.dot(userVecs, pairUser[k] * dim, itemVecs, pairItem[k] * dim, dim);
          logQ[k] = cq[base + k];
        }
        weight[0] = cw[r];
        double l = objective.lossAndGradient(scores, 1, width, logQ, weight, grad);
        if (!Double.isFinite(l)) {
          return Float.NaN;
        }
        loss += l;
        java.util.Arrays.fill(userGrad, 0, nu * dim, 0f);
        java.util.Arrays.fill(itemGrad, 0, ni * dim, 0f);
        java.util.Arrays.fill(userTouched, 0, nu, false);
        java.util.Arrays.fill(itemTouched, 0, ni, false);
        for (int k = 0; k < width; k++) {
          float g = grad[k] * invTau;
          if (g != 0f) {
            ops.axpy(g, itemVecs, pairItem[k] * dim, userGrad, pairUser[k] * dim, dim);
            ops.axpy(g, userVecs, pairUser[k] * dim, itemGrad, pairItem[k] * dim, dim);
            userTouched[pairUser[k]] = true;
            itemTouched[pairItem[k]] = true;
          }
        }
        // rows without a gradient (WARP's candidates after the violator, hinge and CCL negatives
        // inside the margin) are not touched: no optimizer step, no L2, as in implicit and LightFM
        if (gmf != null) {
          for (int a = 0; a < nu; a++) {
            if (userTouched[a]) {
              gmf.backprop(users.data(), users.offset(userRows[a]), userGrad, a * dim, gmfGrad);
            }
          }
        }
        if (policy.updatesUsers()) {
          for (int a = 0; a < nu; a++) {
            if (userTouched[a]) {
              update(users, userOptimizer, userRows[a], userVecs, userInv[a], userGrad, a, step);
            }
          }
        }
        if (policy.updatesItems()) {
          for (int b = 0; b < ni; b++) {
            if (itemTouched[b]) {
              update(items, itemOptimizer, itemRows[b], itemVecs, itemInv[b], itemGrad, b, step);
            }
          }
        }
        policy.afterStep(pairs.users(), pairs.items(), from + r, 1, users, items);
      }
      if (gmf != null) {
        gmf.step(gmfGrad, step);
      }
      return (float) (loss / Math.max(1, size));
    }

    /** The slot of {@code row} among the first {@code n} distinct rows, or {@code n} if new. */
    private int slot(int[] rows, int n, int row) {
      for (int s = 0; s < n; s++) {
        if (rows[s] == row) {
          return s;
        }
      }
      return n;
    }

    /** Copies a row into slot {@code s} (normalised for cosine); returns 1/‖row‖ (1 for dot). */
    private float gather(EmbeddingTable table, int row, float[] out, int s) {
      int off = table.offset(row);
      System.arraycopy(table.data(), off, out, s * dim, dim);
      if (gmf != null && table == users) {
        gmf.fold(out, s * dim);
      }
      if (!cosine) {
        return 1f;
      }
      float norm = (float) Math.sqrt(ops.dot(out, s * dim, out, s * dim, dim));
      float inv = 1f / Math.max(norm, MIN_NORM);
      ops.scale(inv, out, s * dim, dim);
      return inv;
    }

    /**
     * Backpropagates through the normalisation (cosine), adds λ·w, and steps the optimizer on one
     * row.
     */
    private void update(
        EmbeddingTable table,
        RowOptimizer optimizer,
        int row,
        float[] vecs,
        float inv,
        float[] g,
        int s,
        long step) {
      int go = s * dim;
      if (cosine) {
        float gx = ops.dot(g, go, vecs, go, dim);
        ops.axpy(-gx, vecs, go, g, go, dim);
        ops.scale(inv, g, go, dim);
      }
      float[] data = table.data();
      int off = table.offset(row);
      if (l2 > 0f) {
        ops.axpy(l2, data, off, g, go, dim);
      }
      optimizer.step(data, off, g, go, row, step);
    }
  }
}
