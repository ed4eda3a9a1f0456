package org.totalrecall.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run did.
 *
 * @param epochsRun epochs completed
 * @param bestEpoch epoch of the best validation (0 without a validator)
 * @param bestMetrics metrics of the best validation (empty without a validator)
 * @param recordsConsumed positive pairs processed
 * @param wallSeconds total time including validation
 * @param trainSeconds time spent training only (validation excluded)
 * @param positivesPerSecond recordsConsumed / trainSeconds
 * @param epochLosses mean batch loss of each epoch
 * @param epochPositivesPerSecond training throughput of each epoch
 * @param convergence every validation against records consumed
 * @param stoppedEarly whether early stopping ended the run before {@code epochs}
 * @param restoredBest whether the returned tables are those of the best validation
 * @param threads worker threads used
 * @param vectorOps name of the kernels used
 */
public record TrainingSummary(
    int epochsRun,
    int bestEpoch,
    Map<String, Double> bestMetrics,
    long recordsConsumed,
    double wallSeconds,
    double trainSeconds,
    double positivesPerSecond,
    List<Double> epochLosses,
    List<Double> epochPositivesPerSecond,
    List<ConvergencePoint> convergence,
    boolean stoppedEarly,
    boolean restoredBest,
    int threads,
    String vectorOps) {

  public TrainingSummary {
    bestMetrics = Map.copyOf(bestMetrics);
    epochLosses = List.copyOf(epochLosses);
    epochPositivesPerSecond = List.copyOf(epochPositivesPerSecond);
    convergence = List.copyOf(convergence);
  }

  /** As an ordered map for model metadata and JSON reports. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epochsRun", epochsRun);
    m.put("bestEpoch", bestEpoch);
    m.put("bestMetrics", new java.util.TreeMap<>(bestMetrics));
    m.put("recordsConsumed", recordsConsumed);
    m.put("wallSeconds", wallSeconds);
    m.put("trainSeconds", trainSeconds);
    m.put("positivesPerSecond", positivesPerSecond);
    m.put("epochLosses", epochLosses);
    m.put("epochPositivesPerSecond", epochPositivesPerSecond);
    List<Map<String, Object>> log = new ArrayList<>();
    for (ConvergencePoint p : convergence) {
      log.add(p.toMap());
    }
    m.put("convergence", log);
    m.put("stoppedEarly", stoppedEarly);
    m.put("restoredBest", restoredBest);
    m.put("threads", threads);
    m.put("vectorOps", vectorOps);
    return m;
  }
}
