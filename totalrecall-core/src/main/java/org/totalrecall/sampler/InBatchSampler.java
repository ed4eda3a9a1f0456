package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.util.Checks;

/**
 * In-batch negatives: the candidates of a batch are its own users and items, so every other
 * positive pair's item is a negative for a user and vice versa (the shared negatives of TotalRecall
 * eq. 3, CLRec's intra-batch negatives, Yi et al. 2019). A pair drawn uniformly from the training
 * data contains item i with probability q(i) = count(i) / N, so the log-probability reported for a
 * candidate is the log of its empirical marginal frequency in the training data; subtracting it is
 * the logQ correction.
 *
 * <p>Immutable and shared by all workers. Indices are dense.
 */
public final class InBatchSampler implements BatchSampler {
  private final float[] userLogQ;
  private final float[] itemLogQ;

  private InBatchSampler(float[] userLogQ, float[] itemLogQ) {
    this.userLogQ = userLogQ;
    this.itemLogQ = itemLogQ;
  }

  /**
   * Builds the sampler from the training pairs: log q(u) = log(count(u) / N) and log q(i) =
   * log(count(i) / N), with N the number of stored (user, item) pairs (weights are not used: each
   * stored pair is one positive). Users or items without pairs get log q = −∞; they never appear in
   * a batch.
   */
  public static InBatchSampler fromInteractions(Interactions train) {
    Checks.notNull("train", train);
    if (train.size() == 0) {
      throw new IllegalArgumentException("train has no interactions");
    }
    return new InBatchSampler(
        logFrequencies(train.rowCounts(), train.size()),
        logFrequencies(train.colCounts(), train.size()));
  }

  private static float[] logFrequencies(long[] counts, long total) {
    float[] out = new float[counts.length];
    double logTotal = Math.log((double) total);
    for (int i = 0; i < counts.length; i++) {
      out[i] =
          counts[i] == 0
              ? Float.NEGATIVE_INFINITY
              : (float) (Math.log((double) counts[i]) - logTotal);
    }
    return out;
  }

  /** log q(user), the empirical marginal of a dense user index. */
  public float userLogQ(int user) {
    return userLogQ[user];
  }

  /** log q(item), the empirical marginal of a dense item index. */
  public float itemLogQ(int item) {
    return itemLogQ[item];
  }

  @Override
  public void sample(
      int[] batchUsers,
      int[] batchItems,
      int from,
      int size,
      RandomGenerator rng,
      BatchCandidates out) {
    out.putPositives(batchUsers, batchItems, from, size, userLogQ, itemLogQ);
    out.setCounts(size, size, size);
  }

  @Override
  public int maxUsers(int batchSize) {
    return batchSize;
  }

  @Override
  public int maxItems(int batchSize) {
    return batchSize;
  }
}
