package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImportanceBprLossTest extends RowObjectiveContractTest {
  @Override
  RowObjective create() {
    return new ImportanceBprLoss();
  }

  /** T, the temperature of the weights under test. */
  double temperature() {
    return 1;
  }

  /** Σ_r w_r Σ_k ŵ_k·−log σ(s_pos − s_k), ŵ = softmax_k(s_k/T − logQ_k), written out. */
  @Override
  double reference(double[] s, int rows, int width, float[] logQ, float[] weights) {
    return frozen(s, s, rows, width, logQ, weights);
  }

  /**
   * The gradient holds ŵ constant: the function it differentiates has ŵ from the unperturbed
   * scores.
   */
  @Override
  Reference referenceAt(float[] scores, int rows, int width, float[] logQ) {
    double[] at = new double[scores.length];
    for (int i = 0; i < at.length; i++) {
      at[i] = scores[i];
    }
    return (s, r, w, q, weights) -> frozen(s, at, r, w, q, weights);
  }

  /** The loss at scores s with the importance weights of scores {@code at}. */
  private double frozen(
      double[] s, double[] at, int rows, int width, float[] logQ, float[] weights) {
    double t = temperature();
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      double z = 0;
      for (int k = 1; k < width; k++) {
        z += Math.exp(at[r * width + k] / t - (logQ == null ? 0 : logQ[r * width + k]));
      }
      for (int k = 1; k < width; k++) {
        double importance =
            Math.exp(at[r * width + k] / t - (logQ == null ? 0 : logQ[r * width + k])) / z;
        double x = s[r * width] - s[r * width + k];
        loss -= weight(weights, r) * importance * Math.log(1 / (1 + Math.exp(-x)));
      }
    }
    return loss;
  }

  @Test
  void weightsFollowScoreOverProposal() {
    // two negatives of equal score; the second was drawn 3 times as likely: weights 3/4 and 1/4
    float[] scores = {1f, 0f, 0f};
    float[] logQ = {0f, (float) Math.log(0.1), (float) Math.log(0.3)};
    float[] grad = new float[3];
    double loss = new ImportanceBprLoss().lossAndGradient(scores, 1, 3, logQ, null, grad);
    double pair = Math.log1p(Math.exp(-1)); // −log σ(1)
    assertEquals(pair, loss, 1e-12, "the weights sum to 1: one pair's loss");
    double sig = 1 / (1 + Math.exp(1)); // σ(0 − 1)
    assertArrayEquals(
        new float[] {(float) -sig, (float) (0.75 * sig), (float) (0.25 * sig)}, grad, 1e-7f);
  }

  @Test
  void withoutLogQTheWeightsAreTheSoftmaxOfTheScores() {
    // PRIS(U): ŵ = softmax(s_k); scores 0 and ln 3 give 1/4 and 3/4
    float[] scores = {2f, 0f, (float) Math.log(3)};
    float[] grad = new float[3];
    new ImportanceBprLoss().lossAndGradient(scores, 1, 3, null, new float[] {2f}, grad);
    double g1 = 2 * 0.25 / (1 + Math.exp(2));
    double g2 = 2 * 0.75 / (1 + Math.exp(2 - Math.log(3)));
    assertArrayEquals(new float[] {(float) -(g1 + g2), (float) g1, (float) g2}, grad, 1e-7f);
  }

  @Test
  void temperatureDividesTheScoresButNotLogQ() {
    // scores 0 and ln 3 at T = 2 give exp(0) and exp(ln 3 / 2) = √3; log Q of the second is
    // ln 3 lower (drawn a third as often), so its weight is √3·3: ŵ = 1/(1 + 3√3), 3√3/(1 + 3√3)
    float[] scores = {1f, 0f, (float) Math.log(3)};
    float[] logQ = {0f, (float) Math.log(0.3), (float) Math.log(0.1)};
    float[] grad = new float[3];
    double loss = new ImportanceBprLoss(2).lossAndGradient(scores, 1, 3, logQ, null, grad);
    double heavy = 3 * Math.sqrt(3);
    double w1 = 1 / (1 + heavy);
    double w2 = heavy / (1 + heavy);
    double x2 = Math.log(3) - 1;
    assertEquals(w1 * Math.log1p(Math.exp(-1)) + w2 * Math.log1p(Math.exp(x2)), loss, 1e-6, "loss");
    double g1 = w1 / (1 + Math.exp(1));
    double g2 = w2 / (1 + Math.exp(-x2));
    assertArrayEquals(new float[] {(float) -(g1 + g2), (float) g1, (float) g2}, grad, 1e-6f);
  }

  @Test
  void refusesATemperatureThatIsNotPositiveAndFinite() {
    for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class, () -> new ImportanceBprLoss(t), "T = " + t);
    }
  }
}
