package org.totalrecall.train;

import org.totalrecall.linalg.EmbeddingTable;

/**
 * The inner loop of one training algorithm: what one step does to the tables. The {@link
 * TrainingDriver} owns everything around it (epochs, records accounting, validation, early stopping
 * and keep-best, the convergence log, progress, divergence checks), so a new algorithm (the
 * mini-batch trainer, the per-example Hogwild trainer, an alternating least-squares solver) is one
 * class implementing this, and the driver is never edited.
 *
 * <p>An epoch is {@link #beginEpoch} then steps {@code 0..n-1}. With {@link #concurrentSteps()} the
 * driver runs the steps of an epoch on {@link #workers()} threads round-robin (worker w takes steps
 * w, w + W, ...; Hogwild updates), else one after the other on the calling thread (a solver whose
 * steps depend on each other parallelises inside a step).
 */
interface Solver {
  /** Workers the driver may run steps on; step calls pass a worker index below this. */
  int workers();

  /** Whether steps of one epoch may run concurrently on different workers. */
  boolean concurrentSteps();

  /**
   * Prepares epoch {@code epoch} (1-based; e.g. shuffles) and returns its number of steps, the same
   * every epoch.
   */
  int beginEpoch(int epoch);

  /** Records (positive pairs) consumed by step {@code step} of the current epoch. */
  long records(int step);

  /**
   * Runs step {@code step} of the current epoch on worker {@code worker} and returns its mean loss
   * (non-finite if training diverged; the driver checks).
   *
   * @param globalStep 1-based index of the step in the whole run
   */
  float step(int worker, int epoch, int step, long globalStep);

  /**
   * Brings pending optimizer state into the tables as of {@code globalStep}; called while no step
   * runs.
   */
  void flush(long globalStep);

  /**
   * Everything a checkpoint must hold to resume this solver after an epoch, by name: live float[]
   * or long[] arrays (the tables and the optimizers' state), which a resumed run overwrites in
   * place. Generators are not state: each epoch's is derived from the seed ({@link Seeds}).
   */
  java.util.Map<String, Object> state();

  /** The state of two tables and their optimizers, as most solvers have it. */
  static java.util.Map<String, Object> state(
      EmbeddingTable users,
      EmbeddingTable items,
      RowOptimizer userOptimizer,
      RowOptimizer itemOptimizer) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("users", users.data());
    m.put("items", items.data());
    userOptimizer.state().forEach((k, v) -> m.put("userOptimizer." + k, v));
    itemOptimizer.state().forEach((k, v) -> m.put("itemOptimizer." + k, v));
    return m;
  }

  /** The live weights of the scorer (the gmf scorer's h), or null if it has none. */
  default float[] scorerWeights() {
    return null;
  }

  /**
   * Releases what the solver holds beyond the run (e.g. its own threads); the driver calls it once,
   * at the end.
   */
  default void close() {}

  /** The live user table. */
  EmbeddingTable users();

  /** The live item table. */
  EmbeddingTable items();
}
