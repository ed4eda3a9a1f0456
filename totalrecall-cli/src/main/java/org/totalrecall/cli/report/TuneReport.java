package org.totalrecall.cli.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The page of a {@code tune} run: the trials sorted by their validation score (flags, epochs, the
 * score, time, status) and a chart of every trial's score by rung, as PNG and SVG beside the page
 * and embedded in it.
 */
public final class TuneReport {
  private TuneReport() {}

  /** One trial as the page shows it. */
  public record Row(
      int trial,
      int bracket,
      int rung,
      int config,
      int epochs,
      Map<String, String> flags,
      double score,
      Map<String, Double> metrics,
      int bestEpoch,
      double seconds,
      String status) {}

  /** Writes {@code html} and {@code scores.png} / {@code scores.svg} into {@code dir}. */
  public static void write(
      Path html,
      Path dir,
      String title,
      String metric,
      List<Row> rows,
      List<String> flagNames,
      double seconds)
      throws IOException {
    XYChart c =
        new XYChartBuilder()
            .width(720)
            .height(380)
            .title("Validation " + metric + " of every trial")
            .xAxisTitle("trial")
            .yAxisTitle(metric)
            .build();
    c.getStyler()
        .setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    int maxRung = rows.stream().mapToInt(Row::rung).max().orElse(0);
    boolean any = false;
    for (int r = 0; r <= maxRung; r++) {
      List<double[]> pts = new ArrayList<>();
      int epochs = 0;
      for (Row row : rows) {
        if (row.rung() == r && row.status().equals("ok")) {
          pts.add(new double[] {row.trial(), row.score()});
          epochs = row.epochs();
        }
      }
      if (pts.isEmpty()) {
        continue;
      }
      double[] x = new double[pts.size()];
      double[] y = new double[pts.size()];
      for (int k = 0; k < x.length; k++) {
        x[k] = pts.get(k)[0];
        y[k] = pts.get(k)[1];
      }
      XYSeries s = c.addSeries("rung " + (r + 1) + " (" + epochs + " epochs)", x, y);
      s.setMarker(SeriesMarkers.CIRCLE);
      any = true;
    }
    byte[] png = null;
    if (any) {
      png = ChartEncoder.getBytes(c, "png");
      Files.write(dir.resolve("scores.png"), png);
      Files.write(dir.resolve("scores.svg"), ChartEncoder.getBytes(c, "svg"));
    }
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(
        Comparator.comparingDouble(
                (Row r) -> r.status().equals("ok") ? -r.score() : Double.POSITIVE_INFINITY)
            .thenComparingInt(Row::trial));
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(ReportWriter.esc(title))
        .append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em auto;")
        .append(
            "max-width:1200px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;")
        .append(
            "text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}td.k{text-align:left}</style>\n")
        .append("</head>\n<body>\n<h1>")
        .append(ReportWriter.esc(title))
        .append("</h1>\n<p>")
        .append(rows.size())
        .append(" trials in ")
        .append(String.format(Locale.ROOT, "%.0f", seconds))
        .append(" s; score: validation ")
        .append(ReportWriter.esc(metric))
        .append(
            " on a part carved from the training data (the test part is not evaluated). The best configuration is in"
                + " <code>best.opts</code>; every trial in <code>trials.csv</code>.</p>\n");
    if (png != null) {
      h.append(
              "<figure><img alt=\"scores\" width=\"720\" height=\"380\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(png))
          .append(
              "\"><figcaption>Files: <a href=\"scores.png\">PNG</a>,"
                  + " <a href=\"scores.svg\">SVG</a>.</figcaption></figure>\n");
    }
    h.append(
        "<table id=\"trials\">\n<tr><th>trial</th><th>bracket</th><th>rung</th><th>epochs</th>");
    for (String f : flagNames) {
      h.append("<th>--").append(ReportWriter.esc(f)).append("</th>");
    }
    h.append("<th>")
        .append(ReportWriter.esc(metric))
        .append("</th><th>best epoch</th><th>seconds</th><th>status</th></tr>\n");
    for (Row r : sorted) {
      h.append("<tr><td>")
          .append(r.trial())
          .append("</td><td>")
          .append(r.bracket() + 1)
          .append("</td><td>")
          .append(r.rung() + 1)
          .append("</td><td>")
          .append(r.epochs())
          .append("</td>");
      for (String f : flagNames) {
        h.append("<td>")
            .append(ReportWriter.esc(r.flags().getOrDefault(f, "default")))
            .append("</td>");
      }
      h.append("<td>")
          .append(r.status().equals("ok") ? String.format(Locale.ROOT, "%.4f", r.score()) : "")
          .append("</td><td>")
          .append(r.bestEpoch())
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f", r.seconds()))
          .append("</td><td class=\"k\">")
          .append(ReportWriter.esc(r.status()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n</body>\n</html>\n");
    Files.writeString(html, h.toString(), StandardCharsets.UTF_8);
  }
}
