package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;

class RatioRowSamplerTest {
  private static final int[] USERS = SamplerFixtures.USERS;
  private static final int[] ITEMS = SamplerFixtures.ITEMS;
  private final Interactions train = SamplerFixtures.train();

  @Test
  void itemNegativesFollowTheItemDistribution() {
    NegativeDistribution items = NegativeDistribution.itemPopularity(train, 0.75);
    RatioRowSampler s = RatioRowSampler.of(train, 0, null, 8, items, false);
    assertEquals(9, s.width());
    long[] counts = new long[10];
    long n =
        drawMany(
            s,
            2_000,
            21L,
            (out, k, row) -> {
              assertEquals(
                  USERS[row], out.users()[k], "an item negative keeps the positive's user");
              counts[out.items()[k]]++;
            });
    ChiSquare.assertFits("[0:8] items, popularity^0.75", counts, probabilities(items), n);
  }

  @Test
  void userNegativesFollowTheUserDistribution() {
    NegativeDistribution users = NegativeDistribution.uniformUsers(train);
    RatioRowSampler s = RatioRowSampler.of(train, 8, users, 0, null, false);
    long[] counts = new long[6];
    long n =
        drawMany(
            s,
            2_000,
            22L,
            (out, k, row) -> {
              assertEquals(ITEMS[row], out.items()[k], "a user negative keeps the positive's item");
              counts[out.users()[k]]++;
            });
    ChiSquare.assertFits("[8:0] users, uniform", counts, probabilities(users), n);
  }

  @Test
  void fourFourBlockHasThePositiveThenUserNegativesThenItemNegatives() {
    NegativeDistribution users = NegativeDistribution.userPopularity(train, 1);
    NegativeDistribution items = NegativeDistribution.uniformItems(train);
    RatioRowSampler s = RatioRowSampler.of(train, 4, users, 4, items, false);
    assertEquals(4, s.userNegatives());
    assertEquals(4, s.itemNegatives());
    assertEquals(9, s.width());
    RowCandidates out = new RowCandidates(5, 9);
    float[] weights = {9f, 0.5f, 2f, 3f, 4f, 9f};
    SplittableRandom rng = new SplittableRandom(23L);
    boolean userVaried = false;
    boolean itemVaried = false;
    for (int rep = 0; rep < 50; rep++) {
      s.sample(USERS, ITEMS, weights, 1, 4, rng, out);
      assertEquals(4, out.rows());
      for (int r = 0; r < 4; r++) {
        int u = USERS[1 + r];
        int i = ITEMS[1 + r];
        int base = r * 9;
        assertEquals(u, out.users()[base], "column 0 is the positive");
        assertEquals(i, out.items()[base], "column 0 is the positive");
        assertEquals(0f, out.logQ()[base], "the positive has log Q 0");
        assertEquals(weights[1 + r], out.weights()[r], "the positive's weight is copied");
        for (int k = base + 1; k <= base + 4; k++) {
          assertEquals(i, out.items()[k], "columns 1..a: user negatives for the positive's item");
          assertEquals(users.logQ(out.users()[k]), out.logQ()[k]);
          userVaried |= out.users()[k] != u;
        }
        for (int k = base + 5; k <= base + 8; k++) {
          assertEquals(
              u, out.users()[k], "columns a+1..a+b: item negatives for the positive's user");
          assertEquals(items.logQ(out.items()[k]), out.logQ()[k]);
          itemVaried |= out.items()[k] != i;
        }
      }
    }
    assertTrue(userVaried && itemVaried, "both sides vary in their columns");
    s.sample(USERS, ITEMS, null, 0, 3, rng, out);
    assertEquals(3, out.rows());
    for (int r = 0; r < 3; r++) {
      assertEquals(1f, out.weights()[r], "null weights mean 1");
    }
  }

  @Test
  void logQIsTheLogProbabilityOfWhatWasDrawn() {
    NegativeDistribution users = NegativeDistribution.userPopularity(train, 0.5);
    NegativeDistribution items = NegativeDistribution.itemPopularity(train, 0.75);
    RatioRowSampler s = RatioRowSampler.of(train, 3, users, 5, items, true);
    drawMany(
        s,
        200,
        24L,
        (out, k, row) -> {
          int col = k % 9;
          double p =
              col <= 3 ? users.probability(out.users()[k]) : items.probability(out.items()[k]);
          assertTrue(p > 0, "never draws an index of probability 0");
          assertEquals(Math.log(p), out.logQ()[k], 1e-6, "column " + col);
        });
  }

