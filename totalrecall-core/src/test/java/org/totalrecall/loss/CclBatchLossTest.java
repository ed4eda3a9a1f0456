package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shared-block CCL against a hand-computed case, its per-row form and finite differences. */
class CclBatchLossTest {
  @Test
  void handComputedBlockWithAMaskedEntry() {
    // B = 2 positives, 3 columns (2 positives + 1 shared extra); row 0's column 1 masked
    float ninf = Float.NEGATIVE_INFINITY;
    float[] scores = {0.5f, ninf, 0.95f, 0.2f, 0.8f, 0.3f};
    float[] grad = new float[6];
    CclBatchLoss loss = new CclBatchLoss(0.4, 2.0);
    // row 0: (1 − 0.5) + (2/1)·max(0, 0.95 − 0.4) = 0.5 + 1.1 = 1.6
    // row 1: (1 − 0.8) + (2/2)·(max(0, 0.2 − 0.4) + max(0, 0.3 − 0.4)) = 0.2
    assertEquals((1.6 + 0.2) / 2, loss.lossAndGradient(scores, 2, 2, 3, null, null, grad), 1e-6);
    assertEquals(-0.5f, grad[0], 1e-7);
    assertEquals(0f, grad[1]);
    assertEquals(1.0f, grad[2], 1e-7); // (2/1)/2
    assertEquals(0f, grad[3]);
    assertEquals(-0.5f, grad[4], 1e-7);
    assertEquals(0f, grad[5]);
  }

  @Test
  void equalsThePerRowLossWhenEveryRowSeesTheSameNegatives() {
    SplittableRandom rng = new SplittableRandom(3);
    int b = 3;
    int extra = 4;
    int cols = b + extra;
    float ninf = Float.NEGATIVE_INFINITY;
    float[] shared = new float[b * cols];
    float[] perRow = new float[b * (1 + extra)];
    for (int r = 0; r < b; r++) {
      for (int c = 0; c < cols; c++) {
        float s = (float) (rng.nextDouble() * 2 - 1);
        shared[r * cols + c] = c < b && c != r ? ninf : s;
        if (c == r) {
          perRow[r * (1 + extra)] = s;
        } else if (c >= b) {
          perRow[r * (1 + extra) + 1 + c - b] = s;
        }
      }
    }
    CclBatchLoss batch = new CclBatchLoss(0.1, 3.0);
    CclLoss row = new CclLoss(0.1, 3.0);
    float[] g1 = new float[shared.length];
    float[] g2 = new float[perRow.length];
    double l1 = batch.lossAndGradient(shared, b, b, cols, null, null, g1);
    double l2 = row.lossAndGradient(perRow, b, 1 + extra, null, null, g2);
    assertEquals(l2 / b, l1, 1e-6, "the batch loss is the per-row sum's mean");
    for (int r = 0; r < b; r++) {
      assertEquals(g2[r * (1 + extra)] / b, g1[r * cols + r], 1e-7);
      for (int k = 0; k < extra; k++) {
        assertEquals(g2[r * (1 + extra) + 1 + k] / b, g1[r * cols + b + k], 1e-7);
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesAwayFromTheKinks() {
    SplittableRandom rng = new SplittableRandom(5);
    int b = 4;
    int cols = 9;
    float[] scores = new float[b * cols];
    for (int k = 0; k < scores.length; k++) {
      scores[k] = (float) (rng.nextDouble() * 1.8 - 0.9);
    }
    CclBatchLoss loss = new CclBatchLoss(0.3, 5.0);
    float[] grad = new float[scores.length];
    loss.lossAndGradient(scores, b, b, cols, null, null, grad);
    float[] scratch = new float[scores.length];
    double h = 1e-3;
    for (int k = 0; k < scores.length; k++) {
      if (Math.abs(scores[k] - 0.3) < 2 * h) {
        continue; // the hinge's kink
      }
      float keep = scores[k];
      scores[k] = (float) (keep + h);
      double up = loss.lossAndGradient(scores, b, b, cols, null, null, scratch);
      scores[k] = (float) (keep - h);
      double down = loss.lossAndGradient(scores, b, b, cols, null, null, scratch);
      scores[k] = keep;
      assertEquals((up - down) / (2 * h), grad[k], 2e-3, "entry " + k);
    }
  }

  @Test
  void refusesABlockWithoutPositives() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new CclBatchLoss(0.5, 1)
                .lossAndGradient(new float[4], 0, 2, 2, null, null, new float[4]));
  }
}
