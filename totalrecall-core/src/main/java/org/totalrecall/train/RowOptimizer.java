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
   * Updates {@code params[pOff, pOff + dim)} (row {@code row} of the table) with gradient {@code
   * grad[gOff, gOff + dim)}. The gradient must already include any regularisation. {@code grad} is
   * read only.
   *
   * @param step the global step: the 1-based index of the mini-batch in the whole run ((epoch − 1)
   *     · batchesPerEpoch + batch + 1), so that optimizers whose state decays with time (Adam) can
   *     account for the steps in which the row had no gradient
   */
  void step(float[] params, int pOff, float[] grad, int gOff, int row, long step);

  /**
   * Brings every row up to global step {@code step}, as if each had been stepped with a zero
   * gradient since its last update (a no-op for optimizers under which a zero gradient changes
   * nothing, such as SGD and Adagrad). The trainer calls it before validating and at the end, from
   * one thread while no worker runs; {@code params} is the whole table.
   */
  default void flush(float[] params, long step) {}

  /**
   * The optimizer's state by name (live float[] or long[] arrays, e.g. Adam's moments), for
   * checkpoints: a checkpoint saves them and a resumed run copies them back in place.
   */
  default java.util.Map<String, Object> state() {
    return java.util.Map.of();
  }
}
