package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.util.Checks;

/**
 * CLRec-moco (paper 003, sec. 3.2.3, after MoCo, He et al. 2020): the queue holds cached key
 * vectors rather than indices. The keys come from a key encoder — here a key copy θ_k of the item
 * table — that receives no gradient and follows the trained table θ_q by momentum, eq. 5: θ_k ←
 * λ·θ_k + (1 − λ)·θ_q after every step. A step's negatives are the batch's own items (rows of θ_q,
 * trained as in-batch) and the r − B most recent keys of the worker's earlier batches (columns
 * marked as cached in {@link BatchCandidates#setCachedItems}: no forward through the table, no
 * backward), so the backward pass costs what in-batch's does.
 *
 * <p>The momentum update is applied lazily and exactly: within a worker, an item row changes only
 * when it is one of the batch's positives (queued keys get no gradient), so before a batch the key
 * row of each of its items is brought to the previous step by m = (t − 1) − last updates with the
 * row constant: θ_k ← λ^m·θ_k + (1 − λ^m)·θ_q. The batch's keys, computed with θ_k as of the step's
 * start, enter the queue after the step (MoCo's order). Other workers' Hogwild updates of a row
 * between two of this worker's touches are seen as if they had happened at the later touch. Only
 * item keys are queued (u2i; the user side of an i2u term stays in-batch).
 *
 * <p>log Q as in {@link QueueSampler} (the empirical marginals). Each worker has its own key table
 * and queue ({@link #forWorker()}); the queue is emptied at each epoch's start, the key table is
 * kept (it is not in a checkpoint: a resumed run restarts it from the item table). Memory per
 * worker: the key table (|I|·d floats) and r·d floats of queue. A step allocates nothing.
 */
public final class MomentumQueueSampler implements BatchSampler {
  private final InBatchSampler marginals;
  private final EmbeddingTable items;
  private final int extra;
  private final int batchSize;
  private final float momentum;
  private final VectorOps ops;
  // per worker
  private final float[] keys;
  private final long[] last;
  private final float[] ring; // extra × d key vectors, oldest at head once full
  private final int[] ringItems;
  private final float[] pending; // this batch's keys, queued at the next step
  private final int[] pendingItems;
  private int pendingCount;
  private int head;
  private int filled;
  private long step;

  /**
   * @param train the training pairs (their marginals are the log Q)
   * @param items θ_q, the trained item table (read only)
   * @param batchSize B
   * @param capacity r ≥ B: the keys per step, the batch's included
   * @param momentum λ in [0, 1): 0 makes the key table the latest item table
   * @param ops the kernels of the momentum update
   */
  public MomentumQueueSampler(
      Interactions train,
      EmbeddingTable items,
      int batchSize,
      int capacity,
      float momentum,
      VectorOps ops) {
    this(
        InBatchSampler.fromInteractions(Checks.notNull("train", train)),
        Checks.notNull("items", items),
        QueueSampler.extra(batchSize, capacity),
        batchSize,
        momentum,
        Checks.notNull("ops", ops));
    if (items.rows() != train.numItems()) {
      throw new IllegalArgumentException(
          "items has " + items.rows() + " rows, train " + train.numItems() + " items");
    }
  }

  private MomentumQueueSampler(
      InBatchSampler marginals,
      EmbeddingTable items,
      int extra,
      int batchSize,
      float momentum,
      VectorOps ops) {
    if (!(momentum >= 0f && momentum < 1f)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    this.marginals = marginals;
    this.items = items;
    this.extra = extra;
    this.batchSize = batchSize;
    this.momentum = momentum;
    this.ops = ops;
    int d = items.dim();
    this.keys = items.data().clone();
    this.last = new long[items.rows()];
    this.ring = new float[Math.multiplyExact(extra, d)];
    this.ringItems = new int[extra];
    this.pending = new float[Math.multiplyExact(batchSize, d)];
    this.pendingItems = new int[batchSize];
  }

  /** A fresh key table (a copy of the item table as it is now) and an empty queue. */
  @Override
  public BatchSampler forWorker() {
    return new MomentumQueueSampler(marginals, items, extra, batchSize, momentum, ops);
  }

  /** Empties the queue (the key table is kept). */
  @Override
  public void beginEpoch(int epoch) {
    head = 0;
    filled = 0;
    pendingCount = 0;
  }

  /** The key vector of {@code item} as of the last step this worker brought it to, for tests. */
  float[] key(int item) {
    int d = items.dim();
    return java.util.Arrays.copyOfRange(keys, item * d, (item + 1) * d);
  }

  @Override
  public void sample(
      int[] batchUsers,
      int[] batchItems,
      int from,
      int size,
      RandomGenerator rng,
      BatchCandidates out) {
    if (size > batchSize) {
      throw new IllegalArgumentException("size " + size + " exceeds the batch size " + batchSize);
    }
    final int d = items.dim();
    step++;
    // the previous batch's keys enter the queue now that its step is done
    for (int b = Math.max(0, pendingCount - extra); b < pendingCount; b++) {
      System.arraycopy(pending, b * d, ring, head * d, d);
      ringItems[head] = pendingItems[b];
      head = head + 1 == extra ? 0 : head + 1;
      filled = Math.min(filled + 1, extra);
    }
    pendingCount = 0;
    int[] us = out.users();
    int[] is = out.items();
    float[] uq = out.userLogQ();
    float[] iq = out.itemLogQ();
    for (int b = 0; b < size; b++) {
      int u = batchUsers[from + b];
      int i = batchItems[from + b];
      us[b] = u;
      is[b] = i;
      uq[b] = marginals.userLogQ(u);
      iq[b] = marginals.itemLogQ(i);
      catchUp(i, step - 1);
      System.arraycopy(keys, i * d, pending, b * d, d);
      pendingItems[b] = i;
    }
    pendingCount = size;
    // the queue's keys as cached columns: column size + k is ring row k
    for (int k = 0; k < filled; k++) {
      is[size + k] = ringItems[k];
      iq[size + k] = marginals.itemLogQ(ringItems[k]);
    }
    out.setCounts(size, size, size + filled);
    out.setCachedItems(size, ring);
  }

  /**
   * θ_k(i) brought to step {@code to}: (to − last) momentum updates with θ_q(i) unchanged since.
   */
  private void catchUp(int item, long to) {
    long m = to - last[item];
    if (m <= 0) {
      return;
    }
    final int d = items.dim();
    final int ko = item * d;
    final float keep = (float) Math.pow(momentum, (double) m);
    ops.scale(keep, keys, ko, d);
    ops.axpy(1f - keep, items.data(), items.offset(item), keys, ko, d);
    last[item] = to;
  }

  @Override
  public int maxUsers(int batchSize) {
    return batchSize;
  }

  @Override
  public int maxItems(int batchSize) {
    return batchSize + extra;
  }
}
