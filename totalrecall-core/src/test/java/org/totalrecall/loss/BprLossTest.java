package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BprLossTest extends RowObjectiveContractTest {
  @Override
  RowObjective create() {
    return new BprLoss();
  }

  /** Σ_r w_r Σ_k −log σ(s_pos − s_k), σ(x) = 1 / (1 + e^−x). */
  @Override
  double reference(double[] s, int rows, int width, float[] logQ, float[] weights) {
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      for (int k = 1; k < width; k++) {
        double x = s[r * width] - s[r * width + k];
        loss -= weight(weights, r) * Math.log(1 / (1 + Math.exp(-x)));
      }
    }
    return loss;
  }

  @Test
  void equalScoresCostLogTwoPerPair() {
    float[] scores = {0.7f, 0.7f, 0.7f, 0.7f};
    float[] grad = new float[4];
    double loss = new BprLoss().lossAndGradient(scores, 1, 4, null, null, grad);
    assertEquals(3 * Math.log(2), loss, 1e-15);
    assertArrayEquals(new float[] {-1.5f, 0.5f, 0.5f, 0.5f}, grad, 1e-7f);
    loss = new BprLoss().lossAndGradient(scores, 1, 4, null, new float[] {2f}, grad);
    assertEquals(6 * Math.log(2), loss, 1e-15);
    assertArrayEquals(new float[] {-3f, 1f, 1f, 1f}, grad, 1e-7f);
  }

  @Test
  void eachPairIsOneBprTerm() {
    // −log σ(2 − 0) = log(1 + e^−2), −log σ(2 − 3) = log(1 + e)
    float[] grad = new float[3];
    double loss = new BprLoss().lossAndGradient(new float[] {2f, 0f, 3f}, 1, 3, null, null, grad);
    assertEquals(Math.log1p(Math.exp(-2)) + Math.log1p(Math.E), loss, 1e-15);
    double g1 = 1 / (1 + Math.exp(2));
    double g2 = 1 / (1 + Math.exp(-1));
    assertArrayEquals(new float[] {(float) -(g1 + g2), (float) g1, (float) g2}, grad, 1e-7f);
  }

  @Test
  void hugeMarginsSaturateExactly() {
    float[] grad = new float[2];
    assertEquals(
        2e4,
        new BprLoss().lossAndGradient(new float[] {-1e4f, 1e4f}, 1, 2, null, null, grad),
        1e-9);
    assertArrayEquals(new float[] {-1f, 1f}, grad, 0f);
    assertEquals(
        0.0,
        new BprLoss().lossAndGradient(new float[] {1e4f, -1e4f}, 1, 2, null, null, grad),
        1e-300);
    assertArrayEquals(new float[] {-0f, 0f}, grad, 0f);
  }
}
