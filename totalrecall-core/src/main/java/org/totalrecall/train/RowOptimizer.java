package org.totalrecall.train;

/**
 * Applies one optimizer step to one row of an embedding table, given that row's gradient: the
 * sparse update of a mini-batch touches only the rows in the batch. Each instance owns the
 * optimizer state of one table (indexed by dense row).
 *
 * <p>Thread safety: workers call {@link #step} concurrently without locks (Hogwild!, Niu et al.
 * 2011); two workers updating the same row at once may lose part of an update, which is rare and
 * harmless when rows are sparse. With one worker every step is deterministic.
 */
public interface RowOptimizer {
  /**
   * Updates {@code params[pOff, pOff + dim)} (row {@code row} of the table) with gradient
   * {@code grad[gOff, gOff + dim)}. The gradient must already include any regularisation.
   * {@code grad} is read only.
   */
  void step(float[] params, int pOff, float[] grad, int gOff, int row);
}
