package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pearson's chi-square goodness-of-fit test for sampler frequencies.
 *
 * <p>The statistic is X² = Σ_k (O_k − n·p_k)² / (n·p_k) over the categories with p_k &gt; 0; it has
 * approximately a chi-square distribution with (number of such categories − 1) degrees of freedom
 * when the draws follow p (the approximation wants every n·p_k ≥ 5, which the tests arrange). A
 * draw in a category of probability 0 makes X² infinite: it can never be explained by p.
 *
 * <p>The critical value is the Wilson–Hilferty approximation (Wilson and Hilferty 1931):
 * (X²/df)^(1/3) is close to normal with mean 1 − 2/(9·df) and variance 2/(9·df), so the upper-α
 * quantile is df·(1 − 2/(9·df) + z_α·√(2/(9·df)))³ with z_α the upper-α quantile of N(0, 1). At α =
 * 0.001 it is slightly above the exact quantile (a test a little more lenient than p = 0.001): by
 * 0.6% at df = 10, 0.3% at df = 19, 0.04% at df = 99 (checked against tabled values in
 * ChiSquareTest), and by 3% at df = 1.
 */
final class ChiSquare {
  /** Upper 0.001 quantile of the standard normal: Φ⁻¹(0.999) = 3.090232306... (tables). */
  static final double Z_0_001 = 3.090232306167813;

  private ChiSquare() {}

  /**
   * X² of {@code observed} counts (summing to n) against {@code expectedProbabilities} (summing to
   * 1).
   */
  static double statistic(long[] observed, double[] expectedProbabilities, long n) {
    if (observed.length != expectedProbabilities.length) {
      throw new IllegalArgumentException("observed and expectedProbabilities differ in length");
    }
    double x2 = 0;
    for (int k = 0; k < observed.length; k++) {
      double expected = n * expectedProbabilities[k];
      if (expectedProbabilities[k] == 0) {
        if (observed[k] != 0) {
          return Double.POSITIVE_INFINITY;
        }
        continue;
      }
      double d = observed[k] - expected;
      x2 += d * d / expected;
    }
    return x2;
  }

  /** Categories with positive probability, minus one. */
  static int degreesOfFreedom(double[] expectedProbabilities) {
    int positive = 0;
    for (double p : expectedProbabilities) {
      if (p > 0) {
        positive++;
      }
    }
    return positive - 1;
  }

  /**
   * Wilson–Hilferty upper quantile of chi-square with {@code df} degrees of freedom for the normal
   * quantile z.
   */
  static double criticalValue(int df, double z) {
    double v = 2.0 / (9.0 * df);
    double c = 1 - v + z * Math.sqrt(v);
    return df * c * c * c;
  }

  /** The critical value at p = 0.001. */
  static double criticalValue(int df) {
    return criticalValue(df, Z_0_001);
  }

  /**
   * Asserts that the counts fit the probabilities at p = 0.001; also checks that the counts sum to
   * n and that the expected count of every category of positive probability is at least 5.
   */
  static void assertFits(String what, long[] observed, double[] expectedProbabilities, long n) {
    long sum = 0;
    for (long o : observed) {
      sum += o;
    }
    assertTrue(sum == n, what + ": counts sum to " + sum + ", expected " + n);
    for (double p : expectedProbabilities) {
      assertTrue(
          p == 0 || n * p >= 5,
          what + ": an expected count " + n * p + " < 5 makes the test unreliable");
    }
    int df = degreesOfFreedom(expectedProbabilities);
    double x2 = statistic(observed, expectedProbabilities, n);
    double critical = criticalValue(df);
    System.out.printf(
        "%s: chi-square %.2f, critical %.2f (df %d, p = 0.001)%n", what, x2, critical, df);
    assertTrue(
        x2 < critical,
        what + ": chi-square " + x2 + " >= " + critical + " (df " + df + ", p = 0.001)");
  }
}
