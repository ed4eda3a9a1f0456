package org.totalrecall.loss;

/**
 * Bayesian Personalized Ranking over per-row candidate blocks (Rendle, Freudenthaler, Gantner &amp;
 * Schmidt-Thieme 2009, "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI: the
 * BPR-Opt criterion ln σ(x̂_uij)); in the survey (paper 001) the pairwise loss of eq. 11 with the
 * logistic loss of eq. 10b, sampled uniformly without weights as in sec. 4.2.1.
 *
 * <p>Each of a row's negatives forms one BPR pair with the row's positive, and the row's loss is
 * the <em>sum</em> over those pairs (not their mean), times the row's example weight w:
 *
 * <pre>
 *   L_r = w_r · Σ_{k=1..K} −log σ(s_pos − s_k) = w_r · Σ_k softplus(s_k − s_pos)      K = width − 1
 *   dL_r/ds_k   =  w_r · σ(s_k − s_pos)
 *   dL_r/ds_pos = −w_r · Σ_k σ(s_k − s_pos)
 * </pre>
 *
 * A row of K negatives therefore moves as K single-pair BPR steps would. softplus and σ are
 * evaluated with sign branches ({@link Activations}), so any finite scores give a finite loss and
 * gradient. {@code logQ} is not read.
 *
 * <p>Stateless and immutable: thread-safe.
 */
public final class BprLoss implements RowObjective {
  /** BPR has no parameters. */
  public BprLoss() {}

  @Override
  public double lossAndGradient(
      float[] scores, int rows, int width, float[] logQ, float[] weights, float[] grad) {
    RowBlocks.check(scores, rows, width, logQ, weights, grad);
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      final int off = r * width;
      final double w = weights == null ? 1 : weights[r];
      final double positive = scores[off];
      double rowLoss = 0;
      double pull = 0; // Σ_k σ(s_k − s_pos): how hard the positive is pushed up
      for (int k = 1; k < width; k++) {
        double x = scores[off + k] - positive;
        rowLoss += Activations.softplus(x);
        double g = Activations.sigmoid(x);
        pull += g;
        grad[off + k] = (float) (w * g);
      }
      grad[off] = (float) (-w * pull);
      loss += w * rowLoss;
    }
    return loss;
  }
}
