package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;

class RandomPairRowSamplerTest {
  private static final int[] USERS = SamplerFixtures.USERS;
  private static final int[] ITEMS = SamplerFixtures.ITEMS;
  private final Interactions train = SamplerFixtures.train();

  @Test
  void pairsFollowTheProductOfTheTwoDistributions() {
    // 5 users with pairs × 10 items = 50 cells of positive probability (df 49), the smallest
    // (1/12)·(1/10) → 2,000 expected draws of 240,000
    NegativeDistribution users = NegativeDistribution.userPopularity(train, 1);
    NegativeDistribution items = NegativeDistribution.uniformItems(train);
    RandomPairRowSampler s = RandomPairRowSampler.of(train, 8, users, items, false);
    assertEquals(9, s.width());
    assertEquals(8, s.negatives());
    long[] counts = new long[60];
    long n = 0;
    RowCandidates out = new RowCandidates(12, 9);
    long seed = 31L;
    System.out.println("RandomPairRowSamplerTest " + s + " seed " + seed);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int rep = 0; rep < 2_500; rep++) {
      s.sample(USERS, ITEMS, null, 0, 12, rng, out);
      for (int k = 0; k < 12 * 9; k++) {
        if (k % 9 != 0) {
          counts[out.users()[k] * 10 + out.items()[k]]++;
          n++;
        }
      }
    }
    double[] p = new double[60];
    for (int v = 0; v < 6; v++) {
      for (int j = 0; j < 10; j++) {
        p[v * 10 + j] = users.probability(v) * items.probability(j);
      }
    }
    ChiSquare.assertFits("[8] pairs, users popularity^1 × items uniform", counts, p, n);
  }

  @Test
  void blockHasThePositiveThenPairsWithTheSumOfTheLogQs() {
    NegativeDistribution users = NegativeDistribution.userPopularity(train, 0.5);
    NegativeDistribution items = NegativeDistribution.itemPopularity(train, 0.75);
    RandomPairRowSampler s = RandomPairRowSampler.of(train, 4, users, items, true);
    RowCandidates out = new RowCandidates(6, 5);
    float[] weights = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f};
    SplittableRandom rng = new SplittableRandom(32L);
    boolean userVaried = false;
    boolean itemVaried = false;
    for (int rep = 0; rep < 100; rep++) {
      s.sample(USERS, ITEMS, weights, 6, 6, rng, out);
      assertEquals(6, out.rows());
      for (int r = 0; r < 6; r++) {
        int base = r * 5;
        assertEquals(USERS[6 + r], out.users()[base], "column 0 is the positive");
        assertEquals(ITEMS[6 + r], out.items()[base], "column 0 is the positive");
        assertEquals(0f, out.logQ()[base]);
        assertEquals(weights[6 + r], out.weights()[r], "the positive's weight is copied");
        for (int k = base + 1; k < base + 5; k++) {
          int v = out.users()[k];
          int j = out.items()[k];
          assertEquals(
              users.logQ(v) + items.logQ(j), out.logQ()[k], "log Q = log q(user) + log q(item)");
          assertEquals(Math.log(users.probability(v) * items.probability(j)), out.logQ()[k], 1e-5);
          userVaried |= v != USERS[6 + r];
          itemVaried |= j != ITEMS[6 + r];
        }
      }
    }
    assertTrue(userVaried && itemVaried, "both sides of a random pair vary");
    assertSame(s, s.forWorker());
  }

  @Test
  void rejectionAvoidsTrainingPairs() {
    // uniform pairs: the 12 training pairs hold h = 12/60 of the proposal; all 16 draws hit with
    // probability 0.2^16 ≈ 7e-12, so no training pair should come out, and the rest is the
    // proposal renormalised over the other 48 cells
    RandomPairRowSampler s =
        RandomPairRowSampler.of(
            train,
            8,
            NegativeDistribution.uniformUsers(train),
            NegativeDistribution.uniformItems(train),
            true);
    assertEquals(
        "MFb [8] (users uniform over 6, items uniform over 10, rejecting training pairs)",
        s.toString());
    long[] counts = new long[60];
    RowCandidates out = new RowCandidates(12, 9);
    SplittableRandom rng = new SplittableRandom(33L);
    for (int rep = 0; rep < 2_500; rep++) {
      s.sample(USERS, ITEMS, null, 0, 12, rng, out);
      for (int k = 0; k < 12 * 9; k++) {
        if (k % 9 != 0) {
          assertTrue(
              !train.contains(out.users()[k], out.items()[k]),
              "drew training pair (" + out.users()[k] + ", " + out.items()[k] + ")");
          counts[out.users()[k] * 10 + out.items()[k]]++;
        }
      }
    }
    double[] p = new double[60];
    for (int c = 0; c < 60; c++) {
      p[c] = train.contains(c / 10, c % 10) ? 0 : 1 / 48.0;
    }
    ChiSquare.assertFits("[8] uniform pairs under rejection", counts, p, 2_500L * 12 * 8);
  }

  @Test
  void withoutRejectionTrainingPairsAreKept() {
    RandomPairRowSampler s =
        RandomPairRowSampler.of(
            train,
            8,
            NegativeDistribution.uniformUsers(train),
            NegativeDistribution.uniformItems(train),
            false);
    assertTrue(!s.rejectPositives());
    RowCandidates out = new RowCandidates(12, 9);
    SplittableRandom rng = new SplittableRandom(34L);
    long hits = 0;
    for (int rep = 0; rep < 100; rep++) {
      s.sample(USERS, ITEMS, null, 0, 12, rng, out);
      for (int k = 0; k < 12 * 9; k++) {
        if (k % 9 != 0 && train.contains(out.users()[k], out.items()[k])) {
          hits++;
        }
      }
    }
    // 9,600 draws, 1/5 of them training pairs: 1,920 expected, sd 39
    assertTrue(hits > 1_700 && hits < 2_150, "training pairs drawn: " + hits);
  }

  @Test
  void sampleAllocatesNothing() {
    RandomPairRowSampler s =
        RandomPairRowSampler.of(
            train,
            8,
            NegativeDistribution.userPopularity(train, 0.5),
            NegativeDistribution.itemPopularity(train, 0.75),
            true);
    RowCandidates out = new RowCandidates(12, 9);
    SplittableRandom rng = new SplittableRandom(35L);
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
        "negatives must be > 0, got 0",
        () -> RandomPairRowSampler.of(train, 0, users, items, false));
    assertMessage(
        "userDistribution must not be null",
        () -> RandomPairRowSampler.of(train, 8, null, items, false));
    assertMessage(
        "itemDistribution must be over the 10 items of train, got 6",
        () -> RandomPairRowSampler.of(train, 8, users, users, false));
    RandomPairRowSampler s = RandomPairRowSampler.of(train, 2, users, items, false);
    assertMessage(
        "out must have width 3",
        () -> s.sample(USERS, ITEMS, null, 0, 1, new SplittableRandom(1), new RowCandidates(1, 9)));
  }

  private static void assertMessage(String expected, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
