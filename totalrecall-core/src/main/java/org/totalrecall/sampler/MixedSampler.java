package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.util.Checks;

/**
 * Mixed negative sampling (Yang et al. 2020, "Mixed Negative Sampling for Learning Two-tower Neural
 * Networks in Recommendations", WWW '20 Companion, sec. 3 and Algorithm 1): the batch's own B
 * positives as in-batch candidates (as {@link InBatchSampler}) followed by M extra item candidates
 * drawn uniformly from all items and, for the i2u direction, M extra user candidates drawn
 * uniformly from all users. The extra candidates are shared by every row (or column) of the batch
 * score matrix, so the matrix is (B + M) × (B + M).
 *
 * <p><b>log Q for a mixture proposal.</b> Sampled softmax (Bengio and Senécal 2008; Jean et al.
 * 2015) estimates the full softmax over all items from a candidate multiset drawn from a proposal Q
 * when each candidate's logit is corrected by log of its expected multiplicity in the multiset:
 * with the logits s(u, j) − log E[n_j], the sum Σ_{j in set} exp(s − log E[n_j]) is, in
 * expectation, Σ_{all j} E[n_j]·exp(s)/E[n_j] = Σ_{all j} exp(s), the full denominator. (Yi et al.
 * 2019, "Sampling-bias-corrected neural modeling", eq. 3, is the special case of in-batch sampling,
 * where E[n_j] = B·q(j) and the constant log B cancels in the softmax.) Here the set is the union
 * of two independent draws: B items from the empirical marginal q (the batch's positive items) and
 * M items uniformly from the N items, so
 *
 * <pre>
 *   E[n_j] = B·q(j) + M/N          log Q(j) = log(B·q(j) + M/N)
 * </pre>
 *
 * and the same for users with the user marginal and the number of users. The correction must be the
 * same function for every candidate of one softmax (in-batch and uniform alike), else the relative
 * weights of the two parts are wrong; a candidate's log Q therefore does not depend on which part
 * produced it. For M = 0 this is log q(j) + log B, the in-batch correction up to a constant that
 * the softmax ignores.
 *
 * <p><b>Collisions.</b> A uniform candidate may equal a row's own positive item (or another batch
 * item). Such collisions are kept, as in standard sampled softmax: the estimate above counts every
 * draw, including repeats of the positive, so removing them would bias it; with M/N small (Gowalla:
 * 512 of 40,981 items) a collision with a given row's positive has probability M/N per row and only
 * adds a duplicate negative term. The loss is unchanged (no masking).
 *
 * <p>Immutable and shared by all workers; all randomness comes from the caller's generator. Indices
 * are dense; users and items without training pairs can be drawn by the uniform part (their log Q
 * is log(M/N), finite).
 */
public final class MixedSampler implements BatchSampler {
  private final float[] userQ;
  private final float[] itemQ;
  private final int extra;
  private final int extraUsers;
  private final int extraItems;
  private final float[] userLogQ;
  private final float[] itemLogQ;

  private MixedSampler(
      float[] userQ,
      float[] itemQ,
      int batchSize,
      int extra,
      boolean drawUsers,
      boolean drawItems) {
    this.userQ = userQ;
    this.itemQ = itemQ;
    this.extra = extra;
    this.extraUsers = drawUsers ? extra : 0;
    this.extraItems = drawItems ? extra : 0;
    this.userLogQ = mixtureLogQ(userQ, batchSize, extra);
    this.itemLogQ = mixtureLogQ(itemQ, batchSize, extra);
  }

  /**
   * Builds the sampler from the training pairs: q(u) = count(u) / P and q(i) = count(i) / P with P
   * the number of stored pairs (weights are not used), for batches of {@code batchSize} positives
   * (the B of the expected counts; a shorter last batch uses the same log Q, a negligible
   * difference over one batch per epoch) and {@code extraNegatives} uniform candidates per side.
   *
   * @param train the training pairs; at least one
   * @param batchSize B, positive pairs per full batch; positive
   * @param extraNegatives M, uniform extra candidates per side and batch; positive
   */
  public static MixedSampler fromInteractions(
      Interactions train, int batchSize, int extraNegatives) {
    return fromInteractions(train, batchSize, extraNegatives, true, true);
  }

  /**
   * As {@link #fromInteractions(Interactions, int, int)}, drawing the M extra users only if {@code
   * drawUsers} (the objective has an i2u term) and the M extra items only if {@code drawItems} (a
   * u2i term): a u2i objective then scores B × (B + M), not (B + M)².
   */
  public static MixedSampler fromInteractions(
      Interactions train, int batchSize, int extraNegatives, boolean drawUsers, boolean drawItems) {
    Checks.notNull("train", train);
    Checks.positive("batchSize", batchSize);
    Checks.positive("extraNegatives", extraNegatives);
    if (train.size() == 0) {
      throw new IllegalArgumentException("train has no interactions");
    }
    return new MixedSampler(
        frequencies(train.rowCounts(), train.size()),
        frequencies(train.colCounts(), train.size()),
        batchSize,
        extraNegatives,
        drawUsers,
        drawItems);
  }

  private static float[] frequencies(long[] counts, long total) {
    float[] out = new float[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = (float) ((double) counts[i] / total);
    }
    return out;
  }

  private static float[] mixtureLogQ(float[] q, int batchSize, int extra) {
    float[] out = new float[q.length];
    double uniform = (double) extra / q.length;
    for (int i = 0; i < q.length; i++) {
      out[i] = (float) Math.log((double) batchSize * q[i] + uniform);
    }
    return out;
  }

  /** M, the number of uniform extra candidates per side and batch. */
  public int extraNegatives() {
    return extra;
  }

  /**
   * log(B·q(u) + M/numUsers), the log expected multiplicity of a dense user among the candidates.
   */
  public float userLogQ(int user) {
    return userLogQ[user];
  }

  /**
   * log(B·q(i) + M/numItems), the log expected multiplicity of a dense item among the candidates.
   */
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
    final int[] users = out.users();
    final int[] items = out.items();
    final float[] uq = out.userLogQ();
    final float[] iq = out.itemLogQ();
    out.putPositives(batchUsers, batchItems, from, size, userLogQ, itemLogQ);
    final int numUsers = userQ.length;
    final int numItems = itemQ.length;
    for (int m = size; m < size + extra; m++) {
      if (extraUsers > 0) {
        int u = rng.nextInt(numUsers);
        users[m] = u;
        uq[m] = userLogQ[u];
      }
      if (extraItems > 0) {
        int i = rng.nextInt(numItems);
        items[m] = i;
        iq[m] = itemLogQ[i];
      }
    }
    out.setCounts(size, size + extraUsers, size + extraItems);
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
