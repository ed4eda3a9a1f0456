package org.totalrecall.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.loss.BatchObjective;
import org.totalrecall.sampler.BatchCandidates;
import org.totalrecall.sampler.BatchSampler;

/**
 * One training worker: processes whole mini-batches and updates the shared tables in place without
 * locks (Hogwild!, Niu et al. 2011). A race on a row shared with another worker's batch can lose
 * part of an update; with mini-batches over sparse rows that is rare and harmless, and the join at
 * the end of each segment publishes every write before anyone reads the tables.
 *
 * <p>Per batch (R user candidates, C item candidates, B positives, width d):
 *
 * <pre>
 *   gather    U (R×d) = û/τ (cosine), h ⊙ u (gmf) or u (dot);  I (C×d) = î or i
 *   scores    S = U·Iᵀ                       (gemmAbt, R×C)
 *   objective loss, G = dL/dS                (R×C)
 *   backprop  dU = G·I (gemmAb);  dI = Gᵀ·U (G transposed into scratch, gemmAb);
 *             gmf: dh += Σ u ⊙ dU, dU ← h ⊙ dU ({@link GmfWeights})
 *   scatter   duplicate rows summed (sorted keys), cosine normalisation backprop,
 *             + λ·w, one optimizer step per distinct row
 * </pre>
 *
 * All scratch is allocated once in the constructor; nothing is allocated per batch. Not
 * thread-safe: one instance per worker thread.
 */
final class BatchWorker {
  private static final float MIN_NORM = 1e-12f;

  private final EmbeddingTable users;
  private final EmbeddingTable items;
  private final RowOptimizer userOptimizer;
  private final RowOptimizer itemOptimizer;
  private final BatchObjective objective;
  private final BatchSampler sampler;
  private final UpdateSpec update;
  private final VectorOps ops;
  private final boolean cosine;
  private final float temperature;
  private final boolean correctRows;
  private final boolean correctCols;
  private final float l2;
  private final int dim;
  SplittableRandom rng;

  private final BatchCandidates candidates;
  private final float[] uMat;
  private final float[] iMat;
  private final float[] uInvNorm;
  private final float[] iInvNorm;
  private final float[] scores;
  private final float[] grad;
  private final float[] gradT;
  private final float[] dU;
  private final float[] dI;
  private final long[] keys;
  private final float[] rowGrad;
  private final float[]
      logMultiplicity; // per-row u2i multiplicities of a resampling sampler; null otherwise
  private final float logQWeight;
  private final float[] rowLogQ;
  private final float[] colLogQ;
  private final GmfWeights gmf;
  private final float[] gmfGrad;

  BatchWorker(
      EmbeddingTable users,
      EmbeddingTable items,
      RowOptimizer userOptimizer,
      RowOptimizer itemOptimizer,
      BatchObjective objective,
      BatchSampler sampler,
      VectorOps ops,
      TrainConfig config,
      SplittableRandom rng,
      GmfWeights gmf) {
    this.users = users;
    this.items = items;
    this.userOptimizer = userOptimizer;
    this.itemOptimizer = itemOptimizer;
    this.objective = objective;
    this.sampler = sampler;
    this.update = config.update();
    this.ops = ops;
    this.cosine = config.scorer() == org.totalrecall.model.Scorer.Kind.COSINE;
    this.temperature = cosine ? config.temperature() : 1f;
    float alpha = config.objective().correctionWeight();
    boolean correct = alpha > 0f; // α = 0 is no correction
    this.correctRows = correct && objective.usesRowCorrection();
    this.correctCols = correct && objective.usesColumnCorrection();
    this.l2 = config.l2();
    this.dim = config.dim();
    this.rng = rng;
    int maxR = sampler.maxUsers(config.batchSize());
    int maxC = sampler.maxItems(config.batchSize());
    this.candidates = new BatchCandidates(maxR, maxC);
    this.uMat = new float[maxR * dim];
    this.iMat = new float[maxC * dim];
    this.uInvNorm = new float[maxR];
    this.iInvNorm = new float[maxC];
    this.scores = new float[Math.multiplyExact(maxR, maxC)];
    this.grad = new float[scores.length];
    this.logMultiplicity = sampler.resamplesByScore() ? new float[scores.length] : null;
    this.gradT = new float[scores.length];
    this.dU = new float[maxR * dim];
    this.dI = new float[maxC * dim];
    this.keys = new long[Math.max(maxR, maxC)];
    this.rowGrad = new float[dim];
    this.logQWeight = alpha;
    this.rowLogQ = new float[maxR];
    this.colLogQ = new float[maxC];
    this.gmf = gmf;
    this.gmfGrad = gmf == null ? null : new float[dim];
  }

