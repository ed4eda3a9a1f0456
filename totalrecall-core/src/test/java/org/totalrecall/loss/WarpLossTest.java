package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WarpLossTest extends RowObjectiveContractTest {
  static final int NUM_ITEMS = 101;
  static final double MARGIN = 0.7;

  /** H_25 = 34052522467 / 8923714800, from exact rational arithmetic. */
  static final double H25 = 34052522467.0 / 8923714800.0;

  @Override
  RowObjective create() {
    return new WarpLoss(NUM_ITEMS, MARGIN);
  }

  /**
   * For each row: the first column t with s_t + m &gt; s_pos, weight Σ_{j ≤ ⌊(N−1)/t⌋} 1/j summed
   * directly, loss w · weight · (m − s_pos + s_t).
   */
  @Override
  double reference(double[] s, int rows, int width, float[] logQ, float[] weights) {
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      double positive = s[r * width];
      for (int t = 1; t < width; t++) {
        double hinge = MARGIN - positive + s[r * width + t];
        if (hinge > 0) {
          loss += weight(weights, r) * rankWeightReference((NUM_ITEMS - 1) / t) * hinge;
          break;
        }
      }
    }
    return loss;
  }

  /** L(r) of the loss under test, from its definition: Σ_{j ≤ r} 1/j summed directly. */
  double rankWeightReference(int rank) {
    double harmonic = 0;
    for (int j = 1; j <= rank; j++) {
      harmonic += 1.0 / j;
    }
    return harmonic;
  }

  /** Away from s_k = s_pos − m for every k: which column violates must not change within ±h. */
  @Override
  boolean awayFromKinks(float[] scores, int off, int width) {
    double threshold = scores[off] - MARGIN;
    for (int k = 1; k < width; k++) {
      if (Math.abs(scores[off + k] - threshold) < KINK_GAP) {
        return false;
      }
    }
    return true;
  }

  @Test
  void randomBlocksIncludeRowsWithAndWithoutViolators() {
    // guards the finite-difference test: it must exercise both branches and several trial counts
    var rng = new SplittableRandom(5L);
    int rows = 400;
    int width = 5;
    float[] scores = randomScores(rng, rows, width);
    WarpLoss warp = new WarpLoss(NUM_ITEMS, MARGIN);
    int[] seen = new int[width];
    for (int r = 0; r < rows; r++) {
      seen[warp.trials(scores, r * width, width)]++;
    }
    for (int t = 0; t < width; t++) {
      assertTrue(seen[t] > 0, "no row with trials = " + t);
    }
  }

  @Test
  void violatorAtTheFourthTrialOf101ItemsIsWeightedByH25() {
    // s_pos − m = −0.5: columns 1..3 stay at or below it, column 4 (0.25) violates, column 5
    // (3.0) violates too but is never reached
    float[] scores = {0.5f, -1f, -2f, -0.5f, 0.25f, 3f};
    float[] grad = new float[6];
    WarpLoss warp = new WarpLoss(101);
    assertEquals(1.0, warp.margin());
    assertEquals(101, warp.numItems());
    assertEquals(4, warp.trials(scores, 0, 6));
    assertEquals(25, WarpLoss.rankEstimate(101, 4));
    double loss = warp.lossAndGradient(scores, 1, 6, null, new float[] {2f}, grad);
    assertEquals(2 * H25 * (1 - 0.5 + 0.25), loss, 1e-14);
    assertArrayEquals(
        new float[] {(float) (-2 * H25), 0f, 0f, 0f, (float) (2 * H25), 0f}, grad, 0f);
  }

  @Test
  void noViolatorGivesZeroLossAndGradient() {
    float[] scores = {2f, 0.5f, -1f, 1f}; // every s_k ≤ s_pos − 1 = 1; 1 itself is on the margin
    float[] grad = {7f, 7f, 7f, 7f};
    assertEquals(0.0, new WarpLoss(101).lossAndGradient(scores, 1, 4, null, null, grad), 0.0);
    assertArrayEquals(new float[4], grad, 0f);
  }

  @Test
  void aViolatorLaterThanTheCatalogueAllowsHasRankZeroAndNoWeight() {
    // 3 items: 2 negatives, so a violator at trial 3 gives ⌊2/3⌋ = 0 and L(0) = 0
    float[] scores = {5f, 0f, 0f, 4.5f};
    float[] grad = new float[4];
    assertEquals(0.0, new WarpLoss(3).lossAndGradient(scores, 1, 4, null, null, grad), 0.0);
    assertArrayEquals(new float[4], grad, 0f);
  }

  @Test
  void rankEstimateIsTheFloorOfNMinusOneOverTrials() {
    assertEquals(100, WarpLoss.rankEstimate(101, 1));
    assertEquals(33, WarpLoss.rankEstimate(101, 3));
    assertEquals(1, WarpLoss.rankEstimate(101, 100));
    assertEquals(0, WarpLoss.rankEstimate(101, 101));
    assertEquals(0, WarpLoss.rankEstimate(1, 1));
    assertEquals(Integer.MAX_VALUE - 1, WarpLoss.rankEstimate(Integer.MAX_VALUE, 1));
    assertThrows(IllegalArgumentException.class, () -> WarpLoss.rankEstimate(101, 0));
    assertThrows(IllegalArgumentException.class, () -> WarpLoss.rankEstimate(0, 1));
  }

  @Test
  void rankWeightIsTheHarmonicNumber() {
    assertEquals(0.0, WarpLoss.rankWeight(0), 0.0);
    assertEquals(1.0, WarpLoss.rankWeight(1), 0.0);
    assertEquals(1.5, WarpLoss.rankWeight(2), 0.0);
    assertEquals(11.0 / 6, WarpLoss.rankWeight(3), 1e-15);
    assertEquals(H25, WarpLoss.rankWeight(25), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> WarpLoss.rankWeight(-1));
  }

  @Test
  void rankWeightMatchesDirectSummationAcrossTheTableBoundary() {
    // H_1000000 to 20 digits (40-digit decimal arithmetic), then compensated sums as reference
    assertEquals(14.392726722865724, WarpLoss.rankWeight(1_000_000), 4e-15);
    int[] ranks = {4094, 4095, 4096, 4097, 10_000, 123_457, 1_000_000, 3_000_000};
    for (int rank : ranks) {
      double h = 0;
      double lost = 0;
      for (int j = rank; j >= 1; j--) { // smallest terms first, Kahan-compensated
        double term = 1.0 / j - lost;
        double next = h + term;
        lost = (next - h) - term;
        h = next;
      }
      assertEquals(h, WarpLoss.rankWeight(rank), 4e-16 * h, "H_" + rank);
    }
    for (int rank = 4000; rank < 4200; rank++) {
      double step = WarpLoss.rankWeight(rank + 1) - WarpLoss.rankWeight(rank);
      assertEquals(1.0 / (rank + 1), step, 1e-14, "H_" + (rank + 1) + " − H_" + rank);
    }
    assertTrue(Double.isFinite(WarpLoss.rankWeight(Integer.MAX_VALUE)));
  }

  /**
   * With V violators among the N − 1 negatives and negatives drawn uniformly with replacement, the
   * trial of the first violator is geometric with p = V/(N − 1), so E[t] = (N − 1)/V: the relation
   * that ⌊(N − 1)/t⌋ inverts. Many seeded rows of draws from a fixed catalogue; the mean of the
   * trials the loss finds must be within 4 standard errors of (N − 1)/V, and the mean of its rank
   * estimates within 4 standard errors of E⌊(N − 1)/t⌋ computed exactly from the geometric law.
   */
  @ParameterizedTest(name = "V={0}")
  @ValueSource(ints = {1, 4, 25, 100})
  void meanTrialsUntilTheFirstViolatorIsNMinusOneOverV(int violators) {
    int numItems = 101;
    double margin = 1.0;
    float positive = 0f;
    // the catalogue's N − 1 negatives: V score above s_pos − m = −1, the rest below
    float[] catalogue = new float[numItems - 1];
    var rng = new SplittableRandom(97L + violators);
    for (int j = 0; j < catalogue.length; j++) {
      catalogue[j] =
          j < violators ? (float) (-0.9 + rng.nextDouble()) : (float) (-1.1 - rng.nextDouble());
    }
    int exactViolators = 0;
    for (float s : catalogue) {
      exactViolators += s > positive - margin ? 1 : 0;
    }
    assertEquals(violators, exactViolators);
    double p = (double) violators / (numItems - 1);
    int cap = 5_000; // P(t > cap) = (1 − p)^cap < 1e−21: the cap never binds
    int width = 1 + cap;
    float[] row = new float[width];
    WarpLoss warp = new WarpLoss(numItems, margin);
    int draws = 20_000;
    double sumT = 0;
    double sumRank = 0;
    for (int d = 0; d < draws; d++) {
      // draw uniformly until the first violator; the columns after it are never read, so
      // stale draws of earlier rows may stay there
      row[0] = positive;
      int drawn = 0;
      boolean violated = false;
      while (!violated && drawn < cap) {
        int item = rng.nextInt(catalogue.length);
        row[++drawn] = catalogue[item];
        violated = item < violators;
      }
      int t = warp.trials(row, 0, width);
      assertEquals(drawn, t, "the scan stops at the first violator");
      sumT += t;
      sumRank += WarpLoss.rankEstimate(numItems, t);
    }
    double meanT = sumT / draws;
    double standardError = Math.sqrt((1 - p) / (p * p) / draws);
    assertEquals(
        (numItems - 1) / (double) violators,
        meanT,
        4 * standardError + 1e-12,
        "mean trials over " + draws + " seeded draws");
    // E⌊(N−1)/t⌋ and E⌊(N−1)/t⌋² under t ~ Geometric(p), summed exactly (terms vanish for t > N −
    // 1)
    double mean = 0;
    double second = 0;
    for (int t = 1; t < numItems; t++) {
      double prob = p * Math.pow(1 - p, t - 1);
      int rank = (numItems - 1) / t;
      mean += prob * rank;
      second += prob * rank * rank;
    }
    double rankError = Math.sqrt((second - mean * mean) / draws);
    assertEquals(mean, sumRank / draws, 4 * rankError + 1e-12, "mean rank estimate");
  }

  @Test
  void rejectsBadParameters() {
    assertThrows(IllegalArgumentException.class, () -> new WarpLoss(0));
    assertThrows(IllegalArgumentException.class, () -> new WarpLoss(10, -0.5));
    assertThrows(IllegalArgumentException.class, () -> new WarpLoss(10, Double.NaN));
  }
}
