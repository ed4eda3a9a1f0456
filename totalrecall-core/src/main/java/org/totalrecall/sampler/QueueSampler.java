package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.util.Checks;

/**
 * CLRec's inter-batch contrastive learning (Zhou et al., paper 003, sec. 3.2.2): a FIFO queue of
 * capacity r keys — the current batch's B and the r − B most recent positives of the worker's
 * earlier batches — serves as the shared negatives. The queue holds the input data (indices), not
 * encodings: every step scores the queued items with the current item table ("it will recompute all
 * the representations in B using the most recent updated key encoder"), so they receive gradients
 * like the batch's own. With r = B it is intra-batch learning, {@link InBatchSampler} (sec. 3.2.1).
 * For an objective with an i2u term the positives' users are queued too.
 *
 * <p>log Q: a queued key is the item of a training pair drawn uniformly, like an in-batch one, so
 * its log Q is the log of its empirical marginal (the in-batch table); the expected multiplicity of
 * item j among the B + r' keys is (B + r')·q(j) and the constant cancels in the softmax. Accidental
 * hits (a queued item equal to a row's own positive) are kept, as in in-batch sampling.
 *
 * <p>Each worker has its own queue ({@link #forWorker()}), emptied at each epoch's start (so a
 * resumed run samples as the uninterrupted one does). A step copies at most r indices and allocates
 * nothing.
 */
public final class QueueSampler implements BatchSampler {
  private final InBatchSampler marginals;
  private final int extra;
  private final boolean queueUsers;
  private final boolean queueItems;
  // per worker: ring of the last `extra` positives
  private final int[] ringUsers;
  private final int[] ringItems;
  private int head;
  private int filled;

  /**
   * @param train the training pairs (their marginals are the log Q)
   * @param batchSize B
   * @param capacity r ≥ B: the keys per step, the batch's included
   * @param queueUsers queue the positives' users as extra user candidates (an i2u term)
   * @param queueItems queue the positives' items as extra item candidates (a u2i term)
   */
  public QueueSampler(
      Interactions train, int batchSize, int capacity, boolean queueUsers, boolean queueItems) {
    this(
        InBatchSampler.fromInteractions(Checks.notNull("train", train)),
        extra(batchSize, capacity),
        queueUsers,
        queueItems);
  }

  private QueueSampler(
      InBatchSampler marginals, int extra, boolean queueUsers, boolean queueItems) {
    this.marginals = marginals;
    this.extra = extra;
    this.queueUsers = queueUsers;
    this.queueItems = queueItems;
    this.ringUsers = new int[extra];
    this.ringItems = new int[extra];
  }

  static int extra(int batchSize, int capacity) {
    Checks.positive("batchSize", batchSize);
    if (capacity < batchSize) {
      throw new IllegalArgumentException(
          "the queue's capacity r must be at least the batch size "
              + batchSize
              + ", got "
              + capacity);
    }
    return capacity - batchSize;
  }

  /** A fresh, empty queue over the same marginals. */
  @Override
  public BatchSampler forWorker() {
    return new QueueSampler(marginals, extra, queueUsers, queueItems);
  }

  /** Empties the queue. */
  @Override
  public void beginEpoch(int epoch) {
    head = 0;
    filled = 0;
  }

  /** The number of keys queued from earlier batches. */
  int queued() {
    return filled;
  }

  @Override
  public void sample(
      int[] batchUsers,
      int[] batchItems,
      int from,
      int size,
      RandomGenerator rng,
      BatchCandidates out) {
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
    }
    // the queue, oldest entry first
    int start = filled < extra ? 0 : head;
    for (int k = 0; k < filled; k++) {
      int slot = start + k < extra ? start + k : start + k - extra;
      if (queueUsers) {
        us[size + k] = ringUsers[slot];
        uq[size + k] = marginals.userLogQ(ringUsers[slot]);
      }
      if (queueItems) {
        is[size + k] = ringItems[slot];
        iq[size + k] = marginals.itemLogQ(ringItems[slot]);
      }
    }
    out.setCounts(size, size + (queueUsers ? filled : 0), size + (queueItems ? filled : 0));
    // enqueue this batch (dequeuing the oldest when full)
    for (int b = Math.max(0, size - extra); b < size; b++) {
      ringUsers[head] = batchUsers[from + b];
      ringItems[head] = batchItems[from + b];
      head = head + 1 == extra ? 0 : head + 1;
      filled = Math.min(filled + 1, extra);
    }
  }

  @Override
  public int maxUsers(int batchSize) {
    return batchSize + (queueUsers ? extra : 0);
  }

  @Override
  public int maxItems(int batchSize) {
    return batchSize + (queueItems ? extra : 0);
  }
}
