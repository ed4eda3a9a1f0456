package org.totalrecall.loss;

/**
 * Sampled softmax over each row's own negatives, with or without the sampling correction: the
 * survey's (paper 001) eq. 19 and Algorithm 3 (sec. 4.3), one softmax per row. With the correction
 * the negatives' logits are shifted by −log(m·q(j)) (Bengio &amp; Senécal 2008; the logQ correction
 * of Yi et al. 2019), so that the partition function over the sample estimates the full one as m
 * grows:
 *
 * <pre>
 *   z_0 = s_pos,   z_k = s_k − logQ_k − log m   (correct)   or   z_k = s_k   (not correct)
 *   L_row = w_row · ( −s_pos + log Σ_{j=0..m} e^{z_j} )      m = width − 1 negatives
 *   dL/ds_pos = w_row · (p_0 − 1),   dL/ds_k = w_row · p_k,   p = softmax(z)
 * </pre>
 *
 * With {@code correct} false the −log(m·q) term is dropped: the plain sampled softmax, which with
 * in-batch-like negatives is CLRec's uncorrected contrastive loss. The log-sum-exp is shifted by
 * the row's largest logit, so any finite scores and log-probabilities give a finite loss and
 * gradient. A row of width 1 has loss 0. w_row is the row's example weight.
 *
 * <p>The row's exponentials are staged in {@code grad} itself before being scaled into the
 * gradient, so the loss needs no scratch. Immutable: thread-safe (each call writes only its own
 * {@code grad}).
 */
public final class SampledSoftmaxRowLoss implements RowObjective {
  private final boolean correct;

  /** With the correction of eq. 19. */
  public SampledSoftmaxRowLoss() {
    this(true);
  }

  /**
   * @param correct true (default) to subtract log(m·q) from every negative's logit as eq. 19 does,
   *     which needs the sampler's {@code logQ}; false for no correction
   */
  public SampledSoftmaxRowLoss(boolean correct) {
    this.correct = correct;
  }

  /** Whether the negatives' logits are corrected by −log(m·q); if so, {@code logQ} is required. */
  public boolean correct() {
    return correct;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException also if this loss corrects and {@code logQ} is null
   */
  @Override
  public double lossAndGradient(
      float[] scores, int rows, int width, float[] logQ, float[] weights, float[] grad) {
    RowBlocks.check(scores, rows, width, logQ, weights, grad);
    if (correct && logQ == null && width > 1) {
      throw new IllegalArgumentException(
          "logQ must not be null: the corrected sampled softmax needs each negative's log q");
    }
    final boolean useLogQ = correct && width > 1;
    final double logM = width > 1 ? Math.log(width - 1) : 0;
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      final int off = r * width;
      final double w = weights == null ? 1 : weights[r];
      final double positive = scores[off];
      double max = positive;
      for (int k = 1; k < width; k++) {
        max = Math.max(max, logit(scores, logQ, off + k, useLogQ, logM));
      }
      // exponentials shifted by the maximum (each in [0, 1], the largest exactly 1), staged in
      // grad; the logits are recomputed in double rather than staged, to keep their precision
      final double e0 = Math.exp(positive - max);
      double negativeSum = 0;
      for (int k = 1; k < width; k++) {
        double e = Math.exp(logit(scores, logQ, off + k, useLogQ, logM) - max);
        grad[off + k] = (float) e;
        negativeSum += e;
      }
      final double sum = e0 + negativeSum;
      // −z_0 + log Σ e^z = (max − s_pos) + log(sum); log1p keeps a near-0 loss accurate when the
      // positive is the largest logit (e0 = 1)
      loss += w * (positive == max ? Math.log1p(negativeSum) : (max - positive) + Math.log(sum));
      final double scale = w / sum;
      for (int k = 1; k < width; k++) {
        grad[off + k] = (float) (scale * grad[off + k]);
      }
      // p_0 − 1 = −(Σ_{k≥1} e_k) / sum, without the cancellation of computing p_0 first
      grad[off] = (float) (-scale * negativeSum);
    }
    return loss;
  }

  /** The logit z of one negative entry: its score, less log(m·q) when correcting. */
  private static double logit(
      float[] scores, float[] logQ, int index, boolean useLogQ, double logM) {
    return useLogQ ? scores[index] - (logQ[index] + logM) : scores[index];
  }
}