  /**
   * Trains on the pairs (batchUsers[from + b], batchItems[from + b]), b in [0, size), as one
   * mini-batch, global step {@code step} (1-based), and returns its loss (non-finite if training
   * diverged; the tables are then left as they were before this batch's updates).
   */
  float trainBatch(int[] batchUsers, int[] batchItems, int from, int size, long step) {
    final int d = dim;
    sampler.sample(batchUsers, batchItems, from, size, rng, candidates);
    final int rows = candidates.numUsers();
    final int cols = candidates.numItems();
    final int itemRows =
        candidates.itemRows(); // columns from itemRows on are cached key vectors: no gradient
    gather(users, candidates.users(), rows, uMat, uInvNorm, 1f / temperature);
    gather(items, candidates.items(), itemRows, iMat, iInvNorm, 1f);
    if (itemRows < cols) {
      gatherCached(candidates.cachedItemVectors(), itemRows, cols);
    }
    ops.gemmAbt(uMat, 0, rows, iMat, 0, cols, d, scores, 0, cols);
    if (!candidates.inBatchNegatives()) {
      mask(rows, cols);
    }
    if (logMultiplicity != null) {
      sampler.resample(scores, rows, cols, candidates, rng, logMultiplicity);
    }
    float loss =
        objective.lossAndGradient(
            scores,
            candidates.numPositives(),
            rows,
            cols,
            correctRows ? weighted(candidates.userLogQ(), rows, rowLogQ) : null,
            correctCols ? weighted(candidates.itemLogQ(), cols, colLogQ) : null,
            logMultiplicity,
            grad);
    if (!Float.isFinite(loss)) {
      return loss;
    }
    ops.gemmAb(grad, 0, rows, cols, iMat, 0, d, dU, 0);
    transpose(grad, rows, cols, gradT);
    ops.gemmAb(
        gradT, 0, itemRows, rows, uMat, 0, d, dI, 0); // cached keys' rows of Gᵀ·U are not needed
    if (gmf != null) {
      final int[] cu = candidates.users();
      for (int r = 0; r < rows; r++) {
        gmf.backprop(users.data(), users.offset(cu[r]), dU, r * d, gmfGrad);
      }
      gmf.step(gmfGrad, step);
    }
    // users: uMat row = û/τ, so dL/dû = dU/τ and (û·g) terms carry τ² (see scatter)
    if (update.updatesUsers()) {
      scatter(
          users, userOptimizer, candidates.users(), rows, uMat, uInvNorm, dU, temperature, step);
    }
    if (update.updatesItems()) {
      scatter(items, itemOptimizer, candidates.items(), itemRows, iMat, iInvNorm, dI, 1f, step);
    }
    update.afterStep(batchUsers, batchItems, from, size, users, items);
    return loss;
  }

  /**
   * A shared sample: a row's candidates are its own positive and the sampled extras, so the other
   * positives' entries of the B × B block become −∞ (exp gives 0: no loss, no gradient), and so do
   * accidental hits (an extra equal to the row's positive item, or the column's positive user).
   */
  private void mask(int rows, int cols) {
    final int b0 = candidates.numPositives();
    final int[] cu = candidates.users();
    final int[] ci = candidates.items();
    final float ninf = Float.NEGATIVE_INFINITY;
    for (int r = 0; r < rows; r++) {
      int off = r * cols;
      if (r < b0) {
        for (int c = 0; c < b0; c++) {
          if (c != r) {
            scores[off + c] = ninf;
          }
        }
        int own = ci[r];
        for (int c = b0; c < cols; c++) {
          if (ci[c] == own) {
            scores[off + c] = ninf;
          }
        }
      } else {
        for (int c = 0; c < b0; c++) {
          if (cu[r] == cu[c]) {
            scores[off + c] = ninf; // the sampled user is column c's own positive user
          }
        }
      }
    }
  }

  /**
   * The correction the objective subtracts: α·log Q of each candidate (α = {@code logQWeight}),
   * written into {@code out}; the sampler's own log Q when α = 1. The sampler always reports its
   * true log Q; the strength of the correction is the trainer's choice.
   */
  private float[] weighted(float[] logQ, int n, float[] out) {
    if (logQWeight == 1f) {
      return logQ;
    }
    for (int k = 0; k < n; k++) {
      out[k] = logQWeight * logQ[k];
    }
    return out;
  }

