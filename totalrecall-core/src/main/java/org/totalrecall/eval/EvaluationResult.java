package org.totalrecall.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.totalrecall.util.Checks;

/**
 * The metrics of one evaluation, with what they were computed on. Immutable.
 *
 * @param protocol the protocol's CLI name, e.g. "ncf"
 * @param direction "u2i" or "i2u"
 * @param variant "sampled" or "full"
 * @param part "test" or "validation"
 * @param seed the split seed
 * @param metrics metric name → value, keyed "hr@10", "ndcg@10", "recall@20", "precision@10",
 *     "f1@10", "map@10", "mrr@10", "auc", "distinct@10", "coverage@10", "distinctCategories@10"
 *     (with categories), "avgPopularity@10" (with popularity); ordered as {@link
 *     MetricAccumulator#metrics()}; unmodifiable
 * @param queries queries evaluated (each with at least one relevant candidate)
 * @param skippedQueries queries with a test row but no relevant candidate among their candidates,
 *     or left out by {@link EvalOptions#maxQueries()}
 * @param candidateUniverse number of candidates a query could rank (items for u2i, users for i2u)
 * @param meanCandidates mean number of candidates per evaluated query
 */
public record EvaluationResult(
    String protocol,
    String direction,
    String variant,
    String part,
    long seed,
    Map<String, Double> metrics,
    long queries,
    long skippedQueries,
    int candidateUniverse,
    double meanCandidates) {

  public EvaluationResult {
    Checks.notNull("protocol", protocol);
    Checks.notNull("metrics", metrics);
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** The value of metric {@code name}, e.g. "ndcg@10". */
  public double metric(String name) {
    Double v = metrics.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "no metric \"" + name + "\"; available: " + metrics.keySet());
    }
    return v;
  }

  /** Everything as an ordered map for JSON output (NaN metrics are written as null). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("protocol", protocol);
    m.put("direction", direction);
    m.put("variant", variant);
    m.put("part", part);
    m.put("seed", seed);
    m.put("queries", queries);
    m.put("skippedQueries", skippedQueries);
    m.put("candidateUniverse", candidateUniverse);
    m.put("meanCandidates", meanCandidates);
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      values.put(e.getKey(), Double.isNaN(e.getValue()) ? null : e.getValue());
    }
    m.put("metrics", values);
    return m;
  }
}
