package org.totalrecall.loss;

import org.totalrecall.linalg.VectorOps;

/**
 * The full softmax over the whole catalogue (Rendle's survey sec. 4.1, the exact objective that
 * sampled softmax, eq. 19, estimates): for each of B positives, scores against every item (the
 * {@code FULL} layout, a B × N block), loss {@code −s_{b,pos(b)} + log Σ_j exp(s_{b,j})}, averaged
 * over the B positives; dLoss/dS = (softmax − onehot)/B. Stable (row maximum shift, lanewise EXP).
 * The reference the samplers are judged against.
 *
 * <p>Holds no scratch: the gradient may be written over the scores.
 */
public final class FullSoftmaxLoss {
  private final VectorOps ops;

  public FullSoftmaxLoss(VectorOps ops) {
    this.ops = ops;
  }

  /**
   * The mean softmax cross-entropy of the rows and its gradient with respect to the scores.
   *
   * @param scores rows × cols scores (row b against every item)
   * @param rows B, the positives
   * @param cols N, the items
   * @param positives the column of each row's positive item
   * @param grad output rows × cols; may be {@code scores} itself
   * @return the mean loss over the rows
   */
  @SuppressWarnings(
      "ReferenceEquality") // grad may be scores itself (in place): identity is what is asked
  public float lossAndGradient(float[] scores, int rows, int cols, int[] positives, float[] grad) {
    final float invB = 1f / rows;
    double loss = 0;
    for (int b = 0; b < rows; b++) {
      int off = b * cols;
      float positive = scores[off + positives[b]];
      if (grad != scores) { // identity on purpose: in place, the copy is skipped
        System.arraycopy(scores, off, grad, off, cols);
      }
      float max = ops.max(grad, off, cols);
      float sum = ops.expShiftSum(grad, off, cols, max);
      loss += Math.log(sum) + max - positive;
      ops.scale(invB / sum, grad, off, cols);
      grad[off + positives[b]] -= invB;
    }
    return (float) (loss * invB);
  }
}
