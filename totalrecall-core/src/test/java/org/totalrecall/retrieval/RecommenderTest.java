package org.totalrecall.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;

class RecommenderTest {
  private static final float TAU = 0.5f;

  // A tiny model: 4 users and 5 items in 2-d, chosen so that dot and cosine rank differently
  // (item 4 is long but off-axis).
  private static final float[] USERS = {
    1f, 0f,
    0f, 1f,
    1f, 1f,
    -1f, 0.5f
  };
  private static final float[] ITEMS = {
    2f, 0f,
    0f, 1f,
    1f, 0.9f,
    -1f, -1f,
    3f, 2.5f
  };

  /** Training interactions: user 0 saw items 0 and 4, user 2 saw item 2, user 3 saw item 1. */
  private static final Interactions SEEN =
      Interactions.fromPairs(4, 5, new int[] {0, 0, 2, 3}, new int[] {0, 4, 2, 1}, null, null, 4);

  static FactorModel tinyModel(Scorer scorer, Interactions seen) {
    return new FactorModel(
        new EmbeddingTable(4, 2, USERS.clone()),
        new EmbeddingTable(5, 2, ITEMS.clone()),
        null,
        null,
        scorer,
        null,
        seen);
  }

  /** φ(user, item) from the definition, in double. */
  static double phi(FactorModel model, int user, int item) {
    EmbeddingTable u = model.userTable();
    EmbeddingTable v = model.itemTable();
    double dot = 0;
    double nu = 0;
    double nv = 0;
    for (int k = 0; k < model.dim(); k++) {
      dot +=
          (model.scorer().isGmf() ? model.scorer().weight(k) : 1.0)
              * u.get(user, k)
              * v.get(item, k);
      nu += (double) u.get(user, k) * u.get(user, k);
      nv += (double) v.get(item, k) * v.get(item, k);
    }
    if (!model.scorer().isCosine()) {
      return dot;
    }
    return nu == 0 || nv == 0
        ? 0
        : dot / (Math.sqrt(nu) * Math.sqrt(nv)) / model.scorer().temperature();
  }

  static double cosine(EmbeddingTable t, int a, int b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int k = 0; k < t.dim(); k++) {
      dot += (double) t.get(a, k) * t.get(b, k);
      na += (double) t.get(a, k) * t.get(a, k);
      nb += (double) t.get(b, k) * t.get(b, k);
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  /**
   * Indices of {@code scores} sorted by score down, index up, skipping {@code skip[i]}, first k.
   */
  static int[] ranking(double[] scores, boolean[] skip, int k) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (x, y) -> {
          int c = Double.compare(scores[y], scores[x]);
          return c != 0 ? c : Integer.compare(x, y);
        });
    return Arrays.stream(order)
        .filter(i -> skip == null || !skip[i])
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  static void assertRanking(
      int[] expectedIndices, double[] expectedScores, Neighbors got, String where) {
    assertArrayEquals(expectedIndices, got.indices(), where);
    for (int r = 0; r < expectedIndices.length; r++) {
      assertEquals(expectedScores[expectedIndices[r]], got.score(r), 1e-5, where + " rank " + r);
    }
  }

  @Test
  void recommendItemsRanksByPhiInBothScorersAndExcludesSeenItems() {
    for (Scorer scorer : new Scorer[] {Scorer.dot(), Scorer.cosine(TAU), GMF}) {
      FactorModel model = tinyModel(scorer, SEEN);
      Recommender rec = new Recommender(model, 1);
      for (int user = 0; user < 4; user++) {
        double[] phi = new double[5];
        boolean[] seen = new boolean[5];
        for (int item = 0; item < 5; item++) {
          phi[item] = phi(model, user, item);
          seen[item] = SEEN.contains(user, item);
        }
        String where = scorer.kind() + " user " + user;
        assertRanking(ranking(phi, null, 3), phi, rec.recommendItems(user, 3, false), where);
        assertRanking(
            ranking(phi, seen, 10),
            phi,
            rec.recommendItems(user, 10, true),
            where + " excluding seen");
      }
    }
  }

