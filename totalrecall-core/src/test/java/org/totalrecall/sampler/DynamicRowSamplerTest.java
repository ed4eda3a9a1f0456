package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * DNS against its stated distribution: with M uniform draws over the user's non-training items, the
 * kept item is the one of rank r (best first among those n items) with probability ((n − r +
 * 1)/n)^M − ((n − r)/n)^M.
 */
class DynamicRowSamplerTest {
  @Test
  void theKeptItemFollowsTheBestOfMOrderStatistic() {
    int numItems = 12;
    // user 0 has items 0 and 1 in training; item j scores 2 − 0.1·j for user 0 (item 2 best of the
    // rest)
    Interactions train =
        Interactions.fromPairs(1, numItems, new int[] {0, 0}, new int[] {0, 1}, null, null, 2);
    EmbeddingTable users = new EmbeddingTable(1, 2, new float[] {1f, 0f});
    float[] v = new float[numItems * 2];
    for (int j = 0; j < numItems; j++) {
      v[2 * j] = 2f - 0.1f * j;
      v[2 * j + 1] = j; // irrelevant to the dot score, but changes the cosine ranking
    }
    EmbeddingTable items = new EmbeddingTable(numItems, 2, v);
    int m = 3;
    DynamicRowSampler s = new DynamicRowSampler(train, users, items, 4, m, false, VectorOps.best());
    RowCandidates out = new RowCandidates(1, 5);
    SplittableRandom rng = new SplittableRandom(7);
    long[] counts = new long[numItems];
    int rows = 40_000;
    for (int n = 0; n < rows; n++) {
      s.sample(new int[] {0}, new int[] {0}, null, 0, 1, rng, out);
      assertEquals(0, out.items()[0], "column 0 is the positive");
      for (int k = 1; k < 5; k++) {
        counts[out.items()[k]]++;
        assertEquals((float) -Math.log(numItems), out.logQ()[k], 1e-6f);
      }
    }
    // n = 10 non-training items 2..11, rank r = j − 1
    int n = numItems - 2;
    double[] p = new double[numItems];
    for (int j = 2; j < numItems; j++) {
      int r = j - 1;
      p[j] = Math.pow((n - r + 1) / (double) n, m) - Math.pow((n - r) / (double) n, m);
    }
    long draws = 4L * rows;
    // the two training items are redrawn (16 tries): never kept at these odds
    assertEquals(0, counts[0] + counts[1]);
    ChiSquare.assertFits("DNS best of " + m, counts, p, draws);
  }

  @Test
  void oneCandidateIsUniformAndCosineRanksByAngle() {
    int numItems = 3;
    Interactions train =
        Interactions.fromPairs(1, numItems, new int[] {0}, new int[] {0}, null, null, 1);
    EmbeddingTable users = new EmbeddingTable(1, 2, new float[] {1f, 0f});
    // item 1 is long but off-axis, item 2 short and on-axis: dot prefers 1, cosine prefers 2
    EmbeddingTable items = new EmbeddingTable(numItems, 2, new float[] {1f, 0f, 3f, 3f, 0.5f, 0f});
    SplittableRandom rng = new SplittableRandom(3);
    DynamicRowSampler dot =
        new DynamicRowSampler(train, users, items, 1, 200, false, VectorOps.best());
    DynamicRowSampler cos =
        new DynamicRowSampler(train, users, items, 1, 200, true, VectorOps.best());
    assertEquals(1, dot.hardest(0, rng));
    assertEquals(2, cos.hardest(0, rng));
    DynamicRowSampler uniform =
        new DynamicRowSampler(train, users, items, 1, 1, false, VectorOps.best());
    long ones = 0;
    for (int k = 0; k < 20_000; k++) {
      ones += uniform.hardest(0, rng) == 1 ? 1 : 0;
    }
    assertEquals(0.5, ones / 20_000.0, 0.02, "M = 1 is uniform over the two non-training items");
  }
}
