package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogisticLossTest extends RowObjectiveContractTest {
  static final double NEGATIVE_WEIGHT = 0.37;

  @Override
  RowObjective create() {
    return new LogisticLoss(NEGATIVE_WEIGHT);
  }

  /** Σ_r [ −w_r log σ(s_pos) − α0 Σ_k log(1 − σ(s_k)) ]. */
  @Override
  double reference(double[] s, int rows, int width, float[] logQ, float[] weights) {
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      loss -= weight(weights, r) * Math.log(1 / (1 + Math.exp(-s[r * width])));
      for (int k = 1; k < width; k++) {
        loss -= NEGATIVE_WEIGHT * Math.log(1 - 1 / (1 + Math.exp(-s[r * width + k])));
      }
    }
    return loss;
  }

  @Test
  void zeroScoresCostLogTwoPerExample() {
    float[] grad = new float[3];
    double loss = new LogisticLoss().lossAndGradient(new float[3], 1, 3, null, null, grad);
    assertEquals(3 * Math.log(2), loss, 1e-15);
    assertArrayEquals(new float[] {-0.5f, 0.5f, 0.5f}, grad, 0f);
    assertEquals(1.0, new LogisticLoss().negativeWeight());
  }

  @Test
  void exampleWeightScalesThePositiveAndNegativeWeightTheNegatives() {
    float[] grad = new float[3];
    double loss =
        new LogisticLoss(0.25).lossAndGradient(new float[3], 1, 3, null, new float[] {4f}, grad);
    assertEquals(4 * Math.log(2) + 0.25 * 2 * Math.log(2), loss, 1e-15);
    assertArrayEquals(new float[] {-2f, 0.125f, 0.125f}, grad, 0f);
  }

  @Test
  void rejectsABadNegativeWeight() {
    assertThrows(IllegalArgumentException.class, () -> new LogisticLoss(-0.1));
    assertThrows(IllegalArgumentException.class, () -> new LogisticLoss(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new LogisticLoss(Double.POSITIVE_INFINITY));
  }
}
