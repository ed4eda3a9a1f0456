package org.totalrecall.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.totalrecall.eval.EvaluationResult;

/**
 * Everything the report shows of one model: its name, the configuration and data counts from its
 * metadata, the training curve (mean batch loss of each epoch and the validation log, both against
 * records consumed), the metrics of both directions on the protocol's held-out part, and the
 * candidate statistics. Built by the command line; the report only reads it.
 *
 * @param label the model's name on the page (its file name)
 * @param metadata the model file's metadata (config, training summary, counts, load report)
 * @param protocol the protocol evaluated, as the CLI spells it
 * @param forward the protocol's own direction (u2i for ncf/full/loo/random-split, i2u for pums)
 * @param reverse the same held-out pairs queried the other way, or null (pums-group)
 * @param itemCandidates the statistics of every user's top-k items
 * @param userCandidates the statistics of every item's top-k users
 */
public record ReportModel(
    String label,
    Map<String, Object> metadata,
    String protocol,
    EvaluationResult forward,
    EvaluationResult reverse,
    CandidateStats itemCandidates,
    CandidateStats userCandidates) {

  /** One point of a curve: records consumed and a value. */
  public record Point(double records, double value) {}

  /** The training summary map of the metadata, or an empty map. */
  @SuppressWarnings("unchecked")
  Map<String, Object> training() {
    return metadata.get("training") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The mean batch loss of each epoch, at the records consumed by the end of that epoch. */
  List<Point> lossCurve() {
    List<Point> out = new ArrayList<>();
    Map<String, Object> t = training();
    if (!(t.get("epochLosses") instanceof List<?> losses)
        || !(t.get("recordsConsumed") instanceof Number records)
        || losses.isEmpty()) {
      return out;
    }
    double perEpoch = records.doubleValue() / losses.size();
    for (int e = 0; e < losses.size(); e++) {
      if (losses.get(e) instanceof Number v && Double.isFinite(v.doubleValue())) {
        out.add(new Point(perEpoch * (e + 1), v.doubleValue()));
      }
    }
    return out;
  }

  /** The validation log: metric name → points, in the order validated. */
  Map<String, List<Point>> validationCurves() {
    Map<String, List<Point>> out = new TreeMap<>();
    if (!(training().get("convergence") instanceof List<?> log)) {
      return out;
    }
    for (Object o : log) {
      if (o instanceof Map<?, ?> p && p.get("records") instanceof Number r) {
        for (Map.Entry<?, ?> e : p.entrySet()) {
          String k = String.valueOf(e.getKey());
          if (!k.equals("records") && !k.equals("epoch") && e.getValue() instanceof Number v) {
            out.computeIfAbsent(k, x -> new ArrayList<>())
                .add(new Point(r.doubleValue(), v.doubleValue()));
          }
        }
      }
    }
    return out;
  }

  /** The configuration as flat key → text (nested maps joined with dots). */
  Map<String, String> configuration() {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", metadata.get("config"), out);
    return out;
  }

  /** The data counts and the load report as flat key → text. */
  Map<String, String> dataCounts() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("data", String.valueOf(metadata.getOrDefault("data", "?")));
    out.put("format", String.valueOf(metadata.getOrDefault("format", "?")));
    flatten("", metadata.get("counts"), out);
    if (metadata.get("loadReport") instanceof Map<?, ?> r) {
      for (String k :
          List.of("rows", "duplicates", "duplicatePolicy", "unknownIds", "unknownIdPolicy")) {
        if (r.get(k) != null) {
          out.put("load." + k, String.valueOf(r.get(k)));
        }
      }
    }
    return out;
  }

  private static void flatten(String prefix, Object value, Map<String, String> out) {
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        flatten(
            prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey(),
            e.getValue(),
            out);
      }
    } else if (value != null) {
      out.put(prefix, String.valueOf(value));
    }
  }
}
