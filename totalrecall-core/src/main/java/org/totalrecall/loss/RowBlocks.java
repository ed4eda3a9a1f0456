package org.totalrecall.loss;

import org.totalrecall.util.Checks;

/**
 * Argument checks of {@link RowObjective#lossAndGradient}, shared by every per-row objective: run
 * once per call, at the boundary, so that the per-entry loops need only asserts.
 */
final class RowBlocks {
  private RowBlocks() {}

  /**
   * Checks the shapes of one call: rows ≥ 0, width ≥ 1, and every array long enough for rows ×
   * width entries (weights: rows entries). {@code logQ} and {@code weights} may be null.
   *
   * @throws IllegalArgumentException naming the first argument that does not fit
   */
  static void check(
      float[] scores, int rows, int width, float[] logQ, float[] weights, float[] grad) {
    Checks.notNull("scores", scores);
    Checks.notNull("grad", grad);
    Checks.nonNegative("rows", rows);
    Checks.positive("width", width);
    long size = (long) rows * width;
    if (scores.length < size) {
      throw new IllegalArgumentException(
          "scores must hold rows × width = "
              + rows
              + " × "
              + width
              + " = "
              + size
              + " entries, got "
              + scores.length);
    }
    if (grad.length < size) {
      throw new IllegalArgumentException(
          "grad must hold rows × width = "
              + rows
              + " × "
              + width
              + " = "
              + size
              + " entries, got "
              + grad.length);
    }
    if (logQ != null && logQ.length < size) {
      throw new IllegalArgumentException(
          "logQ must hold rows × width = "
              + rows
              + " × "
              + width
              + " = "
              + size
              + " entries, got "
              + logQ.length);
    }
    if (weights != null && weights.length < rows) {
      throw new IllegalArgumentException(
          "weights must hold one entry per row (" + rows + "), got " + weights.length);
    }
  }
}
