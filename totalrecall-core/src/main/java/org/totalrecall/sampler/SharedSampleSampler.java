package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.util.Checks;

/**
 * One shared sample per batch for sampled softmax (Rendle's survey eq. 19; Bengio &amp; Senécal
 * 2008): the batch's B positive pairs, then M items (and M users, for an i2u term) drawn with
 * replacement from a {@link NegativeDistribution}, shared by every row (column). Unlike {@link
 * MixedSampler}, the other rows' positives are not candidates ({@link
 * BatchCandidates#inBatchNegatives()} is false): row b's softmax runs over its positive and the M
 * draws, with log Q(j) = log(M·q(j)) for a draw and 0 for the positive, so that Σ_l exp(s_l − log(M
 * q_l)) estimates the full denominator. A draw equal to the row's positive (accidental hit) is
 * masked by the trainer.
 *
 * <p>Immutable and shared by the workers; randomness comes from the caller.
 */
public final class SharedSampleSampler implements BatchSampler {
  private final NegativeDistribution users;
  private final NegativeDistribution items;
  private final int extra;
  private final int extraUsers;
  private final int extraItems;

  /**
   * @param users the distribution of the user draws
   * @param items the distribution of the item draws
   * @param extra M ≥ 1, draws per side and batch
   * @param batchSize the largest batch
   */
  public SharedSampleSampler(
      NegativeDistribution users, NegativeDistribution items, int extra, int batchSize) {
    this(users, items, extra, batchSize, true, true);
  }

  /**
   * As {@link #SharedSampleSampler(NegativeDistribution, NegativeDistribution, int, int)}, drawing
   * users only if {@code drawUsers} (an i2u term) and items only if {@code drawItems} (a u2i term):
   * sampled softmax over items then scores B × (B + M), not (B + M)².
   */
  public SharedSampleSampler(
      NegativeDistribution users,
      NegativeDistribution items,
      int extra,
      int batchSize,
      boolean drawUsers,
      boolean drawItems) {
    this.users = Checks.notNull("users", users);
    this.items = Checks.notNull("items", items);
    this.extra = Checks.positive("extra", extra);
    Checks.positive("batchSize", batchSize);
    this.extraUsers = drawUsers ? extra : 0;
    this.extraItems = drawItems ? extra : 0;
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
      us[b] = batchUsers[from + b];
      is[b] = batchItems[from + b];
      uq[b] = 0f;
      iq[b] = 0f;
    }
    float logM = (float) Math.log(extra);
    for (int k = 0; k < extraItems; k++) {
      int i = items.draw(rng);
      is[size + k] = i;
      iq[size + k] = logM + items.logQ(i);
    }
    for (int k = 0; k < extraUsers; k++) {
      int u = users.draw(rng);
      us[size + k] = u;
      uq[size + k] = logM + users.logQ(u);
    }
    out.setCounts(size, size + extraUsers, size + extraItems);
    out.setInBatchNegatives(false);
  }

  @Override
  public int maxUsers(int batchSize) {
    return batchSize + extraUsers;
  }

  @Override
  public int maxItems(int batchSize) {
    return batchSize + extraItems;
  }
}
