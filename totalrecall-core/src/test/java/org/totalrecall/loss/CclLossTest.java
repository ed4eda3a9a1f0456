package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CclLossTest extends RowObjectiveContractTest {
  static final double MARGIN = 0.3;
  static final double NEGATIVE_WEIGHT = 2.5;

  @Override
  RowObjective create() {
    return new CclLoss(MARGIN, NEGATIVE_WEIGHT);
  }

  /** Σ_r w_r [ (1 − s_pos) + (w_neg / K) Σ_k max(0, s_k − m) ]. */
  @Override
  double reference(double[] s, int rows, int width, float[] logQ, float[] weights) {
    double loss = 0;
    int numNegatives = width - 1;
    for (int r = 0; r < rows; r++) {
      double negatives = 0;
      for (int k = 1; k < width; k++) {
        negatives += Math.max(0, s[r * width + k] - MARGIN);
      }
      double mean = numNegatives == 0 ? 0 : negatives / numNegatives;
      loss += weight(weights, r) * ((1 - s[r * width]) + NEGATIVE_WEIGHT * mean);
    }
    return loss;
  }

  /** Cosines: uniform in [−1, 1]. */
  @Override
  float drawScore(SplittableRandom rng) {
    return (float) (rng.nextDouble() * 2 - 1);
  }

  @Override
  boolean awayFromKinks(float[] scores, int off, int width) {
    for (int k = 1; k < width; k++) {
      if (Math.abs(scores[off + k] - MARGIN) < KINK_GAP) {
        return false;
      }
    }
    return true;
  }

  /** Cosines cannot be large: the stability check runs at ±1. */
  @Override
  float hugeScore() {
    return 1f;
  }

  @Test
  void handValues() {
    // (1 − 0.75) + (3 / 3)·(max(0, 0.5 − 0.25) + 0 + max(0, 0.375 − 0.25)) = 0.25 + 0.375
    float[] grad = new float[4];
    CclLoss ccl = new CclLoss(0.25, 3);
    double loss =
        ccl.lossAndGradient(new float[] {0.75f, 0.5f, 0.125f, 0.375f}, 1, 4, null, null, grad);
    assertEquals(0.625, loss, 1e-15);
    assertArrayEquals(new float[] {-1f, 1f, 0f, 1f}, grad, 0f);
    // the example weight scales the whole row
    loss =
        ccl.lossAndGradient(
            new float[] {0.75f, 0.5f, 0.125f, 0.375f}, 1, 4, null, new float[] {2f}, grad);
    assertEquals(1.25, loss, 1e-15);
    assertArrayEquals(new float[] {-2f, 2f, 0f, 2f}, grad, 0f);
    assertEquals(0.25, ccl.margin());
    assertEquals(3.0, ccl.negativeWeight());
  }

  @Test
  void aRowWithoutNegativesHasOnlyThePositiveTerm() {
    float[] grad = new float[1];
    assertEquals(
        0.5,
        new CclLoss(0.5, 10).lossAndGradient(new float[] {0.5f}, 1, 1, null, null, grad),
        1e-15);
    assertArrayEquals(new float[] {-1f}, grad, 0f);
  }

  @Test
  void theKinkHasSubgradientZero() {
    float[] grad = {9f, 9f};
    double loss =
        new CclLoss(0.5, 1).lossAndGradient(new float[] {1f, 0.5f}, 1, 2, null, null, grad);
    assertEquals(0.0, loss, 0.0);
    assertArrayEquals(new float[] {-1f, 0f}, grad, 0f);
  }

  @Test
  void scoresThatAreNotCosinesFailTheAssertion() {
    assumeTrue(CclLoss.class.desiredAssertionStatus(), "needs -ea");
    // e.g. a cosine divided by a temperature of 0.1
    assertThrows(
        AssertionError.class,
        () ->
            new CclLoss(0.5, 1)
                .lossAndGradient(new float[] {9f, 0.5f}, 1, 2, null, null, new float[2]));
  }

  @Test
  void rejectsBadParameters() {
    assertThrows(IllegalArgumentException.class, () -> new CclLoss(1.5, 1));
    assertThrows(IllegalArgumentException.class, () -> new CclLoss(-1.01, 1));
    assertThrows(IllegalArgumentException.class, () -> new CclLoss(Double.NaN, 1));
    assertThrows(IllegalArgumentException.class, () -> new CclLoss(0.5, -1));
    assertThrows(IllegalArgumentException.class, () -> new CclLoss(0.5, Double.NaN));
  }
}
