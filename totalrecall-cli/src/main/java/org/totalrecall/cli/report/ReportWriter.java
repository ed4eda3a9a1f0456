package org.totalrecall.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.totalrecall.eval.EvaluationResult;

/**
 * Writes the report of one or several models into a directory: {@code index.html}, a page that
 * holds everything itself (charts as PNG data, no script, no external resource) and opens in any
 * browser from the file system, and each chart beside it as PNG and SVG (XChart, headless).
 *
 * <p>Charts: the mean batch loss of each epoch and the validation metrics against records consumed,
 * log-scale x (TotalRecall Fig. 3 and 7; several models overlaid), the accuracy and diversity of
 * the validation log (Fig. 4's Distinct items@N where the log has it), and where the candidates
 * fall in the popularity distribution (catalogue cut into ten bins by training count, each bin's
 * share of training interactions and of top-k slots), for items (u2i) and for users (i2u). Tables:
 * the metrics of both directions, the candidate statistics, the configuration and the data counts,
 * side by side for several models.
 */
public final class ReportWriter {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 420;
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x17becf),
  };

  /** Validation metrics charted when the log has them, the first two found. */
  static final List<String> CURVE_METRICS =
      List.of("ndcg@10", "recall@20", "hr@10", "ndcg@20", "precision@10");

  /** Diversity metrics charted when the log has them. */
  static final List<String> DIVERSITY_METRICS =
      List.of("distinct@50", "distinct@20", "distinct@10");

  /** Metrics shown in the tables, in this order, when present. */
  static final List<String> TABLE_METRICS =
      List.of(
          "hr@10",
          "recall@10",
          "precision@10",
          "ndcg@10",
          "mrr@10",
          "recall@20",
          "ndcg@20",
          "recall@50",
          "ndcg@50",
          "auc",
          "distinct@10",
          "coverage@10",
          "avgPopularity@10");

  private ReportWriter() {}

  /** A chart written: its title, the file stem, and the PNG bytes embedded in the page. */
  @SuppressWarnings(
      "ArrayRecordComponent") // a chart on its way to the page, never compared or hashed
  record Written(String title, String stem, byte[] png, String caption) {}

  /**
   * Writes the report of {@code models} (one, or several to compare) into {@code dir} (created).
   *
   * @param title the page's heading
   * @return the files written, index.html first
   */
  public static List<Path> write(List<ReportModel> models, Path dir, String title)
      throws IOException {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no model to report on");
    }
    Files.createDirectories(dir);
    // a report written here before: its charts go, so the directory holds this report only
    try (java.util.stream.Stream<Path> old = Files.list(dir)) {
      for (Path p : old.toList()) {
        String n = p.getFileName().toString();
        if ((n.endsWith(".png") || n.endsWith(".svg"))
            && (n.startsWith("loss")
                || n.startsWith("validation-")
                || n.startsWith("popularity-"))) {
          Files.delete(p);
        }
      }
    }
    List<Written> charts = new ArrayList<>();
    lossChart(models)
        .ifPresent(
            c ->
                charts.add(
                    save(
                        c,
                        dir,
                        "loss",
                        "Training loss",
                        "Mean batch loss of each epoch against the records (positive pairs) consumed; log-scale x.")));
    Set<String> logged = new LinkedHashSet<>();
    for (ReportModel m : models) {
      logged.addAll(m.validationCurves().keySet());
    }
    int curves = 0;
    for (String metric : CURVE_METRICS) {
      if (logged.contains(metric) && curves++ < 2) {
        charts.add(
            save(
                curveChart(models, metric),
                dir,
                "validation-" + stem(metric),
                "Validation " + metric,
                "Validation "
                    + metric
                    + " against records consumed (TotalRecall Fig. 3 / 7 style); log-scale x."));
      }
    }
    for (String metric : DIVERSITY_METRICS) {
      if (logged.contains(metric)) {
        charts.add(
            save(
                curveChart(models, metric),
                dir,
                "validation-" + stem(metric),
                "Diversity " + metric,
                "Distinct candidates in the validation queries' top lists against records consumed (TotalRecall Fig. 4)."));
        break;
      }
    }
    if (models.stream().allMatch(m -> m.itemCandidates() != null)) {
      charts.add(
          save(
              popularityChart(models, true),
              dir,
              "popularity-items",
              "Popularity of recommended items",
              "Items sorted by training count and cut into ten equal bins (1 = most popular): each bin's share of the"
                  + " training interactions and of the slots of every user's top-"
                  + models.get(0).itemCandidates().k()
                  + " (u2i)."));
    }
    if (models.stream().allMatch(m -> m.userCandidates() != null)) {
      charts.add(
          save(
              popularityChart(models, false),
              dir,
              "popularity-users",
              "Activity of audience users",
              "Users sorted by training count and cut into ten equal bins (1 = most active): each bin's share of the"
                  + " training interactions and of the slots of every item's top-"
                  + models.get(0).userCandidates().k()
                  + " audience (i2u)."));
    }
    Path index = dir.resolve("index.html");
    Files.writeString(index, html(models, charts, title), StandardCharsets.UTF_8);
    List<Path> files = new ArrayList<>();
    files.add(index);
    for (Written w : charts) {
      files.add(dir.resolve(w.stem() + ".png"));
      files.add(dir.resolve(w.stem() + ".svg"));
    }
    return files;
  }

  private static String stem(String metric) {
    return metric.replace('@', '-').toLowerCase(Locale.ROOT);
  }

  private static Written save(
      Chart<?, ?> chart, Path dir, String stem, String title, String caption) {
    try {
      byte[] png = ChartEncoder.getBytes(chart, "png");
      Files.write(dir.resolve(stem + ".png"), png);
      Files.write(dir.resolve(stem + ".svg"), ChartEncoder.getBytes(chart, "svg"));
      return new Written(title, stem, png, caption);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void style(Styler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setChartTitleVisible(true);
    s.setLegendPosition(Styler.LegendPosition.InsideNE);
    s.setSeriesColors(PALETTE);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    s.setAntiAlias(true);
  }

  private static java.util.Optional<XYChart> lossChart(List<ReportModel> models) {
    XYChart c =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title("Training loss")
            .xAxisTitle("records consumed")
            .yAxisTitle("mean batch loss")
            .build();
    style(c.getStyler());
    logX(c);
    boolean any = false;
    for (ReportModel m : models) {
      List<ReportModel.Point> pts = m.lossCurve();
      if (!pts.isEmpty()) {
        addSeries(c, seriesName(m, models), pts);
        any = true;
      }
    }
    return any ? java.util.Optional.of(c) : java.util.Optional.empty();
  }

  private static XYChart curveChart(List<ReportModel> models, String metric) {
    XYChart c =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title("Validation " + metric)
            .xAxisTitle("records consumed")
            .yAxisTitle(metric)
            .build();
    style(c.getStyler());
    logX(c);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    for (ReportModel m : models) {
      List<ReportModel.Point> pts = m.validationCurves().getOrDefault(metric, List.of());
      if (!pts.isEmpty()) {
        addSeries(c, seriesName(m, models), pts);
      }
    }
    return c;
  }

  private static void logX(XYChart c) {
    c.getStyler().setXAxisLogarithmic(true);
    c.getStyler().setXAxisDecimalPattern("0.#E0");
  }

  private static void addSeries(XYChart c, String name, List<ReportModel.Point> pts) {
    double[] x = new double[pts.size()];
    double[] y = new double[pts.size()];
    for (int k = 0; k < x.length; k++) {
      x[k] = Math.max(1, pts.get(k).records());
      y[k] = pts.get(k).value();
    }
    XYSeries s = c.addSeries(name, x, y);
    s.setLineStyle(new BasicStroke(2f));
  }

  private static CategoryChart popularityChart(List<ReportModel> models, boolean items) {
    String what =
        items
            ? "item popularity bin (1 = most popular 10% of items)"
            : "user activity bin (1 = most active 10% of users)";
    CategoryChart c =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(
                items
                    ? "Popularity of recommended items (u2i)"
                    : "Activity of audience users (i2u)")
            .xAxisTitle(what)
            .yAxisTitle("share")
            .build();
    style(c.getStyler());
    c.getStyler().setYAxisDecimalPattern("0%");
    List<String> bins = new ArrayList<>();
    for (int b = 1; b <= CandidateStats.BINS; b++) {
      bins.add(Integer.toString(b));
    }
    CandidateStats first = items ? models.get(0).itemCandidates() : models.get(0).userCandidates();
    c.addSeries("training interactions", bins, toList(first.trainShare()));
    for (ReportModel m : models) {
      CandidateStats s = items ? m.itemCandidates() : m.userCandidates();
      c.addSeries(
          (models.size() > 1 ? m.label() + ": " : "") + "top-" + s.k() + " slots",
          bins,
          toList(s.candidateShare()));
    }
    return c;
  }

  private static List<Double> toList(double[] a) {
    List<Double> out = new ArrayList<>(a.length);
    for (double v : a) {
      out.add(v);
    }
    return out;
  }

  private static String seriesName(ReportModel m, List<ReportModel> models) {
    return models.size() > 1
        ? m.label()
        : String.valueOf(m.metadata().getOrDefault("objective", m.label()));
  }

  // ---- the page ----

  private static String html(List<ReportModel> models, List<Written> charts, String title) {
    StringBuilder h = new StringBuilder(1 << 16);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(esc(title))
        .append("</title>\n<style>\n")
        .append(
            "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}")
        .append(
            "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append(
            "text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}td.k,th.k{text-align:left}")
        .append(
            "figure{margin:1em 0}figcaption{color:#555;font-size:90%;max-width:720px}img{border:1px solid #ddd}")
        .append("\n</style>\n</head>\n<body>\n<h1>")
        .append(esc(title))
        .append("</h1>\n");
    h.append("<p>").append(models.size() == 1 ? "Model " : "Models ");
    for (int k = 0; k < models.size(); k++) {
      h.append(k > 0 ? ", " : "")
          .append("<code>")
          .append(esc(models.get(k).label()))
          .append("</code>");
    }
    h.append(", evaluated on protocol <code>")
        .append(esc(models.get(0).protocol()))
        .append("</code>.</p>\n");

    h.append("<h2>Metrics, both directions</h2>\n");
    metricsTable(h, models);

    h.append("<h2>Candidates: popularity and diversity</h2>\n");
    candidatesTable(h, models);

    h.append("<h2>Charts</h2>\n");
    if (charts.isEmpty()) {
      h.append("<p>No chart: the models record neither a loss curve nor candidates.</p>\n");
    }
    boolean anyValidation = models.stream().anyMatch(m -> !m.validationCurves().isEmpty());
    if (!anyValidation) {
      h.append("<p>No validation curve: trained without <code>--validation</code>.</p>\n");
    }
    for (Written w : charts) {
      h.append("<figure id=\"")
          .append(w.stem())
          .append("\"><img alt=\"")
          .append(esc(w.title()))
          .append("\" width=\"")
          .append(WIDTH)
          .append("\" height=\"")
          .append(HEIGHT)
          .append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(w.png()))
          .append("\">\n<figcaption>")
          .append(esc(w.caption()))
          .append(" Files: <a href=\"")
          .append(w.stem())
          .append(".png\">PNG</a>, <a href=\"")
          .append(w.stem())
          .append(".svg\">SVG</a>.</figcaption></figure>\n");
    }

    h.append("<h2>Configuration</h2>\n");
    keyValueTable(h, models, ReportModel::configuration);
    h.append("<h2>Data</h2>\n");
    keyValueTable(h, models, ReportModel::dataCounts);
    h.append(
        "<p style=\"color:#777;font-size:85%\">Written by TotalRecall's <code>report</code>.</p>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void metricsTable(StringBuilder h, List<ReportModel> models) {
    List<String> columns = new ArrayList<>();
    List<EvaluationResult> results = new ArrayList<>();
    for (ReportModel m : models) {
      for (EvaluationResult r : new EvaluationResult[] {m.forward(), m.reverse()}) {
        if (r != null) {
          columns.add(
              (models.size() > 1 ? m.label() + " " : "")
                  + r.direction()
                  + " ("
                  + r.variant()
                  + ")");
          results.add(r);
        }
      }
    }
    h.append("<table id=\"metrics\">\n<tr><th class=\"k\">metric</th>");
    for (String c : columns) {
      h.append("<th>").append(esc(c)).append("</th>");
    }
    h.append("</tr>\n<tr><td class=\"k\">queries</td>");
    for (EvaluationResult r : results) {
      h.append("<td>").append(String.format(Locale.ROOT, "%,d", r.queries())).append("</td>");
    }
    h.append("</tr>\n");
    for (String metric : TABLE_METRICS) {
      if (results.stream().noneMatch(r -> r.metrics().containsKey(metric))) {
        continue;
      }
      h.append("<tr><td class=\"k\">").append(esc(metric)).append("</td>");
      for (EvaluationResult r : results) {
        Double v = r.metrics().get(metric);
        h.append("<td>").append(v == null ? "" : number(v)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append(
        "</table>\n<p>u2i: each user with held-out items ranks items; i2u: each item with held-out users ranks"
            + " users, on the same held-out pairs (training interactions excluded in both).</p>\n");
  }

  private static void candidatesTable(StringBuilder h, List<ReportModel> models) {
    h.append(
        "<table id=\"candidates\">\n<tr><th class=\"k\">model</th><th>direction</th><th>k</th><th>queries</th>"
            + "<th>distinct</th><th>coverage</th><th>mean popularity of candidates</th>"
            + "<th>of a training interaction</th><th>of the catalogue</th></tr>\n");
    for (ReportModel m : models) {
      for (CandidateStats s : new CandidateStats[] {m.itemCandidates(), m.userCandidates()}) {
        if (s == null) {
          continue;
        }
        h.append("<tr><td class=\"k\">")
            .append(esc(m.label()))
            .append("</td><td>")
            .append(s.direction())
            .append("</td><td>")
            .append(s.k())
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%,d", s.queries()))
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%,d", s.distinct()))
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%.1f%%", 100 * s.coverage()))
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%.1f", s.meanPopularity()))
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%.1f", s.trainMeanPopularity()))
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%.1f", s.catalogueMeanPopularity()))
            .append("</td></tr>\n");
      }
    }
    h.append(
        "</table>\n<p>Popularity is the training count of the candidate (an item's interactions for u2i, a user's"
            + " for i2u); distinct counts the candidates in all top-k lists together (TotalRecall Fig. 4).</p>\n");
  }

  private static void keyValueTable(
      StringBuilder h,
      List<ReportModel> models,
      java.util.function.Function<ReportModel, Map<String, String>> f) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (int k = 0; k < models.size(); k++) {
      for (Map.Entry<String, String> e : f.apply(models.get(k)).entrySet()) {
        List<String> row = rows.computeIfAbsent(e.getKey(), x -> new ArrayList<>());
        while (row.size() < k) {
          row.add("");
        }
        row.add(e.getValue());
      }
    }
    h.append("<table>\n<tr><th class=\"k\">key</th>");
    for (ReportModel m : models) {
      h.append("<th class=\"k\">").append(esc(m.label())).append("</th>");
    }
    h.append("</tr>\n");
    for (Map.Entry<String, List<String>> e : rows.entrySet()) {
      h.append("<tr><td class=\"k\">").append(esc(e.getKey())).append("</td>");
      for (int k = 0; k < models.size(); k++) {
        h.append("<td class=\"k\">")
            .append(k < e.getValue().size() ? esc(e.getValue().get(k)) : "")
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static String number(double v) {
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.1f", v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** HTML text escaping. */
  public static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
