package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;

/**
 * One shared sample per batch: layout, log Q = log(M q), no in-batch negatives, and the draws'
 * distribution.
 */
class SharedSampleSamplerTest {
  @Test
  void positivesFirstThenMDrawsWithLogOfMTimesQ() {
    Interactions train = SamplerFixtures.train();
    NegativeDistribution items = NegativeDistribution.itemPopularity(train, 0.75);
    NegativeDistribution users = NegativeDistribution.uniformUsers(train);
    int m = 7;
    SharedSampleSampler s = new SharedSampleSampler(users, items, m, 4);
    BatchCandidates out = new BatchCandidates(s.maxUsers(4), s.maxItems(4));
    int[] bu = {0, 1, 2, 3, 4};
    int[] bi = {5, 6, 7, 8, 9};
    s.sample(bu, bi, 1, 3, new SplittableRandom(1), out);
    assertEquals(3, out.numPositives());
    assertEquals(3 + m, out.numItems());
    assertEquals(3 + m, out.numUsers());
    assertFalse(out.inBatchNegatives());
    for (int b = 0; b < 3; b++) {
      assertEquals(bu[1 + b], out.users()[b]);
      assertEquals(bi[1 + b], out.items()[b]);
      assertEquals(0f, out.itemLogQ()[b]);
    }
    for (int k = 3; k < 3 + m; k++) {
      assertEquals((float) Math.log(m) + items.logQ(out.items()[k]), out.itemLogQ()[k], 1e-6f);
      assertEquals((float) Math.log(m) + users.logQ(out.users()[k]), out.userLogQ()[k], 1e-6f);
    }
  }

  @Test
  void anItemsOnlyObjectiveGetsNoExtraUsers() {
    Interactions train = SamplerFixtures.train();
    SharedSampleSampler s =
        new SharedSampleSampler(
            NegativeDistribution.uniformUsers(train),
            NegativeDistribution.uniformItems(train),
            5,
            3,
            false,
            true);
    assertEquals(3, s.maxUsers(3));
    assertEquals(8, s.maxItems(3));
    BatchCandidates out = new BatchCandidates(s.maxUsers(3), s.maxItems(3));
    s.sample(new int[] {0, 1, 2}, new int[] {3, 4, 5}, 0, 3, new SplittableRandom(2), out);
    assertEquals(3, out.numUsers());
    assertEquals(8, out.numItems());
    MixedSampler mixed = MixedSampler.fromInteractions(train, 3, 5, false, true);
    assertEquals(3, mixed.maxUsers(3));
    assertEquals(8, mixed.maxItems(3));
  }

  @Test
  void drawsFollowTheDistribution() {
    Interactions train = SamplerFixtures.train();
    NegativeDistribution items = NegativeDistribution.itemPopularity(train, 1.0);
    SharedSampleSampler s =
        new SharedSampleSampler(NegativeDistribution.uniformUsers(train), items, 50, 1);
    BatchCandidates out = new BatchCandidates(s.maxUsers(1), s.maxItems(1));
    long[] counts = new long[items.size()];
    SplittableRandom rng = new SplittableRandom(5);
    int n = 0;
    for (int t = 0; t < 4000; t++) {
      s.sample(new int[] {0}, new int[] {0}, 0, 1, rng, out);
      for (int k = 1; k < out.numItems(); k++) {
        counts[out.items()[k]]++;
        n++;
      }
    }
    double[] p = new double[items.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = items.probability(i);
    }
    double stat = ChiSquare.statistic(counts, p, n);
    int df = (int) java.util.Arrays.stream(p).filter(x -> x > 0).count() - 1;
    assertTrue(
        stat < ChiSquare.criticalValue(df),
        "chi-square " + stat + " against " + ChiSquare.criticalValue(df));
  }
}
