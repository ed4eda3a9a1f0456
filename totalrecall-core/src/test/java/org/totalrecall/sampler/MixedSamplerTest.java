package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;

class MixedSamplerTest {
  // user 0: items 0, 1, 2; user 1: item 0; user 2: none; item 3: none
  private final Interactions train =
      Interactions.fromPairs(3, 4, new int[] {0, 0, 0, 1}, new int[] {0, 1, 2, 0}, null, null, 4);

  @Test
  void logQIsTheLogExpectedMultiplicityOfTheMixture() {
    // B = 2, M = 3: items q = (2/4, 1/4, 1/4, 0), M/N = 3/4; users q = (3/4, 1/4, 0), M/N = 3/3
    MixedSampler s = MixedSampler.fromInteractions(train, 2, 3);
    assertEquals(Math.log(2 * 0.5 + 0.75), s.itemLogQ(0), 1e-6);
    assertEquals(Math.log(2 * 0.25 + 0.75), s.itemLogQ(1), 1e-6);
    assertEquals(Math.log(2 * 0.25 + 0.75), s.itemLogQ(2), 1e-6);
    assertEquals(Math.log(0.75), s.itemLogQ(3), 1e-6);
    assertEquals(Math.log(2 * 0.75 + 1), s.userLogQ(0), 1e-6);
    assertEquals(Math.log(2 * 0.25 + 1), s.userLogQ(1), 1e-6);
    assertEquals(0.0, s.userLogQ(2), 1e-6);
  }

  @Test
  void positivesComeFirstThenTheUniformCandidatesWithTheSameLogQFunction() {
    MixedSampler s = MixedSampler.fromInteractions(train, 2, 3);
    assertEquals(5, s.maxUsers(2));
    assertEquals(5, s.maxItems(2));
    BatchCandidates out = new BatchCandidates(s.maxUsers(2), s.maxItems(2));
    int[] users = {9, 1, 0, 9};
    int[] items = {9, 0, 2, 9};
    s.sample(users, items, 1, 2, new SplittableRandom(7), out);
    assertEquals(2, out.numPositives());
    assertEquals(5, out.numUsers());
    assertEquals(5, out.numItems());
    assertEquals(1, out.users()[0]);
    assertEquals(0, out.users()[1]);
    assertEquals(0, out.items()[0]);
    assertEquals(2, out.items()[1]);
    for (int c = 0; c < 5; c++) {
      int u = out.users()[c];
      int i = out.items()[c];
      assertTrue(u >= 0 && u < 3, "user candidate " + c + " = " + u);
      assertTrue(i >= 0 && i < 4, "item candidate " + c + " = " + i);
      assertEquals(s.userLogQ(u), out.userLogQ()[c], "user log Q of candidate " + c);
      assertEquals(s.itemLogQ(i), out.itemLogQ()[c], "item log Q of candidate " + c);
    }
  }

  @Test
  void theSameGeneratorStateGivesTheSameCandidates() {
    MixedSampler s = MixedSampler.fromInteractions(train, 2, 6);
    BatchCandidates a = new BatchCandidates(8, 8);
    BatchCandidates b = new BatchCandidates(8, 8);
    int[] users = {1, 0};
    int[] items = {0, 2};
    s.sample(users, items, 0, 2, new SplittableRandom(3), a);
    s.sample(users, items, 0, 2, new SplittableRandom(3), b);
    assertArrayEquals(a.users(), b.users());
    assertArrayEquals(a.items(), b.items());
  }

  @Test
  void extraCandidatesAreUniformOverAllUsersAndItems() {
    int numUsers = 10;
    int numItems = 20;
    // skewed training data: only user 0 and items 0..1 have pairs, so the uniform part must still
    // cover all
    Interactions skewed =
        Interactions.fromPairs(
            numUsers, numItems, new int[] {0, 0}, new int[] {0, 1}, null, null, 2);
    int m = 50;
    MixedSampler s = MixedSampler.fromInteractions(skewed, 2, m);
    BatchCandidates out = new BatchCandidates(2 + m, 2 + m);
    int[] users = {0, 0};
    int[] items = {0, 1};
    long[] userCounts = new long[numUsers];
    long[] itemCounts = new long[numItems];
    SplittableRandom rng = new SplittableRandom(11);
    int batches = 400;
    for (int t = 0; t < batches; t++) {
      s.sample(users, items, 0, 2, rng, out);
      for (int c = 2; c < 2 + m; c++) {
        userCounts[out.users()[c]]++;
        itemCounts[out.items()[c]]++;
      }
    }
    // chi-square goodness of fit against uniform; critical values at p = 0.001: 27.88 (9 dof),
    // 43.82 (19 dof)
    assertTrue(chiSquare(userCounts) < 27.88, "users chi-square " + chiSquare(userCounts));
    assertTrue(chiSquare(itemCounts) < 43.82, "items chi-square " + chiSquare(itemCounts));
  }

  private static double chiSquare(long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    double expected = (double) total / counts.length;
    double chi = 0;
    for (long c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    return chi;
  }

  @Test
  void correctedCandidateSumEstimatesTheFullSoftmaxDenominator() {
    // sampled softmax with the mixture correction: E[Σ_{j in set} exp(s_j − log Q_j)] = Σ_{all j}
    // exp(s_j)
    int numUsers = 6;
    int numItems = 12;
    SplittableRandom data = new SplittableRandom(5);
    int pairs = 30;
    int[] pu = new int[pairs];
    int[] pi = new int[pairs];
    for (int p = 0; p < pairs; p++) {
      pu[p] = data.nextInt(numUsers);
      pi[p] =
          data.nextInt(numItems / 2); // items 6..11 never occur: only the uniform part reaches them
    }
    Interactions t = Interactions.fromPairs(numUsers, numItems, pu, pi, null, null, pairs);
    int[] cols = t.cols();
    int stored = t.size();
    int[] rowOf = new int[stored];
    for (int u = 0; u < numUsers; u++) {
      for (int p = t.start(u); p < t.end(u); p++) {
        rowOf[p] = u;
      }
    }
    double[] score = new double[numItems];
    double full = 0;
    for (int i = 0; i < numItems; i++) {
      score[i] = data.nextDouble(-2, 2);
      full += Math.exp(score[i]);
    }
    int b = 4;
    int m = 3;
    MixedSampler s = MixedSampler.fromInteractions(t, b, m);
    BatchCandidates out = new BatchCandidates(b + m, b + m);
    int[] bu = new int[b];
    int[] bi = new int[b];
    SplittableRandom rng = new SplittableRandom(9);
    int trials = 200_000;
    double mean = 0;
    for (int trial = 0; trial < trials; trial++) {
      for (int k = 0; k < b; k++) { // the batch: pairs drawn uniformly, so its items follow q
        int p = rng.nextInt(stored);
        bu[k] = rowOf[p];
        bi[k] = cols[p];
      }
      s.sample(bu, bi, 0, b, rng, out);
      double sum = 0;
      for (int c = 0; c < out.numItems(); c++) {
        sum += Math.exp(score[out.items()[c]] - out.itemLogQ()[c]);
      }
      mean += sum / trials;
    }
    assertEquals(full, mean, 0.01 * full);
  }

  @Test
  void invalidArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> MixedSampler.fromInteractions(train, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> MixedSampler.fromInteractions(train, 0, 3));
    Interactions empty = Interactions.fromPairs(2, 2, new int[0], new int[0], null, null, 0);
    assertThrows(IllegalArgumentException.class, () -> MixedSampler.fromInteractions(empty, 2, 3));
  }
}