  @Test
  void rejectionAvoidsTheUsersTrainingItemsWhenPossible() {
    // user 2 has 4 of 10 items: all 16 draws hit with probability 0.4^16 ≈ 4e-7 (uniform items)
    RatioRowSampler items =
        RatioRowSampler.of(train, 0, null, 8, NegativeDistribution.uniformItems(train), true);
    // item 6 has 1 of 6 users: (1/6)^16 ≈ 4e-13 (uniform users)
    RatioRowSampler users =
        RatioRowSampler.of(train, 8, NegativeDistribution.uniformUsers(train), 0, null, true);
    int[] u = new int[200];
    int[] i = new int[200];
    java.util.Arrays.fill(u, 2);
    java.util.Arrays.fill(i, 3);
    int[] u6 = new int[200];
    int[] i6 = new int[200];
    java.util.Arrays.fill(u6, 4);
    java.util.Arrays.fill(i6, 6);
    RowCandidates out = new RowCandidates(200, 9);
    SplittableRandom rng = new SplittableRandom(25L);
    long[] itemCounts = new long[10];
    long[] userCounts = new long[6];
    for (int rep = 0; rep < 100; rep++) {
      items.sample(u, i, null, 0, 200, rng, out);
      for (int k = 0; k < 200 * 9; k++) {
        if (k % 9 != 0) {
          assertTrue(
              !train.contains(2, out.items()[k]),
              "drew training item " + out.items()[k] + " of user 2");
          itemCounts[out.items()[k]]++;
        }
      }
      users.sample(u6, i6, null, 0, 200, rng, out);
      for (int k = 0; k < 200 * 9; k++) {
        if (k % 9 != 0) {
          assertTrue(
              !train.contains(out.users()[k], 6),
              "drew user " + out.users()[k] + " who has item 6");
          userCounts[out.users()[k]]++;
        }
      }
    }
    // what remains is the proposal renormalised over the non-training side
    ChiSquare.assertFits(
        "user 2's items under rejection",
        itemCounts,
        new double[] {0, 1 / 6.0, 1 / 6.0, 0, 0, 0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0},
        160_000);
    ChiSquare.assertFits(
        "item 6's users under rejection",
        userCounts,
        new double[] {0.2, 0.2, 0.2, 0.2, 0, 0.2},
        160_000);
  }

  @Test
  void rejectionGivesTheExactEffectiveProposalWithSixteenTries() {
    // user 0 has items {0, 1, 2}, which hold h = 8/12 of the β = 1 proposal: a draw is j ∉ S with
    // probability (1 − h^16)·q(j)/(1 − h), and j ∈ S (all 16 draws hit, the last kept) with
    // h^15·q(j)
    NegativeDistribution items = NegativeDistribution.itemPopularity(train, 1);
    RatioRowSampler s = RatioRowSampler.of(train, 0, null, 10, items, true);
    double h = 8 / 12.0;
    double[] p = new double[10];
    for (int j = 0; j < 10; j++) {
      double q = items.probability(j);
      p[j] = train.contains(0, j) ? Math.pow(h, 15) * q : (1 - Math.pow(h, 16)) * q / (1 - h);
    }
    int[] u = new int[100];
    int[] i = new int[100];
    RowCandidates out = new RowCandidates(100, 11);
    SplittableRandom rng = new SplittableRandom(26L);
    long[] counts = new long[10];
    int reps = 1_000;
    for (int rep = 0; rep < reps; rep++) {
      s.sample(u, i, null, 0, 100, rng, out);
      for (int k = 0; k < 100 * 11; k++) {
        if (k % 11 != 0) {
          counts[out.items()[k]]++;
        }
      }
    }
    assertTrue(counts[0] > 0, "after 16 hits the last draw is kept");
    ChiSquare.assertFits("effective proposal for user 0", counts, p, (long) reps * 100 * 10);
  }

  @Test
  void aUserWithEveryItemStillGetsItsNegatives() {
    Interactions all =
        Interactions.fromPairs(
            2, 4, new int[] {0, 0, 0, 0, 1}, new int[] {0, 1, 2, 3, 0}, null, null, 5);
    NegativeDistribution items = NegativeDistribution.itemPopularity(all, 1);
    RatioRowSampler s = RatioRowSampler.of(all, 0, null, 4, items, true);
    RowCandidates out = new RowCandidates(1000, 5);
    int[] u = new int[1000];
    int[] i = new int[1000];
    long[] counts = new long[4];
    SplittableRandom rng = new SplittableRandom(27L);
    for (int rep = 0; rep < 50; rep++) {
      s.sample(u, i, null, 0, 1000, rng, out);
      for (int k = 0; k < 5000; k++) {
        if (k % 5 != 0) {
          counts[out.items()[k]]++;
        }
      }
    }
    // every draw hits, so the 16th is kept: the proposal itself
    ChiSquare.assertFits("all hits", counts, probabilities(items), 200_000);
  }

  @Test
  void isStatelessAndDescribesItself() {
    RatioRowSampler s =
        RatioRowSampler.of(
            train,
            4,
            NegativeDistribution.uniformUsers(train),
            4,
            NegativeDistribution.itemPopularity(train, 0.75),
            true);
    assertSame(s, s.forWorker());
    assertTrue(s.rejectPositives());
    assertEquals(
        "MFb [4:4] (users uniform over 6, items popularity^0.75 over 10, rejecting training pairs)",
        s.toString());
  }

