package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HingeLossTest extends RowObjectiveContractTest {
  static final double MARGIN = 0.8;
  static final double NEGATIVE_WEIGHT = 0.37;

  @Override
  RowObjective create() {
    return new HingeLoss(MARGIN, NEGATIVE_WEIGHT);
  }

  /** Σ_r [ w_r max(0, m − s_pos) + α0 Σ_k max(0, m + s_k) ]. */
  @Override
  double reference(double[] s, int rows, int width, float[] logQ, float[] weights) {
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      loss += weight(weights, r) * Math.max(0, MARGIN - s[r * width]);
      for (int k = 1; k < width; k++) {
        loss += NEGATIVE_WEIGHT * Math.max(0, MARGIN + s[r * width + k]);
      }
    }
    return loss;
  }

  @Override
  boolean awayFromKinks(float[] scores, int off, int width) {
    if (Math.abs(scores[off] - MARGIN) < KINK_GAP) {
      return false;
    }
    for (int k = 1; k < width; k++) {
      if (Math.abs(scores[off + k] + MARGIN) < KINK_GAP) {
        return false;
      }
    }
    return true;
  }

  @Test
  void handValuesWithTheDefaultMargin() {
    HingeLoss hinge = new HingeLoss();
    assertEquals(1.0, hinge.margin());
    assertEquals(1.0, hinge.negativeWeight());
    float[] grad = new float[3];
    // positive 0.25: 1 − 0.25 = 0.75 (times w = 2); negatives −2: 0, 0.5: 1.5
    double loss =
        hinge.lossAndGradient(new float[] {0.25f, -2f, 0.5f}, 1, 3, null, new float[] {2f}, grad);
    assertEquals(1.5 + 1.5, loss, 1e-15);
    assertArrayEquals(new float[] {-2f, 0f, 1f}, grad, 0f);
    // satisfied margins cost nothing
    assertEquals(
        0.0, hinge.lossAndGradient(new float[] {2f, -1.5f, -3f}, 1, 3, null, null, grad), 0.0);
    assertArrayEquals(new float[] {0f, 0f, 0f}, grad, 0f);
  }

  @Test
  void negativeWeightScalesOnlyTheNegatives() {
    float[] grad = new float[2];
    double loss =
        new HingeLoss(1, 0.25).lossAndGradient(new float[] {0f, 1f}, 1, 2, null, null, grad);
    assertEquals(1 + 0.25 * 2, loss, 1e-15);
    assertArrayEquals(new float[] {-1f, 0.25f}, grad, 0f);
  }

  @Test
  void theKinkHasSubgradientZero() {
    float[] grad = {9f, 9f};
    double loss =
        new HingeLoss(0.5, 1).lossAndGradient(new float[] {0.5f, -0.5f}, 1, 2, null, null, grad);
    assertEquals(0.0, loss, 0.0);
    assertArrayEquals(new float[] {0f, 0f}, grad, 0f);
  }

  @Test
  void rejectsBadParameters() {
    assertThrows(IllegalArgumentException.class, () -> new HingeLoss(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> new HingeLoss(Double.NaN, 1));
    assertThrows(IllegalArgumentException.class, () -> new HingeLoss(1, -1));
    assertThrows(IllegalArgumentException.class, () -> new HingeLoss(1, Double.POSITIVE_INFINITY));
  }
}
