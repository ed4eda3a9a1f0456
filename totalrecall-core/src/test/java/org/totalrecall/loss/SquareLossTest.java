package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SquareLossTest extends RowObjectiveContractTest {
  static final double NEGATIVE_WEIGHT = 0.37;

  @Override
  RowObjective create() {
    return new SquareLoss(NEGATIVE_WEIGHT);
  }

  /** Σ_r [ w_r (s_pos − 1)² + α0 Σ_k (s_k − 0)² ]. */
  @Override
  double reference(double[] s, int rows, int width, float[] logQ, float[] weights) {
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      loss += weight(weights, r) * Math.pow(s[r * width] - 1, 2);
      for (int k = 1; k < width; k++) {
        loss += NEGATIVE_WEIGHT * Math.pow(s[r * width + k] - 0, 2);
      }
    }
    return loss;
  }

  @Test
  void targetsAreOneForThePositiveAndZeroForNegatives() {
    float[] grad = new float[3];
    // w (0.5 − 1)² + α0 (0.5² + (−1)²) = 2·0.25 + 0.25·1.25
    double loss =
        new SquareLoss(0.25)
            .lossAndGradient(new float[] {0.5f, 0.5f, -1f}, 1, 3, null, new float[] {2f}, grad);
    assertEquals(0.5 + 0.3125, loss, 1e-15);
    assertArrayEquals(new float[] {-2f, 0.25f, -0.5f}, grad, 0f);
    // a perfect row costs nothing
    assertEquals(
        0.0,
        new SquareLoss().lossAndGradient(new float[] {1f, 0f, 0f}, 1, 3, null, null, grad),
        0.0);
    assertArrayEquals(new float[] {0f, 0f, 0f}, grad, 0f);
  }

  @Test
  void rejectsABadNegativeWeight() {
    assertThrows(IllegalArgumentException.class, () -> new SquareLoss(-1));
    assertThrows(IllegalArgumentException.class, () -> new SquareLoss(Double.NaN));
  }
}
