package org.totalrecall.eval;

import java.util.SplittableRandom;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.util.Checks;

/**
 * Carves a validation set out of a training part, for early stopping and tuning while the test part
 * stays untouched: the model is trained on {@link Holdout#fit()} and validated on {@link
 * Holdout#validation()}, which are disjoint and together make the training part. Seeded and
 * deterministic: users are visited in index order with one {@link SplittableRandom}. Stateless.
 */
public final class HoldoutValidation {
  private HoldoutValidation() {}

  /**
   * The two parts of a training set.
   *
   * @param fit what the model is trained on, users × items
   * @param validation the held-out interactions, users × items, disjoint from {@code fit}
   */
  public record Holdout(Interactions fit, Interactions validation) {
    public Holdout {
      Checks.notNull("fit", fit);
      Checks.notNull("validation", validation);
    }
  }

  /**
   * Holds out one uniformly chosen interaction of every user with at least 2 (leave-one-out
   * validation).
   */
  public static Holdout split(Interactions train, long seed) {
    return split(train, seed, 0.0);
  }

  /**
   * Holds out, for every user with n ≥ 2 interactions, round(fraction · n) clamped to [1, n − 1]
   * uniformly chosen ones; {@code fraction} = 0 holds out exactly one per such user.
   *
   * @param fraction in [0, 1)
   */
  public static Holdout split(Interactions train, long seed, double fraction) {
    Checks.notNull("train", train);
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1), got " + fraction);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    boolean[] held = new boolean[train.size()];
    int[] positions = new int[0];
    for (int u = 0; u < train.numRows(); u++) {
      int n = train.rowLength(u);
      if (n < 2) {
        continue;
      }
      int k = fraction == 0 ? 1 : (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n)));
      if (positions.length < n) {
        positions = new int[Math.max(n, 2 * positions.length)];
      }
      for (int j = 0; j < n; j++) {
        positions[j] = train.start(u) + j;
      }
      Protocols.partialShuffle(positions, 0, n, k, rng);
      for (int j = 0; j < k; j++) {
        held[positions[j]] = true;
      }
    }
    return new Holdout(
        InteractionSets.select(train, held, false), InteractionSets.select(train, held, true));
  }

  /**
   * A split for validating a model of {@code protocol}'s direction during training: the training
   * part is {@code holdout.fit()} and the evaluated part ({@link ProtocolSplit#part()}
   * "validation") is {@code holdout.validation()}, oriented by the protocol's direction (items ×
   * users for i2u). With {@code sampledNegatives > 0} (u2i only) each validation user ranks its
   * held-out items against that many distinct items drawn uniformly (seeded) from those outside its
   * whole training row, else every item not in its fit part.
   */
  public static ProtocolSplit asSplit(
      Protocol protocol,
      Holdout holdout,
      IdIndex users,
      IdIndex items,
      long seed,
      int sampledNegatives) {
    Checks.notNull("protocol", protocol);
    Checks.notNull("holdout", holdout);
    Checks.nonNegative("sampledNegatives", sampledNegatives);
    if (protocol == Protocol.PUMS_GROUP) {
      throw new IllegalArgumentException(
          "validate pums-group models with protocol pums (same training part)");
    }
    int[][] candidates = null;
    if (sampledNegatives > 0) {
      if (protocol.direction() != Direction.U2I) {
        throw new IllegalArgumentException(
            "sampled validation candidates exist only for u2i protocols, not " + protocol);
      }
      Interactions history = InteractionSets.union(holdout.fit(), holdout.validation());
      candidates =
          Protocols.sampleCandidates(
              history, holdout.validation(), sampledNegatives, new SplittableRandom(seed));
    }
    Interactions validation =
        protocol.direction() == Direction.U2I
            ? holdout.validation()
            : holdout.validation().transpose();
    return new ProtocolSplit(
        protocol,
        "validation",
        ProtocolOptions.defaults().withSeed(seed),
        users,
        items,
        holdout.fit(),
        validation,
        candidates,
        null,
        null,
        null);
  }
}
