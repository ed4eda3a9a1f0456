package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.linalg.ScalarVectorOps;
import org.totalrecall.linalg.VectorOps;

/**
 * The full softmax against a double-precision reference and its gradient against central
 * differences.
 */
class FullSoftmaxLossTest {
  private static double reference(float[] s, int rows, int cols, int[] pos) {
    double loss = 0;
    for (int b = 0; b < rows; b++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, s[b * cols + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        sum += Math.exp(s[b * cols + j] - max);
      }
      loss += Math.log(sum) + max - s[b * cols + pos[b]];
    }
    return loss / rows;
  }

  @Test
  void lossAndGradientMatchTheReferenceAndFiniteDifferences() {
    for (VectorOps ops : new VectorOps[] {VectorOps.best(), new ScalarVectorOps()}) {
      SplittableRandom rng = new SplittableRandom(4);
      int rows = 5;
      int cols = 37;
      float[] s = new float[rows * cols];
      for (int k = 0; k < s.length; k++) {
        s[k] = (float) (rng.nextGaussian() * 3);
      }
      int[] pos = {0, 36, 7, 7, 20};
      float[] g = new float[s.length];
      float loss = new FullSoftmaxLoss(ops).lossAndGradient(s, rows, cols, pos, g);
      assertEquals(reference(s, rows, cols, pos), loss, 1e-5);
      double h = 1e-3;
      for (int k = 0; k < s.length; k++) {
        float keep = s[k];
        s[k] = (float) (keep + h);
        double up = reference(s, rows, cols, pos);
        s[k] = (float) (keep - h);
        double down = reference(s, rows, cols, pos);
        s[k] = keep;
        assertEquals((up - down) / (2 * h), g[k], 2e-4, ops.name() + " entry " + k);
      }
      // in place: the gradient may overwrite the scores
      float[] same = s.clone();
      new FullSoftmaxLoss(ops).lossAndGradient(same, rows, cols, pos, same);
      for (int k = 0; k < s.length; k++) {
        assertEquals(g[k], same[k], 1e-7f);
      }
    }
  }
}