  /** gmf with h = (-1, 2): the second dimension counts double and the first against. */
  static final Scorer GMF = Scorer.gmf(new float[] {-1f, 2f});

  @Test
  void dotCosineAndGmfDisagreeOnTheTinyModelSoEveryPathIsExercised() {
    int dotTop =
        new Recommender(tinyModel(Scorer.dot(), SEEN), 1).recommendItems(2, 1, false).index(0);
    int cosTop =
        new Recommender(tinyModel(Scorer.cosine(TAU), SEEN), 1)
            .recommendItems(2, 1, false)
            .index(0);
    int gmfTop = new Recommender(tinyModel(GMF, SEEN), 1).recommendItems(2, 1, false).index(0);
    assertEquals(4, dotTop, "the longest item wins by dot product");
    assertEquals(2, cosTop, "the item closest to the diagonal wins by cosine");
    double best = Double.NEGATIVE_INFINITY;
    int expected = -1;
    FactorModel gmf = tinyModel(GMF, SEEN);
    for (int item = 0; item < 5; item++) {
      if (phi(gmf, 2, item) > best) {
        best = phi(gmf, 2, item);
        expected = item;
      }
    }
    assertEquals(expected, gmfTop);
    assertTrue(
        gmfTop != dotTop || gmfTop != cosTop, "gmf's h changes the ranking of the tiny model");
  }

  @Test
  void recommendUsersRanksByPhiAndExcludesUsersWhoSawTheItem() {
    for (Scorer scorer : new Scorer[] {Scorer.dot(), Scorer.cosine(TAU), GMF}) {
      FactorModel model = tinyModel(scorer, SEEN);
      Recommender rec = new Recommender(model, 2);
      for (int item = 0; item < 5; item++) {
        double[] phi = new double[4];
        boolean[] seen = new boolean[4];
        for (int user = 0; user < 4; user++) {
          phi[user] = phi(model, user, item);
          seen[user] = SEEN.contains(user, item);
        }
        String where = scorer.kind() + " item " + item;
        assertRanking(ranking(phi, null, 4), phi, rec.recommendUsers(item, 4, false), where);
        assertRanking(
            ranking(phi, seen, 2),
            phi,
            rec.recommendUsers(item, 2, true),
            where + " excluding seen");
      }
    }
  }

  @Test
  void excludeSeenWithoutTrainingInteractionsIsAClearError() {
    Recommender rec = new Recommender(tinyModel(Scorer.dot(), null), 1);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> rec.recommendItems(0, 3, true));
    assertTrue(e.getMessage().contains("FactorModel.seen() is null"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> rec.recommendUsers(0, 3, true));
    assertThrows(
        IllegalStateException.class,
        () -> rec.recommendUsersForItems(new int[] {1}, 3, Aggregation.MEAN, true));
    assertEquals(
        3,
        rec.recommendItems(0, 3, false).size(),
        "without exclusion the model needs no interactions");
  }

  /**
   * log of the aggregate of exp φ over the group, from the definition (small φ: direct exp is
   * safe).
   */
  static double groupScore(FactorModel model, int user, int[] group, Aggregation agg) {
    return groupScore(model, user, group, agg, false);
  }

