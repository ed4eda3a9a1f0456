package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The corrected loss runs the contract; the uncorrected one gets its own gradient check. */
class SampledSoftmaxRowLossTest extends RowObjectiveContractTest {
  @Override
  RowObjective create() {
    return new SampledSoftmaxRowLoss(true);
  }

  @Override
  double reference(double[] s, int rows, int width, float[] logQ, float[] weights) {
    return reference(true, s, rows, width, logQ, weights);
  }

  @Override
  boolean needsLogQ() {
    return true;
  }

  /** Eq. 19 written out: Σ_r w_r [ −s_pos + log( e^{s_pos} + Σ_k e^{s_k} / (m q_k) ) ]. */
  static double reference(
      boolean correct, double[] s, int rows, int width, float[] logQ, float[] weights) {
    double loss = 0;
    int m = width - 1;
    for (int r = 0; r < rows; r++) {
      double positive = s[r * width];
      double z = Math.exp(positive);
      for (int k = 1; k < width; k++) {
        double e = Math.exp(s[r * width + k]);
        z += correct ? e / (m * Math.exp(logQ[r * width + k])) : e;
      }
      loss += weight(weights, r) * (-positive + Math.log(z));
    }
    return loss;
  }

  @ParameterizedTest(name = "K={0}")
  @ValueSource(ints = {0, 1, 4, 16})
  void uncorrectedGradientMatchesCentralFiniteDifferences(int numNegatives) {
    for (boolean weighted : new boolean[] {false, true}) {
      for (boolean withLogQ : new boolean[] {false, true}) {
        long seed = 500L + numNegatives * 4L + (weighted ? 2 : 0) + (withLogQ ? 1 : 0);
        var rng = new SplittableRandom(seed);
        int rows = 6;
        int width = 1 + numNegatives;
        float[] scores = randomScores(rng, rows, width);
        // logQ given but not to be used: the uncorrected loss must ignore it
        float[] logQ = withLogQ ? randomLogQ(rng, rows, width) : null;
        float[] weights = weighted ? randomWeights(rng, rows) : null;
        assertMatchesReference(
            new SampledSoftmaxRowLoss(false),
            (s, r, w, q, ws) -> reference(false, s, r, w, null, ws),
            scores,
            rows,
            width,
            logQ,
            weights,
            "seed " + seed);
      }
    }
  }

  @Test
  void equalScoresWithoutCorrectionCostLogOfTheCandidateCount() {
    float[] grad = new float[4];
    SampledSoftmaxRowLoss loss = new SampledSoftmaxRowLoss(false);
    assertFalse(loss.correct());
    assertEquals(
        Math.log(4),
        loss.lossAndGradient(new float[] {2f, 2f, 2f, 2f}, 1, 4, null, null, grad),
        1e-15);
    assertArrayEquals(new float[] {-0.75f, 0.25f, 0.25f, 0.25f}, grad, 1e-7f);
  }

  @Test
  void uniformProposalCorrectsEachNegativeByNOverM() {
    // 4 negatives drawn uniformly from 100 items: e^0 / (4 · 1/100) = 25 each, so log(1 + 100)
    int width = 5;
    float[] logQ = new float[width];
    Arrays.fill(logQ, (float) Math.log(0.01));
    float[] grad = new float[width];
    SampledSoftmaxRowLoss loss = new SampledSoftmaxRowLoss();
    assertTrue(loss.correct());
    assertEquals(
        Math.log(101), loss.lossAndGradient(new float[width], 1, width, logQ, null, grad), 1e-6);
    assertEquals(-100.0 / 101, grad[0], 1e-6);
    assertEquals(25.0 / 101, grad[1], 1e-6);
  }

  @Test
  void proposalOfOneOverMIsNoCorrection() {
    var rng = new SplittableRandom(8L);
    int rows = 3;
    int width = 9;
    float[] scores = randomScores(rng, rows, width);
    float[] logQ = new float[rows * width];
    Arrays.fill(logQ, (float) -Math.log(width - 1)); // m·q = 1
    float[] corrected = new float[rows * width];
    float[] plain = new float[rows * width];
    double a =
        new SampledSoftmaxRowLoss(true).lossAndGradient(scores, rows, width, logQ, null, corrected);
    double b =
        new SampledSoftmaxRowLoss(false).lossAndGradient(scores, rows, width, null, null, plain);
    assertEquals(b, a, 1e-6);
    assertArrayEquals(plain, corrected, 1e-6f);
  }

  @Test
  void aConfidentPositiveHasALossNearZeroButNotZero() {
    // log(1 + 3e^−40) ≈ 1.3e−17: kept by log1p, where log(sum) would round it to 0
    float[] grad = new float[4];
    double loss =
        new SampledSoftmaxRowLoss(false)
            .lossAndGradient(new float[] {40f, 0f, 0f, 0f}, 1, 4, null, null, grad);
    assertEquals(3 * Math.exp(-40), loss, 1e-30);
    assertEquals(-3 * Math.exp(-40), grad[0], 1e-7 * 3 * Math.exp(-40)); // float precision
  }

  @Test
  void correctingWithoutLogQIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SampledSoftmaxRowLoss(true)
                .lossAndGradient(new float[4], 2, 2, null, null, new float[4]));
    // without negatives there is nothing to correct
    assertEquals(
        0.0,
        new SampledSoftmaxRowLoss(true)
            .lossAndGradient(new float[2], 2, 1, null, null, new float[2]),
        0.0);
  }
}
