package org.totalrecall.cli;

import java.util.Locale;
import java.util.Map;

/** Human formatting of numbers and metric maps for the text output of the commands. */
final class Format {
  private Format() {}

  /** {@code ndcg@10 0.4321, hr@10 0.7012} in the map's order; NaN as "n/a". */
  static String metrics(Map<String, Double> metrics) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      sb.append(sb.isEmpty() ? "" : ", ")
          .append(e.getKey())
          .append(' ')
          .append(number(e.getValue()));
    }
    return sb.toString();
  }

  /** Four decimals, or "n/a" for NaN. */
  static String number(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** 1234567 → "1.23M", 12345 → "12.3k". */
  static String count(double v) {
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    }
    if (v >= 1e3) {
      return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
