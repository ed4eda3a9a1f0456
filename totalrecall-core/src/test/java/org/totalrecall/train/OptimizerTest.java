package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OptimizerTest {
  @Test
  void sgdStepIsRateTimesGradient() {
    float[] w = {1f, 2f, 9f};
    new SgdOptimizer(2, 0.1f).step(w, 0, new float[] {0.5f, -1f}, 0, 0);
    assertArrayEquals(new float[] {0.95f, 2.1f, 9f}, w, 1e-7f);
  }

  @Test
  void adamTwoStepsMatchAlgorithmOneWithPerRowBiasCorrection() {
    float lr = 0.01f;
    float b1 = 0.9f;
    float b2 = 0.999f;
    float eps = 1e-8f;
    AdamOptimizer adam = new AdamOptimizer(3, 2, lr, b1, b2, eps);
    float[] w = {0, 0, 1f, -1f, 0, 0}; // row 1 is at offset 2
    float[] g1 = {0.5f, -2f};
    float[] g2 = {-1f, 4f};
    adam.step(w, 2, g1, 0, 1);
    adam.step(w, 2, g2, 0, 1);
    double[] expected = {1, -1};
    for (int k = 0; k < 2; k++) {
      double m = 0;
      double v = 0;
      double x = expected[k];
      double[] gs = {g1[k], g2[k]};
      for (int t = 1; t <= 2; t++) {
        m = b1 * m + (1 - b1) * gs[t - 1];
        v = b2 * v + (1 - b2) * gs[t - 1] * gs[t - 1];
        x -= lr * (m / (1 - Math.pow(b1, t))) / (Math.sqrt(v / (1 - Math.pow(b2, t))) + eps);
      }
      expected[k] = x;
    }
    assertEquals(expected[0], w[2], 1e-6);
    assertEquals(expected[1], w[3], 1e-6);
    assertEquals(2, adam.steps(1));
    assertEquals(0, adam.steps(0), "untouched rows take no step (lazy Adam)");
    assertArrayEquals(new float[] {0, 0}, new float[] {w[0], w[1]});
    // first step of a fresh row moves each coordinate by about lr, whatever the gradient scale
    adam.step(w, 4, new float[] {1e-3f, -50f}, 0, 2);
    assertArrayEquals(new float[] {-lr, lr}, new float[] {w[4], w[5]}, 1e-6f);
  }

  @Test
  void adagradDividesByTheRootOfAccumulatedSquares() {
    AdagradOptimizer ada = new AdagradOptimizer(1, 2, 0.1f, 1e-10f);
    float[] w = {1f, 1f};
    ada.step(w, 0, new float[] {2f, -1f}, 0, 0);
    assertArrayEquals(new float[] {0.9f, 1.1f}, w, 1e-6f);
    ada.step(w, 0, new float[] {2f, 0f}, 0, 0);
    // G = 4 + 4 = 8: w0 -= 0.1·2/√8; G1 = 1, g = 0: unchanged
    assertArrayEquals(new float[] {(float) (0.9 - 0.2 / Math.sqrt(8)), 1.1f}, w, 1e-6f);
  }

  @Test
  void optimizerKindsBuildTheirClassesAndParseCliNames() {
    TrainConfig c = TrainConfig.defaults();
    assertEquals(AdamOptimizer.class, OptimizerKind.ADAM.create(2, 3, c).getClass());
    assertEquals(AdagradOptimizer.class, OptimizerKind.ADAGRAD.create(2, 3, c).getClass());
    assertEquals(SgdOptimizer.class, OptimizerKind.SGD.create(2, 3, c).getClass());
    assertEquals(OptimizerKind.ADAGRAD, OptimizerKind.parse("Adagrad"));
    assertThrows(IllegalArgumentException.class, () -> OptimizerKind.parse("rmsprop"));
  }
}
