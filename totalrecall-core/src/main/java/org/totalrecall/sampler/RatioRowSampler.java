package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.util.Checks;

/**
 * MFb [a:b] sampling (TotalRecall sec. 3.5 and App. A.4): for each positive (u, i), a negative
 * users v drawn from a user proposal, each paired with the positive's item as (v, i), and b
 * negative items j drawn from an item proposal, each paired with the positive's user as (u, j).
 * With a binary (Bernoulli) loss the ratios model different targets: [0:8] → p(i|u) (the usual
 * per-user item sampling, Rendle et al. 2020), [8:0] → p(u|i), [4:4] and [8:8] → the PMI-like
 * p(u,i)/(p(u)p(i)). Each proposal is uniform or popularity^β ({@link NegativeDistribution}).
 *
 * <pre>
 *   row r, width 1 + a + b:
 *   column   0        1 .. a             a+1 .. a+b
 *   pair     (u, i)   (v_1, i)..(v_a, i)  (u, j_1)..(u, j_b)
 *   log Q    0        log q_U(v_k)        log q_I(j_k)
 *            ^ the    ^ user negatives:   ^ item negatives:
 *            positive   the user varies     the item varies
 * </pre>
 *
 * <p>Accidental hits (a drawn v who has i in training, a drawn j that u has in training), the
 * reported log Q and thread safety are as stated in {@link StaticRowSampler}.
 */
public final class RatioRowSampler extends StaticRowSampler {
  private final int userNegatives;
  private final NegativeDistribution userDistribution;
  private final int itemNegatives;
  private final NegativeDistribution itemDistribution;

  private RatioRowSampler(
      Interactions train,
      int userNegatives,
      NegativeDistribution userDistribution,
      int itemNegatives,
      NegativeDistribution itemDistribution,
      boolean rejectPositives) {
    super(train, userNegatives + itemNegatives, rejectPositives);
    this.userNegatives = userNegatives;
    this.userDistribution = userDistribution;
    this.itemNegatives = itemNegatives;
    this.itemDistribution = itemDistribution;
  }

  /**
   * Builds an [a:b] sampler.
   *
   * @param train the training pairs (users × items): accidental hits and index ranges
   * @param userNegatives a, negative users per positive; ≥ 0
   * @param userDistribution the proposal over train's users; may be null only if a = 0
   * @param itemNegatives b, negative items per positive; ≥ 0, and a + b ≥ 1
   * @param itemDistribution the proposal over train's items; may be null only if b = 0
   * @param rejectPositives draw a training pair again (up to {@link #MAX_TRIES} draws)
   */
  public static RatioRowSampler of(
      Interactions train,
      int userNegatives,
      NegativeDistribution userDistribution,
      int itemNegatives,
      NegativeDistribution itemDistribution,
      boolean rejectPositives) {
    Checks.notNull("train", train);
    Checks.nonNegative("userNegatives", userNegatives);
    Checks.nonNegative("itemNegatives", itemNegatives);
    if (userNegatives + itemNegatives < 1 || userNegatives + itemNegatives >= Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "userNegatives + itemNegatives must be in [1, "
              + (Integer.MAX_VALUE - 1)
              + "], got "
              + userNegatives
              + " + "
              + itemNegatives);
    }
    checkDistribution(
        "userDistribution", userDistribution, userNegatives, train.numUsers(), "users");
    checkDistribution(
        "itemDistribution", itemDistribution, itemNegatives, train.numItems(), "items");
    return new RatioRowSampler(
        train, userNegatives, userDistribution, itemNegatives, itemDistribution, rejectPositives);
  }

  /** a, the negative users per positive (columns 1..a). */
  public int userNegatives() {
    return userNegatives;
  }

  /** b, the negative items per positive (columns a+1..a+b). */
  public int itemNegatives() {
    return itemNegatives;
  }

  /** The proposal of the negative users, or null if a = 0. */
  public NegativeDistribution userDistribution() {
    return userDistribution;
  }

  /** The proposal of the negative items, or null if b = 0. */
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
    int k = off;
    for (int n = 0; n < userNegatives; n++, k++) {
      int v = drawUser(du, item, rng);
      outUsers[k] = v;
      outItems[k] = item;
      outLogQ[k] = du.logQ(v);
    }
    for (int n = 0; n < itemNegatives; n++, k++) {
      int j = drawItem(di, user, rng);
      outUsers[k] = user;
      outItems[k] = j;
      outLogQ[k] = di.logQ(j);
    }
  }

  /** For example "MFb [4:4] (users uniform over 6040, items popularity^0.75 over 3706)". */
  @Override
  public String toString() {
    String users = userNegatives == 0 ? "" : "users " + userDistribution;
    String items = itemNegatives == 0 ? "" : "items " + itemDistribution;
    return "MFb ["
        + userNegatives
        + ":"
        + itemNegatives
        + "] ("
        + users
        + (users.isEmpty() || items.isEmpty() ? "" : ", ")
        + items
        + (rejectPositives ? ", rejecting training pairs" : "")
        + ")";
  }
}
