package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;

/** AOBPR against its stated distribution: a rank ∝ exp(−r/λ) in the chosen factor's sorted list. */
class AdaptiveOversamplingRowSamplerTest {
  @Test
  void onOneFactorTheItemAtRankRIsDrawnWithProbabilityProportionalToExpMinusROverLambda() {
    int n = 15;
    // one factor; item j has coordinate j, so descending order is n−1, n−2, ..., 0
    float[] v = new float[n];
    for (int j = 0; j < n; j++) {
      v[j] = j;
    }
    EmbeddingTable items = new EmbeddingTable(n, 1, v);
    EmbeddingTable users =
        new EmbeddingTable(2, 1, new float[] {2f, -3f}); // user 0 positive, user 1 negative
    Interactions train =
        Interactions.fromPairs(2, n, new int[] {0, 1}, new int[] {0, 0}, null, null, 2);
    double lambda = 3.0;
    for (int user = 0; user < 2; user++) {
      AdaptiveOversamplingRowSampler s =
          new AdaptiveOversamplingRowSampler(train, users, items, 1, lambda, 1_000_000);
      SplittableRandom rng = new SplittableRandom(11 + user);
      long[] counts = new long[n];
      int draws = 60_000;
      for (int k = 0; k < draws; k++) {
        counts[s.draw(user, rng)]++;
      }
      double[] p = new double[n];
      double z = 0;
      for (int r = 0; r < n; r++) {
        z += Math.exp(-r / lambda);
      }
      for (int r = 0; r < n; r++) {
        int item = user == 0 ? n - 1 - r : r; // u_f > 0: descending; u_f < 0: ascending
        p[item] = Math.exp(-r / lambda) / z;
      }
      ChiSquare.assertFits("AOBPR ranks, user " + user, counts, p, draws);
    }
  }

  @Test
  void theFactorIsChosenByUserWeightTimesSpreadAndAccidentalHitsAreRedrawn() {
    int n = 40;
    // factor 0 spreads items widely, factor 1 not at all: σ_1 = 0, so factor 0 is always chosen
    float[] v = new float[2 * n];
    for (int j = 0; j < n; j++) {
      v[2 * j] = j;
      v[2 * j + 1] = 1f;
    }
    EmbeddingTable items = new EmbeddingTable(n, 2, v);
    EmbeddingTable users = new EmbeddingTable(1, 2, new float[] {0.1f, 50f});
    // the user has the top item in training: it is redrawn
    Interactions train =
        Interactions.fromPairs(1, n, new int[] {0}, new int[] {n - 1}, null, null, 1);
    AdaptiveOversamplingRowSampler s =
        new AdaptiveOversamplingRowSampler(train, users, items, 3, 2.0, 100);
    RowCandidates out = new RowCandidates(1, 4);
    SplittableRandom rng = new SplittableRandom(2);
    long top = 0;
    for (int k = 0; k < 2000; k++) {
      s.sample(new int[] {0}, new int[] {n - 1}, null, 0, 1, rng, out);
      for (int c = 1; c < 4; c++) {
        int j = out.items()[c];
        assertTrue(j != n - 1, "a training item was kept"); // P(16 draws of rank 0) = 0.39^16
        top += j == n - 2 ? 1 : 0;
      }
    }
    // λ = 2 and the top item (rank 0) redrawn: rank 1 (item n − 2) takes 1 − e^(−1/2) ≈ 39% of the
    // rest,
    // and factor 1 (σ = 0) is never chosen, however large the user's weight on it
    assertEquals(0.39, top / 6000.0, 0.03, "item n-2 drawn " + top + " times of 6000");
    assertEquals(4, s.width());
  }
}
