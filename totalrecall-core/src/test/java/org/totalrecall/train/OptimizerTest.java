package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OptimizerTest {
  @Test
  void sgdStepIsRateTimesGradient() {
    float[] w = {1f, 2f, 9f};
    new SgdOptimizer(2, LearningRateSchedule.constant(0.1f))
        .step(w, 0, new float[] {0.5f, -1f}, 0, 0, 1);
    assertArrayEquals(new float[] {0.95f, 2.1f, 9f}, w, 1e-7f);
  }

  /** Dense Adam, Algorithm 1, in double precision: steps 1..gs.length, gs[t-1] = gradient at t. */
  private static double denseAdam(
      double w, double[] gs, double lr, double b1, double b2, double eps) {
    double m = 0;
    double v = 0;
    for (int t = 1; t <= gs.length; t++) {
      m = b1 * m + (1 - b1) * gs[t - 1];
      v = b2 * v + (1 - b2) * gs[t - 1] * gs[t - 1];
      w -= lr * (m / (1 - Math.pow(b1, t))) / (Math.sqrt(v / (1 - Math.pow(b2, t))) + eps);
    }
    return w;
  }

  @Test
  void adamConsecutiveStepsMatchAlgorithmOne() {
    AdamOptimizer adam =
        new AdamOptimizer(3, 2, LearningRateSchedule.constant(0.01f), 0.9f, 0.999f, 1e-8f);
    float[] w = {0, 0, 1f, -1f, 0, 0}; // row 1 is at offset 2
    adam.step(w, 2, new float[] {0.5f, -2f}, 0, 1, 1);
    adam.step(w, 2, new float[] {-1f, 4f}, 0, 1, 2);
    assertEquals(denseAdam(1, new double[] {0.5, -1}, 0.01, 0.9, 0.999, 1e-8), w[2], 1e-6);
    assertEquals(denseAdam(-1, new double[] {-2, 4}, 0.01, 0.9, 0.999, 1e-8), w[3], 1e-6);
    assertEquals(2, adam.lastStep(1));
    assertEquals(0, adam.lastStep(0));
    assertArrayEquals(
        new float[] {0, 0}, new float[] {w[0], w[1]}, "untouched rows are not written");
    // a row first touched at step 3 gets dense Adam's step-3 bias correction
    adam.step(w, 4, new float[] {1e-3f, -50f}, 0, 2, 3);
    assertEquals(denseAdam(0, new double[] {0, 0, 1e-3}, 0.01, 0.9, 0.999, 1e-8), w[4], 1e-6);
    assertEquals(denseAdam(0, new double[] {0, 0, -50}, 0.01, 0.9, 0.999, 1e-8), w[5], 1e-6);
  }

  @Test
  void adamCatchesUpSkippedStepsLikeDenseAdam() {
    // row touched at steps 1, 2 and 40; dense Adam would also have stepped it with g = 0 at 3..39
    AdamOptimizer adam =
        new AdamOptimizer(1, 1, LearningRateSchedule.constant(0.01f), 0.9f, 0.999f, 1e-8f);
    float[] w = {0.3f};
    adam.step(w, 0, new float[] {0.7f}, 0, 0, 1);
    adam.step(w, 0, new float[] {0.2f}, 0, 0, 2);
    adam.step(w, 0, new float[] {-0.4f}, 0, 0, 40);
    double[] gs = new double[40];
    gs[0] = 0.7;
    gs[1] = 0.2;
    gs[39] = -0.4;
    assertEquals(denseAdam(0.3, gs, 0.01, 0.9, 0.999, 1e-8), w[0], 1e-6);
    // flush brings a row to the final step: 60 more zero-gradient steps
    adam.flush(w, 100);
    assertEquals(
        denseAdam(0.3, java.util.Arrays.copyOf(gs, 100), 0.01, 0.9, 0.999, 1e-8), w[0], 1e-6);
    assertEquals(100, adam.lastStep(0));
  }

  @Test
  void adagradDividesByTheRootOfAccumulatedSquares() {
    AdagradOptimizer ada = new AdagradOptimizer(1, 2, LearningRateSchedule.constant(0.1f), 1e-10f);
    float[] w = {1f, 1f};
    ada.step(w, 0, new float[] {2f, -1f}, 0, 0, 1);
    assertArrayEquals(new float[] {0.9f, 1.1f}, w, 1e-6f);
    ada.step(w, 0, new float[] {2f, 0f}, 0, 0, 2);
    // G = 4 + 4 = 8: w0 -= 0.1·2/√8; G1 = 1, g = 0: unchanged
    assertArrayEquals(new float[] {(float) (0.9 - 0.2 / Math.sqrt(8)), 1.1f}, w, 1e-6f);
  }

  @Test
  void optimizerKindsBuildTheirClassesAndParseCliNames() {
    OptimizerSpec c = TrainConfig.defaults().optimization();
    LearningRateSchedule s = LearningRateSchedule.constant(0.1f);
    assertEquals(AdamOptimizer.class, OptimizerKind.ADAM.create(2, 3, c, s).getClass());
    assertEquals(AdagradOptimizer.class, OptimizerKind.ADAGRAD.create(2, 3, c, s).getClass());
    assertEquals(SgdOptimizer.class, OptimizerKind.SGD.create(2, 3, c, s).getClass());
    assertEquals(OptimizerKind.ADAGRAD, OptimizerKind.parse("Adagrad"));
    assertThrows(IllegalArgumentException.class, () -> OptimizerKind.parse("rmsprop"));
  }

  @Test
  void linearScheduleDecaysFromTheBaseRateTowardsZero() {
    LearningRateSchedule s = new LearningRateSchedule(0.4f, LearningRateSchedule.Decay.LINEAR, 4);
    assertArrayEquals(
        new float[] {0.4f, 0.3f, 0.2f, 0.1f, 0.1f},
        new float[] {s.rateAt(1), s.rateAt(2), s.rateAt(3), s.rateAt(4), s.rateAt(9)},
        1e-7f);
    assertEquals(0.4f, LearningRateSchedule.constant(0.4f).rateAt(1000));
    float[] w = {1f};
    SgdOptimizer sgd = new SgdOptimizer(1, s);
    sgd.step(w, 0, new float[] {1f}, 0, 0, 3);
    assertEquals(0.8f, w[0], 1e-7f);
  }
}
