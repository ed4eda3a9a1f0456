package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.util.Checks;

/**
 * One shared sample per batch for sampled softmax (Rendle's survey eq. 19; Bengio &amp; Senécal
 * 2008): the batch's B positive pairs, then M items (and M users, for an i2u term) drawn with
 * replacement from a {@link NegativeDistribution}, shared by every row (column). Unlike
 * {@link MixedSampler}, the other rows' positives are not candidates
 * ({@link BatchCandidates#inBatchNegatives()} is false): row b's softmax runs over its positive
 * and the M draws, with log Q(j) = log(M·q(j)) for a draw and 0 for the positive, so that
 * Σ_l exp(s_l − log(M q_l)) estimates the full denominator. A draw equal to the row's positive
 * (accidental hit) is masked by the trainer.
 *
 * <p>Immutable and shared by the workers; randomness comes from the caller.
 */
public final class SharedSampleSampler implements BatchSampler {
  private final NegativeDistribution users;
  private final NegativeDistribution items;
  private final int extra;
  private final int batchSize;

  /**
   * @param users the distribution of the user draws
   * @param items the distribution of the item draws
   * @param extra M ≥ 1, draws per side and batch
   * @param batchSize the largest batch
   */
  public SharedSampleSampler(NegativeDistribution users, NegativeDistribution items, int extra, int batchSize) {
    this.users = Checks.notNull("users", users);
    this.items = Checks.notNull("items", items);
    this.extra = Checks.positive("extra", extra);
    this.batchSize = Checks.positive("batchSize", batchSize);
  }

  @Override
  public void sample(int[] batchUsers, int[] batchItems, int from, int size, RandomGenerator rng, BatchCandidates out) {
    int[] us = out.users();
    int[] is = out.items();
    float[] uq = out.userLogQ();
    float[] iq = out.itemLogQ();
    for (int b = 0; b < size; b++) {
      us[b] = batchUsers[from + b];
      is[b] = batchItems[from + b];
      uq[b] = 0f;
      iq[b] = 0f;
    }
    float logM = (float) Math.log(extra);
    for (int k = 0; k < extra; k++) {
      int i = items.draw(rng);
      is[size + k] = i;
      iq[size + k] = logM + items.logQ(i);
      int u = users.draw(rng);
      us[size + k] = u;
      uq[size + k] = logM + users.logQ(u);
    }
    out.setCounts(size, size + extra, size + extra);
    out.setInBatchNegatives(false);
  }

  @Override
  public int maxUsers(int batchSize) {
    return batchSize + extra;
  }

  @Override
  public int maxItems(int batchSize) {
    return batchSize + extra;
  }
}
