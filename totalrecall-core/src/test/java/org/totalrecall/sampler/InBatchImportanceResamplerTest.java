package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.VectorOps;

class InBatchImportanceResamplerTest {
  // item counts 4, 2, 1, 1 over 8 pairs: log q = log(4/8), log(2/8), log(1/8), log(1/8)
  private final Interactions train =
      Interactions.fromPairs(
          8,
          4,
          new int[] {0, 1, 2, 3, 4, 5, 6, 7},
          new int[] {0, 0, 0, 0, 1, 1, 2, 3},
          null,
          null,
          8);

  private BatchCandidates batch(InBatchImportanceResampler s, SplittableRandom rng) {
    BatchCandidates out = new BatchCandidates(4, 4);
    s.sample(new int[] {0, 4, 6, 7}, new int[] {0, 1, 2, 3}, 0, 4, rng, out);
    return out;
  }

  @Test
  void drawsEachRowsNegativesInProportionToExpOfScoreMinusLogQ() {
    InBatchImportanceResampler s =
        new InBatchImportanceResampler(InBatchSampler.fromInteractions(train), 7, VectorOps.best());
    var rng = new SplittableRandom(3);
    BatchCandidates c = batch(s, rng);
    float[] logits = {
      0.0f, 1.5f, -0.5f, 0.3f, //
      2.0f, 0.4f, 0.1f, Float.NEGATIVE_INFINITY, // a masked entry is never drawn
      -1.0f, 0.0f, 0.7f, 0.2f, //
      0.5f, 0.5f, 0.5f, 0.0f
    };
    float[] logQ = c.itemLogQ();
    double[][] expected = new double[4][4];
    for (int b = 0; b < 4; b++) {
      double z = 0;
      for (int j = 0; j < 4; j++) {
        if (j != b && logits[b * 4 + j] > Float.NEGATIVE_INFINITY) {
          expected[b][j] = Math.exp(logits[b * 4 + j] - logQ[j]);
          z += expected[b][j];
        }
      }
      for (int j = 0; j < 4; j++) {
        expected[b][j] /= z;
      }
    }
    int rounds = 3000;
    long[][] observed = new long[4][4];
    float[] logM = new float[16];
    for (int r = 0; r < rounds; r++) {
      s.resample(logits, 4, 4, c, rng, logM);
      for (int b = 0; b < 4; b++) {
        assertEquals(0f, logM[b * 4 + b], "the positive is kept once");
        long drawn = 0;
        for (int j = 0; j < 4; j++) {
          if (j != b && logM[b * 4 + j] > Float.NEGATIVE_INFINITY) {
            long m = Math.round(Math.exp(logM[b * 4 + j]));
            observed[b][j] += m;
            drawn += m;
          }
        }
        assertEquals(7, drawn, "row " + b + " draws K negatives");
      }
    }
    for (int b = 0; b < 4; b++) {
      ChiSquare.assertFits("bir row " + b, observed[b], expected[b], 7L * rounds);
    }
    assertEquals(0, observed[1][3], "a masked column is never drawn");
  }

  @Test
  void aWideRowWithMaskedColumnsFollowsItsWeights() {
    // 40 columns, every fifth masked: the alias table over a row with zero weights
    int n = 40;
    int[] users = new int[n];
    int[] items = new int[n];
    for (int k = 0; k < n; k++) {
      users[k] = k % 8;
      items[k] = k % 4;
    }
    InBatchImportanceResampler s =
        new InBatchImportanceResampler(
            InBatchSampler.fromInteractions(train), 25, VectorOps.best());
    BatchCandidates c = new BatchCandidates(n, n);
    var rng = new SplittableRandom(17);
    s.sample(users, items, 0, n, rng, c);
    float[] logits = new float[n * n];
    for (int k = 0; k < logits.length; k++) {
      logits[k] = k % 5 == 2 ? Float.NEGATIVE_INFINITY : (float) (rng.nextDouble() * 4 - 2);
    }
    int row = 3;
    double[] expected = new double[n];
    double z = 0;
    for (int j = 0; j < n; j++) {
      float v = logits[row * n + j];
      if (j != row && v > Float.NEGATIVE_INFINITY) {
        expected[j] = Math.exp(v - c.itemLogQ()[j]);
        z += expected[j];
      }
    }
    for (int j = 0; j < n; j++) {
      expected[j] /= z;
    }
    long[] observed = new long[n];
    float[] logM = new float[n * n];
    int rounds = 2000;
    for (int r = 0; r < rounds; r++) {
      s.resample(logits, n, n, c, rng, logM);
      for (int j = 0; j < n; j++) {
        if (j != row && logM[row * n + j] > Float.NEGATIVE_INFINITY) {
          observed[j] += Math.round(Math.exp(logM[row * n + j]));
        }
      }
    }
    ChiSquare.assertFits("bir, 40 columns", observed, expected, 25L * rounds);
  }

  @Test
  void candidatesAreTheInBatchOnesAndEachWorkerGetsItsOwnScratch() {
    InBatchSampler inBatch = InBatchSampler.fromInteractions(train);
    InBatchImportanceResampler s = new InBatchImportanceResampler(inBatch, 3, VectorOps.best());
    assertTrue(s.resamplesByScore());
    assertNotSame(s, s.forWorker());
    BatchCandidates c = batch(s, new SplittableRandom(1));
    BatchCandidates plain = new BatchCandidates(4, 4);
    inBatch.sample(new int[] {0, 4, 6, 7}, new int[] {0, 1, 2, 3}, 0, 4, null, plain);
    assertArrayEquals(plain.items(), c.items());
    assertArrayEquals(plain.itemLogQ(), c.itemLogQ());
    assertEquals(4, c.numItems());
  }

  @Test
  void aRowWithNoNegativeKeepsOnlyItsPositive() {
    InBatchImportanceResampler s =
        new InBatchImportanceResampler(InBatchSampler.fromInteractions(train), 5, VectorOps.best());
    BatchCandidates c = new BatchCandidates(1, 1);
    s.sample(new int[] {0}, new int[] {0}, 0, 1, new SplittableRandom(1), c);
    float[] logM = {7f};
    s.resample(new float[] {1f}, 1, 1, c, new SplittableRandom(1), logM);
    assertArrayEquals(new float[] {0f}, logM);
  }
}