  /**
   * With {@code unseenOnly}, over the group items the user has no training interaction with (−∞ if
   * none).
   */
  static double groupScore(
      FactorModel model, int user, int[] group, Aggregation agg, boolean unseenOnly) {
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    int n = 0;
    for (int item : group) {
      if (unseenOnly && model.seen().contains(user, item)) {
        continue;
      }
      double p = phi(model, user, item);
      sum += Math.exp(p);
      max = Math.max(max, p);
      n++;
    }
    if (n == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    return switch (agg) {
      case MEAN -> Math.log(sum / n);
      case SUM -> Math.log(sum);
      case MAX -> max;
    };
  }

  static FactorModel randomModel(Scorer scorer, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int numUsers = 700;
    int numItems = 40;
    int[] us = new int[3000];
    int[] is = new int[3000];
    for (int n = 0; n < us.length; n++) {
      us[n] = rng.nextInt(numUsers);
      is[n] = rng.nextInt(numItems);
    }
    Interactions seen = Interactions.fromPairs(numUsers, numItems, us, is, null, null, us.length);
    return new FactorModel(
        EmbeddingTable.gaussian(numUsers, 8, 1f, rng),
        EmbeddingTable.gaussian(numItems, 8, 1f, rng),
        null,
        null,
        scorer,
        null,
        seen);
  }

  @Test
  void groupAggregationsMatchBruteForceAndLeaveEachUsersSeenItemsOut() {
    long seed = 99L;
    int[] group = {3, 7, 11, 20, 39};
    for (Scorer scorer : new Scorer[] {Scorer.dot(), Scorer.cosine(0.2f)}) {
      FactorModel model = randomModel(scorer, seed);
      Recommender rec = new Recommender(model, 3);
      int partly = 0;
      for (int u = 0; u < model.numUsers(); u++) {
        int seenInGroup = 0;
        for (int item : group) {
          seenInGroup += model.seen().contains(u, item) ? 1 : 0;
        }
        partly += seenInGroup > 0 && seenInGroup < group.length ? 1 : 0;
      }
      assertTrue(partly > 0, "the fixture has users who saw part of the group");
      for (Aggregation agg : Aggregation.values()) {
        double[] expected = new double[model.numUsers()];
        double[] unseen = new double[model.numUsers()];
        boolean[] none = new boolean[model.numUsers()];
        for (int u = 0; u < expected.length; u++) {
          expected[u] = groupScore(model, u, group, agg);
          unseen[u] = groupScore(model, u, group, agg, true);
          none[u] = unseen[u] == Double.NEGATIVE_INFINITY;
        }
        String where = scorer.kind() + " " + agg;
        Neighbors all = rec.recommendUsersForItems(group, 25, agg, false);
        Neighbors fresh = rec.recommendUsersForItems(group, 25, agg, true);
        assertRanking(ranking(expected, null, 25), expected, all, where);
        assertRanking(
            ranking(unseen, none, 25), unseen, fresh, where + " over each user's unseen items");
      }
    }
  }

  @Test
  void groupScoresOfMeanAndSumDifferByLogGroupSizeAndIgnoreTheThreadCount() {
    FactorModel model = randomModel(Scorer.cosine(0.1f), 5L);
    int[] group = {0, 1, 2, 5, 8, 13, 21, 34};
    // over the whole group (nothing left out) mean and sum differ by log |G|
    Neighbors mean =
        new Recommender(model, 1).recommendUsersForItems(group, 50, Aggregation.MEAN, false);
    Neighbors sum =
        new Recommender(model, 3).recommendUsersForItems(group, 50, Aggregation.SUM, false);
    Neighbors meanThreaded =
        new Recommender(model, 3).recommendUsersForItems(group, 50, Aggregation.MEAN, false);
    assertArrayEquals(mean.indices(), sum.indices());
    for (int r = 0; r < mean.size(); r++) {
      assertEquals(Math.log(group.length), sum.score(r) - mean.score(r), 1e-4, "rank " + r);
    }
    assertArrayEquals(mean.indices(), meanThreaded.indices());
    assertArrayEquals(mean.scores(), meanThreaded.scores());
    Neighbors unseen =
        new Recommender(model, 1).recommendUsersForItems(group, 50, Aggregation.MEAN, true);
    Neighbors unseenThreaded =
        new Recommender(model, 3).recommendUsersForItems(group, 50, Aggregation.MEAN, true);
    assertArrayEquals(unseen.indices(), unseenThreaded.indices());
    assertArrayEquals(unseen.scores(), unseenThreaded.scores());
  }

  @Test
  void groupOfOneItemIsTheSingleItemAudienceForEveryAggregation() {
    FactorModel model = randomModel(Scorer.dot(), 6L);
    Recommender rec = new Recommender(model, 2);
    Neighbors single = rec.recommendUsers(17, 10, true);
    for (Aggregation agg : Aggregation.values()) {
      Neighbors group = rec.recommendUsersForItems(new int[] {17}, 10, agg, true);
      assertArrayEquals(single.indices(), group.indices(), agg.name());
      for (int r = 0; r < single.size(); r++) {
        assertEquals(single.score(r), group.score(r), 1e-5f, agg + " rank " + r);
      }
    }
  }

  @Test
  void groupsMustBeNonEmptySetsOfValidItems() {
    Recommender rec = new Recommender(tinyModel(Scorer.dot(), SEEN), 1);
    assertThrows(
        IllegalArgumentException.class,
        () -> rec.recommendUsersForItems(new int[0], 2, Aggregation.MAX, false));
    IllegalArgumentException dup =
        assertThrows(
            IllegalArgumentException.class,
            () -> rec.recommendUsersForItems(new int[] {1, 2, 1}, 2, Aggregation.MAX, false));
    assertEquals("groupItems[2] repeats item 1: a group is a set", dup.getMessage());
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> rec.recommendUsersForItems(new int[] {5}, 2, Aggregation.MAX, false));
  }

