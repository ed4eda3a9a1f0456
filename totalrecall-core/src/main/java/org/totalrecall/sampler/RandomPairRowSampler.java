package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.util.Checks;

/**
 * MFb [n] sampling (TotalRecall sec. 3.5, case 5): for each positive, n negative pairs (v, j) whose
 * user and item are drawn independently, v from a user proposal and j from an item proposal, so a
 * pair has probability q(v, j) = q_U(v)·q_I(j) and log Q = log q_U(v) + log q_I(j). With both
 * proposals uniform this is the paper's [8]: pairs uniform over the users × items grid, which with
 * a binary loss models p(u, i).
 *
 * <pre>
 *   row r, width 1 + n:
 *   column   0        1 .. n
 *   pair     (u, i)   (v_1, j_1) .. (v_n, j_n)      both sides vary, independent of (u, i)
 *   log Q    0        log q_U(v_k) + log q_I(j_k)
 * </pre>
 *
 * <p>An accidental hit is a drawn pair that is a training pair, (v, j) with {@code
 * train.contains(v, j)}; with {@code rejectPositives} the whole pair is drawn again. The policy,
 * the reported log Q and thread safety are as stated in {@link StaticRowSampler}.
 */
public final class RandomPairRowSampler extends StaticRowSampler {
  private final int negatives;
  private final NegativeDistribution userDistribution;
  private final NegativeDistribution itemDistribution;

  private RandomPairRowSampler(
      Interactions train,
      int negatives,
      NegativeDistribution userDistribution,
      NegativeDistribution itemDistribution,
      boolean rejectPositives) {
    super(train, negatives, rejectPositives);
    this.negatives = negatives;
    this.userDistribution = userDistribution;
    this.itemDistribution = itemDistribution;
  }

  /**
   * Builds an [n] sampler.
   *
   * @param train the training pairs (users × items): accidental hits and index ranges
   * @param negatives n, negative pairs per positive; in [1, Integer.MAX_VALUE − 1]
   * @param userDistribution the proposal over train's users
   * @param itemDistribution the proposal over train's items
   * @param rejectPositives draw a training pair again (up to {@link #MAX_TRIES} draws)
   */
  public static RandomPairRowSampler of(
      Interactions train,
      int negatives,
      NegativeDistribution userDistribution,
      NegativeDistribution itemDistribution,
      boolean rejectPositives) {
    Checks.notNull("train", train);
    Checks.positive("negatives", negatives);
    if (negatives == Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "negatives must be < " + Integer.MAX_VALUE + ", got " + negatives);
    }
    Checks.notNull("userDistribution", userDistribution);
    Checks.notNull("itemDistribution", itemDistribution);
    checkDistribution("userDistribution", userDistribution, negatives, train.numUsers(), "users");
    checkDistribution("itemDistribution", itemDistribution, negatives, train.numItems(), "items");
    return new RandomPairRowSampler(
        train, negatives, userDistribution, itemDistribution, rejectPositives);
  }

  /** n, the negative pairs per positive. */
  public int negatives() {
    return negatives;
  }

  /** The proposal of the negatives' users. */
  public NegativeDistribution userDistribution() {
    return userDistribution;
  }

  /** The proposal of the negatives' items. */
  public NegativeDistribution itemDistribution() {
    return itemDistribution;
  }

  @Override
  void negatives(
      int user,
      int item,
      RandomGenerator rng,
      int[] outUsers,
      int[] outItems,
      float[] outLogQ,
      int off) {
    final NegativeDistribution du = userDistribution;
    final NegativeDistribution di = itemDistribution;
    for (int k = off, end = off + negatives; k < end; k++) {
      int v = du.draw(rng);
      int j = di.draw(rng);
      if (rejectPositives) {
        for (int t = 1; t < MAX_TRIES && train.contains(v, j); t++) {
          v = du.draw(rng);
          j = di.draw(rng);
        }
      }
      outUsers[k] = v;
      outItems[k] = j;
      outLogQ[k] = du.logQ(v) + di.logQ(j);
    }
  }

  /** For example "MFb [8] (users uniform over 6040, items uniform over 3706)". */
  @Override
  public String toString() {
    return "MFb ["
        + negatives
        + "] (users "
        + userDistribution
        + ", items "
        + itemDistribution
        + (rejectPositives ? ", rejecting training pairs" : "")
        + ")";
  }
}
