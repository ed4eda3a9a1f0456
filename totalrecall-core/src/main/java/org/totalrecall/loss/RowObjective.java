package org.totalrecall.loss;

/**
 * A loss over per-row candidate blocks (the {@code PER_ROW} layout): each row is one positive pair
 * and its own candidates, scored as {@code scores[r·width + k]}, with column 0 the positive and
 * columns 1..width−1 the row's negatives (pairs that the sampler drew for it: the positive's user
 * with another item, another user with the positive's item, or a random pair). Like {@link
 * BatchObjective} it is pure arithmetic on scores: the trainer gathers the scores, calls this, and
 * routes dLoss/dScore back to the embeddings of each candidate's user and item.
 *
 * <p>Implementations may hold per-worker scratch: not thread-safe; each worker owns one.
 */
public interface RowObjective {
  /**
   * Computes the loss of {@code rows} blocks and writes dLoss/dScore for every entry into {@code
   * grad} (same layout, overwritten).
   *
   * @param scores rows × width scores, read only
   * @param rows number of positives
   * @param width 1 + the number of negatives per row
   * @param logQ rows × width log-probability with which the sampler drew each negative (column 0
   *     unused), for objectives that correct for the proposal; null when the sampler has none
   * @param weights per-row example weight (the interaction's weight), or null for all 1
   * @param grad output, rows × width
   * @return the loss summed over the rows (each row's term weighted)
   */
  double lossAndGradient(
      float[] scores, int rows, int width, float[] logQ, float[] weights, float[] grad);
}
