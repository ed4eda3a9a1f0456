package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChiSquareTest {
  @Test
  void statisticIsPearsonsSum() {
    // observed 30, 50, 20 against 1/4, 1/2, 1/4 of 100: (5² / 25) + 0 + (5² / 25) = 2
    assertEquals(
        2.0,
        ChiSquare.statistic(new long[] {30, 50, 20}, new double[] {0.25, 0.5, 0.25}, 100),
        1e-12);
  }

  @Test
  void aDrawOfProbabilityZeroIsInfinitelyUnlikely() {
    double[] p = {0.5, 0, 0.5};
    assertEquals(0.0, ChiSquare.statistic(new long[] {5, 0, 5}, p, 10), 0);
    assertEquals(Double.POSITIVE_INFINITY, ChiSquare.statistic(new long[] {5, 1, 4}, p, 10));
    assertEquals(1, ChiSquare.degreesOfFreedom(p));
  }

  @Test
  void wilsonHilfertyIsCloseToTabledQuantiles() {
    // Upper 0.001 quantiles of chi-square from standard tables (e.g. NIST/SEMATECH e-Handbook
    // 1.3.6.7.4).
    int[] df = {10, 18, 19, 39, 49, 99};
    double[] tabled = {29.588, 42.312, 43.820, 72.055, 85.351, 148.230};
    for (int k = 0; k < df.length; k++) {
      double approx = ChiSquare.criticalValue(df[k]);
      assertEquals(tabled[k], approx, 0.007 * tabled[k], "df " + df[k]);
      assertTrue(
          approx >= tabled[k], "df " + df[k] + ": Wilson–Hilferty errs on the lenient side here");
    }
  }
}
