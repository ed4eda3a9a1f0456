package org.totalrecall.loss;

/**
 * A loss over one mini-batch's score matrix. It is pure arithmetic on scores and never touches
 * embeddings: trainers own every parameter and update, so an objective can be checked against
 * finite differences on its own.
 *
 * <p>Layout: {@code scores} is a {@code rows × cols} row-major matrix with {@code scores[r·cols +
 * c] = φ(user candidate r, item candidate c)}. The first {@code numPositives} rows and columns are
 * the batch's positive pairs: the positive of row b is column b (b &lt; numPositives); every other
 * entry is a negative. With in-batch negatives rows = cols = numPositives (TotalRecall eq. 3);
 * samplers that add extra candidates append rows or columns after the positives.
 *
 * <p>Instances hold per-worker scratch: not thread-safe; each training worker owns one.
 */
public interface BatchObjective {
  /**
   * Computes the batch loss and writes dLoss/dScore for every entry into {@code grad} (same layout
   * as {@code scores}, overwritten).
   *
   * @param scores rows × cols scores, read only
   * @param numPositives number of positive pairs B (≤ rows and ≤ cols)
   * @param rows number of user candidates
   * @param cols number of item candidates
   * @param rowLogQ log q(user) of each row, subtracted from its score in the i2u softmax (the logQ
   *     correction of Yi et al. 2019); null for no correction
   * @param colLogQ log q(item) of each column, subtracted in the u2i softmax; null for none
   * @param grad output, rows × cols
   * @return the loss, averaged over the B positives (each term a mean, as torch's {@code
   *     cross_entropy} with its default reduction)
   */
  float lossAndGradient(
      float[] scores,
      int numPositives,
      int rows,
      int cols,
      float[] rowLogQ,
      float[] colLogQ,
      float[] grad);

  /**
   * {@link #lossAndGradient(float[], int, int, int, float[], float[], float[])} with each positive
   * row's u2i softmax restricted to a multiset of its item candidates: {@code
   * u2iLogMultiplicity[b·cols + c]} is added to row b's logit of column c (−∞ drops the column, log
   * m counts it m times; see {@link org.totalrecall.sampler.BatchSampler#resample}). Null is the
   * plain block. Only objectives with a u2i softmax accept a non-null array.
   */
  default float lossAndGradient(
      float[] scores,
      int numPositives,
      int rows,
      int cols,
      float[] rowLogQ,
      float[] colLogQ,
      float[] u2iLogMultiplicity,
      float[] grad) {
    if (u2iLogMultiplicity != null) {
      throw new UnsupportedOperationException(
          getClass().getSimpleName() + " has no u2i softmax to resample");
    }
    return lossAndGradient(scores, numPositives, rows, cols, rowLogQ, colLogQ, grad);
  }

  /** Whether this objective reads {@code rowLogQ} (it has an i2u term). */
  boolean usesRowCorrection();

  /** Whether this objective reads {@code colLogQ} (it has a u2i term). */
  boolean usesColumnCorrection();
}
