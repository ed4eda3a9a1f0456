package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.util.Checks;

/**
 * A {@link RowSampler} whose negatives come from fixed proposals over users and items ({@link
 * NegativeDistribution}s that do not depend on the model): the per-positive corruptions of
 * TotalRecall sec. 3.5 ({@link RatioRowSampler}, MFb [a:b]) and random pairs ({@link
 * RandomPairRowSampler}, MFb [n]). Common to both: the block layout, the accidental-hit policy and
 * the validation of a call.
 *
 * <p><b>Block.</b> Row r of the {@link RowCandidates} is the positive (users[from + r], items[from
 * + r]) in column 0, with log Q 0 and its example weight copied to {@code out.weights()[r]} (1 when
 * {@code weights} is null), followed by {@link #width()} − 1 negative pairs, each with the natural
 * log of the proposal probability of the draw that produced it.
 *
 * <p><b>Accidental hits.</b> With {@code rejectPositives}, a drawn negative that is a training pair
 * ({@code train.contains(user, item)}) is drawn again, up to {@link #MAX_TRIES} draws in all; if
 * every draw hits, the last is kept (a user who has almost every item, say, still gets its
 * negatives in bounded time). Nothing is counted: the sampler keeps no state. The log Q reported
 * stays that of the proposal q. Strictly, rejection makes the effective proposal q renormalised
 * over the non-training pairs: with S the row's training set (the user's items, the item's users,
 * or all training pairs), h = q(S) and T = MAX_TRIES, a draw is j with probability (1 −
 * h^T)·q(j)/(1 − h) for j outside S and h^(T−1)·q(j) for j in S. The reported log Q is thus off by
 * about −log(1 − h) per row; that difference is ignored, as implicit's and LightFM's samplers
 * ignore it (for sparse data h is small). Without {@code rejectPositives} draws are kept as drawn,
 * and log Q is exact; a loss may then see a negative equal to a training pair, including the row's
 * positive.
 *
 * <p>Immutable and stateless: one instance is shared by all workers ({@link #forWorker()} returns
 * {@code this}), all randomness comes from the caller's generator, and a call allocates nothing.
 * Indices are dense; the positives must lie in the training matrix's users × items.
 */
public abstract sealed class StaticRowSampler implements RowSampler
    permits RatioRowSampler, RandomPairRowSampler {
  /** Draws per negative, the first included, before an accidental hit is kept. */
  public static final int MAX_TRIES = 16;

  /** The training pairs (users × items): the accidental hits, and the index ranges. */
  final Interactions train;

  final boolean rejectPositives;
  private final int width;

  StaticRowSampler(Interactions train, int negatives, boolean rejectPositives) {
    this.train = train;
    this.width = 1 + negatives;
    this.rejectPositives = rejectPositives;
  }

  /** Checks that a distribution fits the side it is drawn for (null allowed only when unused). */
  static void checkDistribution(
      String name, NegativeDistribution d, int count, int expectedSize, String side) {
    if (count > 0 && d == null) {
      throw new IllegalArgumentException(
          name + " must not be null when drawing " + count + " negatives from it");
    }
    if (d != null && d.size() != expectedSize) {
      throw new IllegalArgumentException(
          name
              + " must be over the "
              + expectedSize
              + " "
              + side
              + " of train, got "
              + d.size()
              + " indices ("
              + d
              + ")");
    }
  }

  /** Whether drawn training pairs are drawn again (see the class comment). */
  public final boolean rejectPositives() {
    return rejectPositives;
  }

  /** 1 + the negatives per positive. */
  @Override
  public final int width() {
    return width;
  }

  @Override
  public final void sample(
      int[] users,
      int[] items,
      float[] weights,
      int from,
      int size,
      RandomGenerator rng,
      RowCandidates out) {
    checkCall(users, items, weights, from, size, rng, out);
    final int w = width;
    final int[] outUsers = out.users();
    final int[] outItems = out.items();
    final float[] outLogQ = out.logQ();
    final float[] outWeights = out.weights();
    for (int r = 0; r < size; r++) {
      int user = users[from + r];
      int item = items[from + r];
      assert user >= 0 && user < train.numUsers() && item >= 0 && item < train.numItems()
          : user + ", " + item;
      int base = r * w;
      outUsers[base] = user;
      outItems[base] = item;
      outLogQ[base] = 0f;
      outWeights[r] = weights == null ? 1f : weights[from + r];
      negatives(user, item, rng, outUsers, outItems, outLogQ, base + 1);
    }
    out.setRows(size);
  }

  /**
   * Writes the width − 1 negatives of the positive (user, item) at {@code off..off + width − 2} of
   * the three arrays.
   */
  abstract void negatives(
      int user,
      int item,
      RandomGenerator rng,
      int[] outUsers,
      int[] outItems,
      float[] outLogQ,
      int off);

  /**
   * An item for {@code user} from {@code d}, drawn again while it is one of the user's training
   * items.
   */
  final int drawItem(NegativeDistribution d, int user, RandomGenerator rng) {
    int item = d.draw(rng);
    if (rejectPositives) {
      for (int t = 1; t < MAX_TRIES && train.contains(user, item); t++) {
        item = d.draw(rng);
      }
    }
    return item;
  }

  /** A user for {@code item} from {@code d}, drawn again while it has {@code item} in training. */
  final int drawUser(NegativeDistribution d, int item, RandomGenerator rng) {
    int user = d.draw(rng);
    if (rejectPositives) {
      for (int t = 1; t < MAX_TRIES && train.contains(user, item); t++) {
        user = d.draw(rng);
      }
    }
    return user;
  }

  private void checkCall(
      int[] users,
      int[] items,
      float[] weights,
      int from,
      int size,
      RandomGenerator rng,
      RowCandidates out) {
    Checks.notNull("users", users);
    Checks.notNull("items", items);
    Checks.notNull("rng", rng);
    Checks.notNull("out", out);
    if (out.width() != width) {
      throw new IllegalArgumentException(
          "out must have width " + width + " (1 + negatives), got " + out.width());
    }
    if (size < 0 || size > out.maxRows()) {
      throw new IllegalArgumentException(
          "size must be in [0, " + out.maxRows() + "] (out.maxRows()), got " + size);
    }
    int end = from + size;
    if (from < 0
        || end < from
        || end > users.length
        || end > items.length
        || (weights != null && end > weights.length)) {
      throw new IllegalArgumentException(
          "positives ["
              + from
              + ", "
              + end
              + ") exceed the input arrays (users "
              + users.length
              + ", items "
              + items.length
              + (weights == null ? "" : ", weights " + weights.length)
              + ")");
    }
  }
}
