package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One validation in the convergence log (PROTOCOLS.md, Convergence): metrics against the number of
 * positive records consumed, so that objectives compare fairly whatever they do per record.
 *
 * @param recordsConsumed positive pairs processed before this validation
 * @param epoch the (1-based) epoch in which it happened
 * @param metrics the validator's metrics (unmodifiable copy)
 */
public record ConvergencePoint(long recordsConsumed, int epoch, Map<String, Double> metrics) {
  public ConvergencePoint {
    metrics = Map.copyOf(metrics);
  }

  /** As an ordered map for JSON: records, epoch, then the metrics sorted by name. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("records", recordsConsumed);
    m.put("epoch", epoch);
    new java.util.TreeMap<>(metrics).forEach(m::put);
    return m;
  }
}