  @Test
  void similarItemsAndUsersRankByRawCosineAndLeaveOutTheQuery() {
    for (Scorer scorer : new Scorer[] {Scorer.dot(), Scorer.cosine(TAU), GMF}) {
      FactorModel model = tinyModel(scorer, SEEN);
      Recommender rec = new Recommender(model, 1);
      for (int item = 0; item < 5; item++) {
        double[] cos = new double[5];
        boolean[] self = new boolean[5];
        for (int other = 0; other < 5; other++) {
          cos[other] = cosine(model.itemTable(), item, other);
        }
        self[item] = true;
        Neighbors got = rec.similarItems(item, 10);
        assertRanking(ranking(cos, self, 10), cos, got, scorer.kind() + " item " + item);
        assertEquals(4, got.size());
      }
      for (int user = 0; user < 4; user++) {
        double[] cos = new double[4];
        boolean[] self = new boolean[4];
        for (int other = 0; other < 4; other++) {
          cos[other] = cosine(model.userTable(), user, other);
        }
        self[user] = true;
        assertRanking(
            ranking(cos, self, 2), cos, rec.similarUsers(user, 2), scorer.kind() + " user " + user);
      }
    }
  }

  @Test
  void anItemParallelToTheQueryIsItsNearestNeighbourWithCosineOne() {
    // Item 2 of this table is item 0 scaled by 3: cosine exactly 1, and item 0 itself is skipped.
    float[] items = {1f, 2f, 0f, -1f, 3f, 6f};
    FactorModel model =
        new FactorModel(
            new EmbeddingTable(1, 2, new float[] {1f, 1f}),
            new EmbeddingTable(3, 2, items),
            null,
            null,
            Scorer.dot(),
            null,
            null);
    Neighbors got = new Recommender(model, 1).similarItems(0, 1);
    assertEquals(2, got.index(0));
    assertEquals(1f, got.score(0), 1e-6f);
  }

  @Test
  void rejectsOutOfRangeIndicesNamingTheArgument() {
    Recommender rec = new Recommender(tinyModel(Scorer.dot(), SEEN), 1);
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> rec.recommendItems(4, 1, false));
    assertEquals("user must be in [0, 4), got 4", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> rec.recommendUsers(-1, 1, false));
    assertThrows(IllegalArgumentException.class, () -> rec.similarItems(0, 0));
  }
}
