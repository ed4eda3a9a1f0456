package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.totalrecall.util.Checks;

/**
 * How a run goes: passes over the data, positives per step, worker threads, and the master seed of
 * initialisation, shuffling and sampling ({@code threads = 1} with a fixed seed is bitwise
 * reproducible).
 *
 * @param epochs passes over the training pairs (an upper bound when stopping early)
 * @param batchSize positive pairs per step, at most {@link TrainConfig#MAX_BLOCK}
 * @param threads worker threads, at most {@link TrainConfig#MAX_THREADS}
 * @param seed the master seed
 */
public record RunSpec(int epochs, int batchSize, int threads, long seed) {
  public RunSpec {
    Checks.positive("epochs", epochs);
    Checks.positive("batchSize", batchSize);
    if (batchSize
        > TrainConfig.MAX_BLOCK) { // the batch score matrix (batchSize²) must fit one Java array
      throw new IllegalArgumentException(
          "batchSize must be <= " + TrainConfig.MAX_BLOCK + ", got " + batchSize);
    }
    Checks.positive("threads", threads);
    if (threads > TrainConfig.MAX_THREADS) {
      throw new IllegalArgumentException(
          "threads must be <= " + TrainConfig.MAX_THREADS + ", got " + threads);
    }
  }

  public RunSpec withEpochs(int v) {
    return new RunSpec(v, batchSize, threads, seed);
  }

  public RunSpec withBatchSize(int v) {
    return new RunSpec(epochs, v, threads, seed);
  }

  public RunSpec withThreads(int v) {
    return new RunSpec(epochs, batchSize, v, seed);
  }

  public RunSpec withSeed(long v) {
    return new RunSpec(epochs, batchSize, threads, v);
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epochs", epochs);
    m.put("batchSize", batchSize);
    m.put("threads", threads);
    m.put("seed", seed);
    return m;
  }

  static RunSpec fromMap(Map<String, ?> m) {
    return new RunSpec(
        MapValues.integer(m, "epochs"),
        MapValues.integer(m, "batchSize"),
        MapValues.integer(m, "threads"),
        MapValues.longInteger(m, "seed"));
  }
}
