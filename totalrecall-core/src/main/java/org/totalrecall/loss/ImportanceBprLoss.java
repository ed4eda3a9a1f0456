package org.totalrecall.loss;

/**
 * BPR with self-normalised importance weights over each row's negatives: AdaSIR's objective (paper
 * 002, eq. 1; Chen, Lian et al. 2022) and PRIS's (Lian, Liu &amp; Chen 2020), for negatives drawn
 * from a proposal with known log-probability:
 *
 * <pre>
 *   ŵ_k = exp(s_k/T − logQ_k) / Σ_{l=1..K} exp(s_l/T − logQ_l)          (eq. 1, second line; T = 1)
 *   L_r = w_r · Σ_{k=1..K} ŵ_k · −log σ(s_pos − s_k)                     (eq. 1, first line)
 *   dL_r/ds_k   =  w_r · ŵ_k · σ(s_k − s_pos)
 *   dL_r/ds_pos = −w_r · Σ_k ŵ_k · σ(s_k − s_pos)
 * </pre>
 *
 * The weights ŵ are importance weights of the draw and are held constant in the gradient (no
 * derivative flows through them), as in PRIS and AdaSIR's estimator of the softmax-weighted BPR
 * gradient: a negative drawn more often than the model's softmax would draw it (large log Q) counts
 * less. With AdaSIR's pools, logQ is the item's resampling weight log w(j|c) computed when it
 * entered the pool, so ŵ ∝ exp(r̂_cj − r̂'_cj) for a uniform proposal, as the paper notes. A null
 * {@code logQ} means a uniform proposal (ŵ = softmax of the scores). Because the ŵ sum to 1, a row
 * moves like one BPR pair (plain {@link BprLoss} sums its K pairs). The exponentials are shifted by
 * the row's largest logit: any finite input gives a finite loss and gradient. A row of width 1 has
 * loss 0.
 *
 * <p>T, the temperature of the weights, is 1 in eq. 1. Other values are the {@code lambda_w} of the
 * authors' released code, which divides the scores (not log Q) by it: T &lt; 1 leans the row's
 * weight further towards its highest-scored negatives, T &gt; 1 evens it out (T → ∞ with a uniform
 * proposal is the mean of the K pairs).
 *
 * <p>Stateless and immutable: thread-safe.
 */
public final class ImportanceBprLoss implements RowObjective {
  private final double inverseTemperature;

  /** Eq. 1: weights at temperature 1. */
  public ImportanceBprLoss() {
    this(1);
  }

  /**
   * @param temperature T &gt; 0, finite: ŵ ∝ exp(s/T − log Q)
   */
  public ImportanceBprLoss(double temperature) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "the weight temperature must be positive and finite, got " + temperature);
    }
    this.inverseTemperature = 1 / temperature;
  }

  @Override
  public double lossAndGradient(
      float[] scores, int rows, int width, float[] logQ, float[] weights, float[] grad) {
    RowBlocks.check(scores, rows, width, logQ, weights, grad);
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      final int off = r * width;
      final double w = weights == null ? 1 : weights[r];
      final double positive = scores[off];
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 1; k < width; k++) {
        max = Math.max(max, logit(scores, logQ, off + k));
      }
      double sum = 0;
      for (int k = 1; k < width; k++) {
        sum += Math.exp(logit(scores, logQ, off + k) - max);
      }
      double rowLoss = 0;
      double pull = 0;
      for (int k = 1; k < width; k++) {
        // recomputed rather than staged in the float gradient, to keep the weights' precision
        double importance = Math.exp(logit(scores, logQ, off + k) - max) / sum;
        double x = scores[off + k] - positive;
        rowLoss += importance * Activations.softplus(x);
        double g = w * importance * Activations.sigmoid(x);
        pull += g;
        grad[off + k] = (float) g;
      }
      grad[off] = (float) -pull;
      loss += w * rowLoss;
    }
    return loss;
  }

  /** s_k/T − log Q_k, or s_k/T when there is no log Q (uniform proposal). */
  private double logit(float[] scores, float[] logQ, int index) {
    double s = scores[index] * inverseTemperature;
    return logQ == null ? s : s - logQ[index];
  }
}
