package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AliasTableTest {
  // 20 categories, skewed, with a zero (index 2) and a small one (index 5: p ≈ 0.004, 800 expected
  // draws).
  private static final double[] WEIGHTS = {
    5, 1, 0, 2.5, 10, 0.3, 7, 3, 3, 1.2, 8, 0.5, 4, 6, 2, 9, 0.8, 1.5, 3.3, 5.5
  };

  @Test
  void drawsFitTheWeightsByChiSquare() {
    long seed = 20261130L;
    System.out.println("AliasTableTest.drawsFitTheWeightsByChiSquare seed " + seed);
    AliasTable table = AliasTable.of(WEIGHTS);
    SplittableRandom rng = new SplittableRandom(seed);
    int n = 200_000;
    long[] counts = new long[WEIGHTS.length];
    for (int d = 0; d < n; d++) {
      counts[table.draw(rng)]++;
    }
    double[] p = new double[WEIGHTS.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = table.probability(i);
    }
    assertEquals(0, counts[2], "the zero weight was drawn");
    assertEquals(18, ChiSquare.degreesOfFreedom(p));
    ChiSquare.assertFits("alias table", counts, p, n);
  }

  @Test
  void probabilitiesAreExactFromTheWeights() {
    AliasTable table = AliasTable.of(WEIGHTS);
    double total = 0;
    for (double w : WEIGHTS) {
      total += w;
    }
    double sum = 0;
    for (int i = 0; i < WEIGHTS.length; i++) {
      assertEquals(WEIGHTS[i] / total, table.probability(i), 1e-16, "index " + i);
      if (WEIGHTS[i] > 0) {
        assertEquals(Math.log(WEIGHTS[i] / total), table.logProbability(i), 1e-14, "index " + i);
      }
      sum += table.probability(i);
    }
    assertEquals(1.0, sum, 1e-14);
    assertEquals(0.0, table.probability(2));
    assertEquals(Double.NEGATIVE_INFINITY, table.logProbability(2));
    assertEquals(20, table.size());
  }

  @Test
  void theJavadocExampleGivesThreeQuartersAndOneQuarter() {
    AliasTable table = AliasTable.of(new double[] {3, 0, 1});
    double[] p = table.tableProbabilities();
    assertEquals(0.75, p[0], 1e-15);
    assertEquals(0.0, p[1]);
    assertEquals(0.25, p[2], 1e-15);
  }

  @Test
  void theTableEncodesTheWeightsForRandomInputs() {
    long seed = 77L;
    System.out.println("AliasTableTest.theTableEncodesTheWeightsForRandomInputs seed " + seed);
    SplittableRandom rng = new SplittableRandom(seed);
    int[] sizes = {1, 2, 3, 5, 17, 64, 100, 1000, 10_007};
    for (int size : sizes) {
      for (int trial = 0; trial < 5; trial++) {
        double[] w = new double[size];
        boolean any = false;
        for (int i = 0; i < size; i++) {
          // a mix of zeros, tiny, ordinary and heavy (power-law) weights
          double u = rng.nextDouble();
          w[i] = u < 0.2 ? 0 : u < 0.3 ? 1e-12 * rng.nextDouble() : Math.pow(rng.nextDouble(), -2);
          any |= w[i] > 0;
        }
        if (!any) {
          w[rng.nextInt(size)] = 1;
        }
        AliasTable table = AliasTable.of(w);
        double[] p = table.tableProbabilities();
        for (int i = 0; i < size; i++) {
          assertEquals(
              table.probability(i),
              p[i],
              1e-12,
              "size " + size + " trial " + trial + " index " + i);
          if (w[i] == 0) {
            assertEquals(
                0.0,
                p[i],
                "size " + size + " trial " + trial + ": zero weight " + i + " reachable");
          }
        }
      }
    }
  }

  @Test
  void equalWeightsKeepEveryBucket() {
    AliasTable table = AliasTable.of(new double[] {2, 2, 2, 2, 2, 2, 2});
    double[] p = table.tableProbabilities();
    for (double x : p) {
      assertEquals(1.0 / 7, x, 1e-15);
    }
  }

  @Test
  void zeroWeightsAreNeverDrawn() {
    AliasTable table = AliasTable.of(new double[] {0, 0, 7, 0, 0, 0, 1, 0});
    SplittableRandom rng = new SplittableRandom(3);
    long[] counts = new long[8];
    for (int d = 0; d < 100_000; d++) {
      counts[table.draw(rng)]++;
    }
    assertEquals(100_000, counts[2] + counts[6], "only the positive weights may be drawn");
    AliasTable single = AliasTable.of(new double[] {0, 0, 0, 4, 0});
    for (int d = 0; d < 10_000; d++) {
      assertEquals(3, single.draw(rng));
    }
    assertEquals(0.0, single.logProbability(3));
  }

  @Test
  void theWeightsAreCopied() {
    double[] w = {1, 3};
    AliasTable table = AliasTable.of(w);
    w[0] = 100;
    assertEquals(0.25, table.probability(0));
    assertEquals(0.25, table.tableProbabilities()[0], 1e-15);
  }

  @Test
  void badWeightsAreRejectedNamingTheProblem() {
    assertMessage("must not be null", null);
    assertMessage("must not be empty", new double[0]);
    assertMessage("weights[1] must be finite and >= 0, got -1.0", new double[] {1, -1});
    assertMessage("weights[0] must be finite and >= 0, got NaN", new double[] {Double.NaN, 1});
    assertMessage(
        "weights[2] must be finite and >= 0, got Infinity",
        new double[] {1, 1, Double.POSITIVE_INFINITY});
    assertMessage("at least one entry > 0, got all 3 equal to 0", new double[] {0, 0, 0});
    assertMessage("finite sum", new double[] {Double.MAX_VALUE, Double.MAX_VALUE});
  }

  private static void assertMessage(String expected, double[] weights) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AliasTable.of(weights));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