  @Test
  void theSameSeedGivesTheSameBlock() {
    RatioRowSampler s =
        RatioRowSampler.of(
            train,
            2,
            NegativeDistribution.uniformUsers(train),
            3,
            NegativeDistribution.itemPopularity(train, 0.75),
            true);
    RowCandidates a = new RowCandidates(12, 6);
    RowCandidates b = new RowCandidates(12, 6);
    s.sample(USERS, ITEMS, null, 0, 12, new SplittableRandom(5), a);
    s.sample(USERS, ITEMS, null, 0, 12, new SplittableRandom(5), b);
    assertTrue(
        java.util.Arrays.equals(a.users(), b.users())
            && java.util.Arrays.equals(a.items(), b.items()));
  }

  @Test
  void sampleAllocatesNothing() {
    RatioRowSampler s =
        RatioRowSampler.of(
            train,
            4,
            NegativeDistribution.userPopularity(train, 0.5),
            4,
            NegativeDistribution.itemPopularity(train, 0.75),
            true);
    RowCandidates out = new RowCandidates(12, 9);
    SplittableRandom rng = new SplittableRandom(28L);
    for (int rep = 0; rep < 20_000; rep++) { // warm up: let the JIT compile the loop
      s.sample(USERS, ITEMS, null, 0, 12, rng, out);
    }
    long before = SamplerFixtures.allocatedBytes();
    for (int rep = 0; rep < 10_000; rep++) {
      s.sample(USERS, ITEMS, null, 0, 12, rng, out);
    }
    long after = SamplerFixtures.allocatedBytes();
    System.out.println(
        getClass().getSimpleName() + ": 10,000 calls allocated " + (after - before) + " bytes");
    if (before >= 0) {
      assertTrue(after - before < 10_000, "10,000 calls allocated " + (after - before) + " bytes");
    }
  }

  @Test
  void badArgumentsAreRejectedNamingThem() {
    NegativeDistribution users = NegativeDistribution.uniformUsers(train);
    NegativeDistribution items = NegativeDistribution.uniformItems(train);
    assertMessage(
        "userNegatives must be >= 0, got -1",
        () -> RatioRowSampler.of(train, -1, users, 8, items, false));
    assertMessage("must be in [1,", () -> RatioRowSampler.of(train, 0, users, 0, items, false));
    assertMessage(
        "itemDistribution must not be null when drawing 8",
        () -> RatioRowSampler.of(train, 0, null, 8, null, false));
    assertMessage(
        "userDistribution must be over the 6 users of train, got 10",
        () -> RatioRowSampler.of(train, 1, items, 1, items, false));
    assertMessage(
        "train must not be null", () -> RatioRowSampler.of(null, 1, users, 1, items, false));
    RatioRowSampler s = RatioRowSampler.of(train, 1, users, 1, items, false);
    SplittableRandom rng = new SplittableRandom(1);
    assertMessage(
        "out must have width 3",
        () -> s.sample(USERS, ITEMS, null, 0, 2, rng, new RowCandidates(2, 4)));
    assertMessage(
        "size must be in [0, 2]",
        () -> s.sample(USERS, ITEMS, null, 0, 3, rng, new RowCandidates(2, 3)));
    assertMessage(
        "positives [11, 13) exceed",
        () -> s.sample(USERS, ITEMS, null, 11, 2, rng, new RowCandidates(2, 3)));
    assertMessage(
        "weights 1",
        () -> s.sample(USERS, ITEMS, new float[1], 0, 2, rng, new RowCandidates(2, 3)));
  }

  /**
   * Receives one negative: the candidate index k in the block and the positive's index in
   * USERS/ITEMS.
   */
  interface NegativeCheck {
    void accept(RowCandidates out, int k, int row);
  }

  /**
   * Samples the 12 training pairs {@code reps} times; calls {@code check} for every negative;
   * returns their number.
   */
  private static long drawMany(RowSampler s, int reps, long seed, NegativeCheck check) {
    System.out.println("RatioRowSamplerTest " + s + " seed " + seed);
    int w = s.width();
    RowCandidates out = new RowCandidates(USERS.length, w);
    SplittableRandom rng = new SplittableRandom(seed);
    long n = 0;
    for (int rep = 0; rep < reps; rep++) {
      s.sample(USERS, ITEMS, null, 0, USERS.length, rng, out);
      for (int r = 0; r < USERS.length; r++) {
        for (int k = r * w + 1; k < (r + 1) * w; k++) {
          check.accept(out, k, r);
          n++;
        }
      }
    }
    return n;
  }

  private static double[] probabilities(NegativeDistribution d) {
    double[] p = new double[d.size()];
    for (int j = 0; j < p.length; j++) {
      p[j] = d.probability(j);
    }
    return p;
  }

  private static void assertMessage(String expected, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
