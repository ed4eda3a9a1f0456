package org.totalrecall.train;

import java.util.Arrays;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.loss.FullSoftmaxLoss;

/**
 * The exact full-softmax trainer (the {@code FULL} layout; Rendle's survey sec. 4.1): a step is a
 * mini-batch of B positives scored against every item with one blocked GEMM (B × N), the softmax
 * over all N items ({@link FullSoftmaxLoss}), dU = G·I and dI = Gᵀ·U with two more GEMMs, then an
 * optimizer step on the batch's users and on every item row (the full softmax's item gradient is
 * dense). Costs about 3·B·N·d flops per batch: the reference against which sampled objectives are
 * judged, practical for catalogues up to some 10⁵ items. Steps run concurrently (Hogwild over the
 * item table).
 */
final class FullSoftmaxSolver extends PairSolver {
  private static final float MIN_NORM = 1e-12f;

  private final Worker[] workers;
  private final boolean cosine;
  private final float invTau;
  private final float l2;
  private final int dim;
  private final VectorOps ops;
  private final UpdateSpec update;

  FullSoftmaxSolver(
      Interactions train,
      TrainConfig config,
      EmbeddingTable users,
      EmbeddingTable items,
      VectorOps ops) {
    super(train, config, users, items, config.batchSize());
    this.ops = ops;
    this.update = config.update();
    this.cosine = config.scorer() == org.totalrecall.model.Scorer.Kind.COSINE;
    this.invTau = cosine ? 1f / config.temperature() : 1f;
    this.l2 = config.l2();
    this.dim = config.dim();
    this.workers = new Worker[config.threads()];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Worker(items.rows());
    }
  }

  @Override
  public int workers() {
    return workers.length;
  }

  @Override
  public float step(int worker, int epoch, int step, long globalStep) {
    return workers[worker].train(first(step), size(step), globalStep);
  }

  /**
   * One worker's scratch, allocated once: the batch's user rows, the item table (normalised), S/G,
   * Gᵀ, dU, dI.
   */
  private final class Worker {
    private final FullSoftmaxLoss loss = new FullSoftmaxLoss(ops);
    private final int numItems;
    private final float[] u;
    private final float[] uInv;
    private final float[] itemMat;
    private final float[] itemInv;
    private final float[] scores;
    private final float[] gradT;
    private final float[] dU;
    private final float[] dI;
    private final int[] positives;
    private final long[] keys;
    private final float[] acc;
    private final float[] gmfGrad;

    Worker(int numItems) {
      this.numItems = numItems;
      this.u = new float[stepSize * dim];
      this.uInv = new float[stepSize];
      this.itemMat = cosine ? new float[numItems * dim] : null;
      this.itemInv = cosine ? new float[numItems] : null;
      this.scores = new float[Math.multiplyExact(stepSize, numItems)];
      this.gradT = new float[scores.length];
      this.dU = new float[stepSize * dim];
      this.dI = new float[numItems * dim];
      this.positives = new int[stepSize];
      this.keys = new long[stepSize];
      this.acc = new float[dim];
      this.gmfGrad = gmf == null ? null : new float[dim];
    }

    float train(int from, int size, long step) {
      final int d = dim;
      final int[] bu = pairs.users();
      final int[] bi = pairs.items();
      for (int b = 0; b < size; b++) {
        int off = users.offset(bu[from + b]);
        System.arraycopy(users.data(), off, u, b * d, d);
        if (gmf != null) {
          gmf.fold(u, b * d);
        }
        if (cosine) {
          float inv = 1f / Math.max((float) Math.sqrt(ops.dot(u, b * d, u, b * d, d)), MIN_NORM);
          uInv[b] = inv;
          ops.scale(inv * invTau, u, b * d, d);
        }
        positives[b] = bi[from + b];
      }
      float[] mat = items.data();
      if (cosine) {
        System.arraycopy(items.data(), 0, itemMat, 0, numItems * d);
        for (int i = 0; i < numItems; i++) {
          float inv =
              1f
                  / Math.max(
                      (float) Math.sqrt(ops.dot(itemMat, i * d, itemMat, i * d, d)), MIN_NORM);
          itemInv[i] = inv;
          ops.scale(inv, itemMat, i * d, d);
        }
        mat = itemMat;
      }
      ops.gemmAbt(u, 0, size, mat, 0, numItems, d, scores, 0, numItems);
      float l = loss.lossAndGradient(scores, size, numItems, positives, scores);
      if (!Float.isFinite(l)) {
        return l;
      }
      ops.gemmAb(scores, 0, size, numItems, mat, 0, d, dU, 0);
      BatchWorker.transpose(scores, size, numItems, gradT);
      ops.gemmAb(gradT, 0, numItems, size, u, 0, d, dI, 0);
      // users: duplicates summed; cosine backprop with x = û/τ, as in BatchWorker
      for (int b = 0; b < size; b++) {
        keys[b] = ((long) bu[from + b] << 32) | b;
      }
      Arrays.sort(keys, 0, size);
      int r = 0;
      while (r < size) {
        int row = (int) (keys[r] >>> 32);
        int first = (int) keys[r];
        System.arraycopy(dU, first * d, acc, 0, d);
        int next = r + 1;
        while (next < size && (int) (keys[next] >>> 32) == row) {
          ops.axpy(1f, dU, ((int) keys[next]) * d, acc, 0, d);
          next++;
        }
        if (cosine) {
          float gx = ops.dot(acc, 0, u, first * d, d);
          ops.axpy(-gx / (invTau * invTau), u, first * d, acc, 0, d);
          ops.scale(invTau * uInv[first], acc, 0, d);
        }
        if (gmf != null) {
          gmf.backprop(users.data(), users.offset(row), acc, 0, gmfGrad);
        }
        if (update.updatesUsers()) {
          apply(users, userOptimizer, row, acc, 0, step);
        }
        r = next;
      }
      if (gmf != null) {
        gmf.step(gmfGrad, step);
      }
      for (int i = 0; i < numItems && update.updatesItems(); i++) {
        if (cosine) {
          float gx = ops.dot(dI, i * d, itemMat, i * d, d);
          ops.axpy(-gx, itemMat, i * d, dI, i * d, d);
          ops.scale(itemInv[i], dI, i * d, d);
        }
        apply(items, itemOptimizer, i, dI, i * d, step);
      }
      update.afterStep(bu, bi, from, size, users, items);
      return l;
    }

    private void apply(
        EmbeddingTable table, RowOptimizer optimizer, int row, float[] g, int gOff, long step) {
      float[] data = table.data();
      int off = table.offset(row);
      if (l2 > 0f) {
        ops.axpy(l2, data, off, g, gOff, dim);
      }
      optimizer.step(data, off, g, gOff, row, step);
    }
  }
}