  /** Copies the rows into out (R×d), scaled to unit norm and by {@code factor} for cosine. */
  private void gather(
      EmbeddingTable table, int[] rows, int n, float[] out, float[] invNorm, float factor) {
    final float[] data = table.data();
    final int d = dim;
    for (int r = 0; r < n; r++) {
      int off = table.offset(rows[r]);
      System.arraycopy(data, off, out, r * d, d);
      if (gmf != null && table == users) {
        gmf.fold(out, r * d);
      }
      if (cosine) {
        float norm = (float) Math.sqrt(ops.dot(data, off, data, off, d));
        float inv = 1f / Math.max(norm, MIN_NORM);
        invNorm[r] = inv;
        ops.scale(inv * factor, out, r * d, d);
      }
    }
  }

  /**
   * Copies cached key vectors (row k for column from + k) into iMat's columns [from, to),
   * unit-scaled for cosine.
   */
  private void gatherCached(float[] vectors, int from, int to) {
    final int d = dim;
    for (int c = from; c < to; c++) {
      int off = (c - from) * d;
      System.arraycopy(vectors, off, iMat, c * d, d);
      if (cosine) {
        float norm = (float) Math.sqrt(ops.dot(vectors, off, vectors, off, d));
        ops.scale(1f / Math.max(norm, MIN_NORM), iMat, c * d, d);
      }
    }
  }

  /** Tells the worker's sampler that an epoch begins (a stateful sampler resets). */
  void beginEpoch(int epoch) {
    sampler.beginEpoch(epoch);
  }

  /**
   * Sums the gradients of duplicate rows, backpropagates through the cosine normalisation and
   * applies L2 and the optimizer once per distinct row.
   *
   * <p>With x = s·û the gathered row (s = 1/τ for users, 1 for items), û = u/‖u‖ and g = dL/dx:
   * dL/du = (s/‖u‖)·(g − (g·x)·x/s²), the Jacobian of normalisation (I − ûûᵀ)/‖u‖ applied to s·g.
   */
  private void scatter(
      EmbeddingTable table,
      RowOptimizer optimizer,
      int[] rows,
      int n,
      float[] x,
      float[] invNorm,
      float[] g,
      float temperature,
      long step) {
    final long[] k = keys;
    for (int r = 0; r < n; r++) {
      k[r] = ((long) rows[r] << 32) | r;
    }
    Arrays.sort(k, 0, n); // groups duplicates; primitive sort allocates nothing
    final float[] data = table.data();
    final float[] acc = rowGrad;
    final int d = dim;
    final float s = 1f / temperature;
    int r = 0;
    while (r < n) {
      int row = (int) (k[r] >>> 32);
      int first = (int) k[r];
      System.arraycopy(g, first * d, acc, 0, d);
      int next = r + 1;
      while (next < n && (int) (k[next] >>> 32) == row) {
        ops.axpy(1f, g, ((int) k[next]) * d, acc, 0, d);
        next++;
      }
      int off = table.offset(row);
      if (cosine) {
        float gx = ops.dot(acc, 0, x, first * d, d);
        ops.axpy(-gx / (s * s), x, first * d, acc, 0, d);
        ops.scale(s * invNorm[first], acc, 0, d);
      }
      if (l2 > 0f) {
        ops.axpy(l2, data, off, acc, 0, d);
      }
      optimizer.step(data, off, acc, 0, row, step);
      r = next;
    }
  }

  private static final int TILE = 16;

  /**
   * out (cols × rows) = in (rows × cols) transposed, in 16 × 16 tiles: at B = 512 the row stride is
   * 2 KiB, so the 32 rows of a 32-wide tile fall into too few cache sets (measured 1.5x slower).
   */
  static void transpose(float[] in, int rows, int cols, float[] out) {
    for (int r0 = 0; r0 < rows; r0 += TILE) {
      int r1 = Math.min(rows, r0 + TILE);
      for (int c0 = 0; c0 < cols; c0 += TILE) {
        int c1 = Math.min(cols, c0 + TILE);
        for (int r = r0; r < r1; r++) {
          int inOff = r * cols;
          for (int c = c0; c < c1; c++) {
            out[c * rows + r] = in[inOff + c];
          }
        }
      }
    }
  }
}
