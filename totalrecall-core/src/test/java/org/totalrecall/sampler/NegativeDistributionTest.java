package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;

class NegativeDistributionTest {
  private final Interactions train = SamplerFixtures.train();
  private static final long[] ITEM_COUNTS = {4, 3, 1, 1, 1, 1, 1, 0, 0, 0};
  private static final long[] USER_COUNTS = {3, 2, 4, 1, 2, 0};

  @Test
  void uniformIsOneOverNForEveryIndex() {
    NegativeDistribution d = NegativeDistribution.uniformItems(train);
    assertEquals(10, d.size());
    for (int j = 0; j < 10; j++) {
      assertEquals(0.1, d.probability(j));
      assertEquals((float) -Math.log(10), d.logQ(j));
    }
    assertEquals(6, NegativeDistribution.uniformUsers(train).size());
    assertFitsByChiSquare(d, 11L);
  }

  @Test
  void popularityIsCountToTheBetaOverItemsWithPairs() {
    NegativeDistribution d = NegativeDistribution.itemPopularity(train, 0.75);
    double total = 0;
    for (long c : ITEM_COUNTS) {
      total += Math.pow((double) c, 0.75);
    }
    for (int j = 0; j < 10; j++) {
      double expected = ITEM_COUNTS[j] == 0 ? 0 : Math.pow((double) ITEM_COUNTS[j], 0.75) / total;
      assertEquals(expected, d.probability(j), 1e-15, "item " + j);
      assertEquals((float) Math.log(expected), d.logQ(j), 1e-6, "item " + j);
    }
    assertEquals(Float.NEGATIVE_INFINITY, d.logQ(9));
    assertFitsByChiSquare(d, 12L);
  }

  @Test
  void logPopularityIsLogOnePlusCountOverItsSum() {
    // PRIS's and AdaSIR's popularity proposal (paper 002 sec. 4.3): q ∝ log(1 + f)
    long[] counts = {4, 0, 1, 9, 2};
    NegativeDistribution d = NegativeDistribution.logPopularity(counts);
    double z = Math.log(5) + Math.log(2) + Math.log(10) + Math.log(3);
    assertEquals(Math.log(5) / z, d.probability(0), 1e-12);
    assertEquals(0.0, d.probability(1), 0.0);
    assertEquals(Math.log(10) / z, d.probability(3), 1e-12);
    assertEquals((float) Math.log(Math.log(3) / z), d.logQ(4), 1e-6f);
    assertFalse(d.isUniform());
    assertTrue(NegativeDistribution.uniform(3).isUniform());
    assertFitsByChiSquare(d, 15L);
    assertThrows(
        IllegalArgumentException.class,
        () -> NegativeDistribution.logPopularity(new long[] {0, 0}));
  }

  @Test
  void betaOneIsTheEmpiricalMarginalAndUsersUseRowCounts() {
    NegativeDistribution items = NegativeDistribution.itemPopularity(train, 1);
    NegativeDistribution users = NegativeDistribution.userPopularity(train, 1);
    for (int j = 0; j < 10; j++) {
      assertEquals(ITEM_COUNTS[j] / 12.0, items.probability(j), 1e-15);
    }
    assertEquals(6, users.size());
    for (int u = 0; u < 6; u++) {
      assertEquals(USER_COUNTS[u] / 12.0, users.probability(u), 1e-15);
    }
    assertFitsByChiSquare(users, 13L);
  }

  @Test
  void betaZeroIsUniformOverTheIndicesWithPairs() {
    NegativeDistribution users = NegativeDistribution.userPopularity(train, 0);
    for (int u = 0; u < 5; u++) {
      assertEquals(0.2, users.probability(u), 1e-15);
    }
    assertEquals(0.0, users.probability(5));
    assertFitsByChiSquare(users, 14L);
  }

  @Test
  void aLargeExponentDoesNotOverflow() {
    NegativeDistribution d =
        NegativeDistribution.popularity(new long[] {1_000_000_000L, 2_000_000_000L}, 40);
    // 2^40 : 1 — count^40 itself would be 10^360, beyond a double
    assertEquals(1 / (1 + Math.pow(2, 40)), d.probability(0), 1e-25);
    assertEquals((float) -Math.log1p(Math.pow(2, -40)), d.logQ(1), 1e-12);
  }

  @Test
  void badArgumentsAreRejectedNamingThem() {
    assertMessage(
        "exponent must be finite and >= 0, got -1.0",
        () -> NegativeDistribution.popularity(ITEM_COUNTS, -1));
    assertMessage(
        "exponent must be finite and >= 0, got NaN",
        () -> NegativeDistribution.popularity(ITEM_COUNTS, Double.NaN));
    assertMessage(
        "exponent", () -> NegativeDistribution.popularity(ITEM_COUNTS, Double.POSITIVE_INFINITY));
    assertMessage(
        "counts[1] must be >= 0, got -2",
        () -> NegativeDistribution.popularity(new long[] {1, -2}, 1));
    assertMessage("all 3 equal to 0", () -> NegativeDistribution.popularity(new long[3], 1));
    assertMessage("size must be > 0, got 0", () -> NegativeDistribution.uniform(0));
    Interactions empty = Interactions.fromPairs(2, 3, new int[0], new int[0], null, null, 0);
    assertMessage("all 3 equal to 0", () -> NegativeDistribution.itemPopularity(empty, 0.75));
    assertThrows(
        IndexOutOfBoundsException.class, () -> NegativeDistribution.uniform(4).probability(4));
  }

  @Test
  void describesItself() {
    assertEquals("uniform over 10", NegativeDistribution.uniformItems(train).toString());
    assertEquals(
        "popularity^0.75 over 6", NegativeDistribution.userPopularity(train, 0.75).toString());
  }

  private static void assertFitsByChiSquare(NegativeDistribution d, long seed) {
    System.out.println("NegativeDistributionTest " + d + " seed " + seed);
    SplittableRandom rng = new SplittableRandom(seed);
    int n = 200_000;
    long[] counts = new long[d.size()];
    double[] p = new double[d.size()];
    for (int k = 0; k < n; k++) {
      counts[d.draw(rng)]++;
    }
    for (int j = 0; j < p.length; j++) {
      p[j] = d.probability(j);
    }
    ChiSquare.assertFits(d.toString(), counts, p, n);
  }

  private static void assertMessage(String expected, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
