package org.totalrecall.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.totalrecall.cli.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code totalrecall reproduce}: runs the rows of the papers' tables the project implements ({@link
 * PaperRows}) on {@code ../shared/data} and writes ours beside the published figures, with the
 * difference and the time of each row, as Markdown, HTML and JSON. Each row is {@code train
 * --validation} (early stopping on a validation part carved from the training part, best epoch
 * kept) with the row's settings, then {@code evaluate} on the protocol's test part, both run
 * in-process. {@code --quick} caps every row's epochs (the table still has every row).
 */
@Command(
    name = "reproduce",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the implemented rows of the papers' tables (TotalRecall Tables 1, 3 and 5; OneBP Table 2; AdaSIR Table 2)"
          + " on the shared data and writes ours beside the published figures, with the difference and time per row:"
          + " reproduce.md, index.html and results.json in --out. --quick caps each row's epochs (under 15 minutes on"
          + " 2 cores). The survey (Rendle) reports no experiments; its methods are compared in BENCHMARKS.md."
    })
final class ReproduceCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Option(
      names = "--quick",
      description = "Cap every row's epochs (a few each): the whole table in minutes.")
  boolean quick;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write (created if absent).")
  Path out;

  @Option(
      names = "--data-root",
      defaultValue = "../shared/data",
      paramLabel = "DIR",
      description = "Where ml-1m-ncf, ml-1m and gowalla are (default: ${DEFAULT-VALUE}).")
  Path dataRoot;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "ID",
      description =
          "Run only these rows (ids or id prefixes, e.g. t1,onebp-ml); the rest are listed as not run.")
  List<String> only;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Training and scoring threads (default: all processors).")
  Integer threads;

  @Option(names = "--json", description = "Print the results as one JSON object.")
  boolean json;

  /** What one row gave. */
  record Result(
      PaperRows.Row row, Map<String, Double> ours, int epochsRun, double seconds, String status) {}

  @Override
  public Integer call() throws Exception {
    int t =
        threads == null
            ? Runtime.getRuntime().availableProcessors()
            : Limits.threads(threads, "--threads");
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw CliException.usage("--out " + out + " is a file, not a directory");
    }
    List<PaperRows.Row> rows = new ArrayList<>();
    for (PaperRows.Row r : PaperRows.ROWS) {
      if (only == null || only.stream().anyMatch(o -> r.id().startsWith(o.trim()))) {
        rows.add(r);
      }
    }
    if (rows.isEmpty()) {
      throw CliException.usage(
          "--only "
              + String.join(",", only)
              + " matches no row; rows: "
              + String.join(", ", PaperRows.ROWS.stream().map(PaperRows.Row::id).toList()));
    }
    for (PaperRows.Row r : rows) {
      if (!Files.isDirectory(dataRoot.resolve(r.data()))) {
        throw CliException.noInput(
            "reproduce needs "
                + dataRoot.resolve(r.data())
                + " (row "
                + r.id()
                + "); give --data-root");
      }
    }
    Files.createDirectories(out);
    Path models = Files.createDirectories(out.resolve("models"));
    long started = System.nanoTime();
    boolean terminal = !json && main.errTerminal();
    ProgressBar bar =
        terminal
            ? new ProgressBarBuilder()
                .setTaskName("rows")
                .setInitialMax(rows.size())
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(main.errStream()))
                .build()
            : null;
    Map<String, double[]> trained =
        new LinkedHashMap<>(); // model key → {epochs run, seconds}, or absent if it failed
    Map<String, String> trainErrors = new LinkedHashMap<>();
    List<Result> results = new ArrayList<>();
    try {
      for (PaperRows.Row r : rows) {
        if (bar != null) {
          bar.setExtraMessage(" " + r.id());
        }
        long t0 = System.nanoTime();
        Path model = models.resolve(r.model() + ".trm");
        if (!trained.containsKey(r.model()) && !trainErrors.containsKey(r.model())) {
          List<String> args =
              new ArrayList<>(
                  List.of(
                      "train",
                      "--data",
                      dataRoot.resolve(r.data()).toString(),
                      "--protocol",
                      r.protocol(),
                      "--validation",
                      "--seed",
                      "1",
                      "--threads",
                      Integer.toString(t),
                      "--epochs",
                      Integer.toString(quick ? Math.min(r.epochs(), r.quickEpochs()) : r.epochs()),
                      "--model",
                      model.toString(),
                      "--json"));
          args.addAll(r.train());
          String[] outErr = new String[2];
          int code = runInProcess(args, outErr);
          if (code != ExitCodes.OK) {
            trainErrors.put(r.model(), "train failed (exit " + code + "): " + lastLine(outErr[1]));
          } else {
            JsonNode doc = JSON.readTree(outErr[0]);
            trained.put(
                r.model(),
                new double[] {
                  doc.get("summary").get("epochsRun").asInt(), (System.nanoTime() - t0) / 1e9
                });
          }
        }
        if (trainErrors.containsKey(r.model())) {
          results.add(
              new Result(
                  r, Map.of(), 0, (System.nanoTime() - t0) / 1e9, trainErrors.get(r.model())));
        } else {
          List<String> args =
              new ArrayList<>(
                  List.of(
                      "evaluate",
                      "--model",
                      model.toString(),
                      "--data",
                      dataRoot.resolve(r.data()).toString(),
                      "--threads",
                      Integer.toString(t),
                      "--json"));
          args.addAll(r.evalArgs());
          String[] outErr = new String[2];
          int code = runInProcess(args, outErr);
          double seconds = (System.nanoTime() - t0) / 1e9;
          if (code != ExitCodes.OK) {
            results.add(
                new Result(
                    r,
                    Map.of(),
                    0,
                    seconds,
                    "evaluate failed (exit " + code + "): " + lastLine(outErr[1])));
          } else {
            JsonNode metrics = JSON.readTree(outErr[0]).get("metrics");
            Map<String, Double> ours = new LinkedHashMap<>();
            for (String k : r.published().keySet()) {
              if (metrics.has(k)) {
                ours.put(k, metrics.get(k).asDouble());
              }
            }
            results.add(new Result(r, ours, (int) trained.get(r.model())[0], seconds, "ok"));
          }
        }
        if (bar != null) {
          bar.step();
        }
      }
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    double total = (System.nanoTime() - started) / 1e9;
    String md = markdown(results, total);
    Files.writeString(out.resolve("reproduce.md"), md, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("index.html"), html(results, total), StandardCharsets.UTF_8);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "reproduce");
    doc.put("quick", quick);
    doc.put("seconds", total);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Result r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.row().id());
      m.put("source", r.row().source());
      m.put("method", r.row().method());
      m.put("status", r.status());
      m.put("ours", r.ours());
      m.put("published", r.row().published());
      m.put("epochsRun", r.epochsRun());
      m.put("seconds", r.seconds());
      list.add(m);
    }
    doc.put("rows", list);
    try (PrintWriter w =
        new PrintWriter(
            Files.newBufferedWriter(out.resolve("results.json"), StandardCharsets.UTF_8))) {
      Json.print(w, doc);
    }
    PrintWriter w = spec.commandLine().getOut();
    long failed = results.stream().filter(r -> !r.status().equals("ok")).count();
    if (json) {
      Json.print(w, doc);
    } else {
      w.print(md);
      w.printf(
          Locale.ROOT,
          "%nwrote %s, %s and %s%n",
          out.resolve("reproduce.md"),
          out.resolve("index.html"),
          out.resolve("results.json"));
    }
    w.flush();
    if (failed > 0) {
      throw CliException.data(
          failed + " of " + results.size() + " rows failed; see " + out.resolve("reproduce.md"));
    }
    return ExitCodes.OK;
  }

  private static int runInProcess(List<String> args, String[] outErr) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      code = Main.run(args.toArray(String[]::new), po, pe, false);
    }
    outErr[0] = o.toString(StandardCharsets.UTF_8);
    outErr[1] = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  private static String lastLine(String s) {
    String x = s.strip();
    return x.isEmpty() ? "no message" : x.lines().reduce((a, b) -> b).orElse(x);
  }

  private static String value(String metric, double v) {
    if (metric.startsWith("distinct")) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static String difference(String metric, Double ours, double published) {
    if (ours == null) {
      return "";
    }
    double d = ours - published;
    String rel =
        published == 0 ? "" : String.format(Locale.ROOT, " (%+.1f%%)", 100 * d / published);
    return (metric.startsWith("distinct")
            ? String.format(Locale.ROOT, "%+,.0f", d)
            : String.format(Locale.ROOT, "%+.4f", d))
        + rel;
  }

  private String markdown(List<Result> results, double total) {
    StringBuilder s = new StringBuilder();
    s.append("# Reproducing the papers' tables")
        .append(quick ? " (--quick: epochs capped)" : "")
        .append("\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "%d rows in %.0f s. Each row: train --validation (early stopping on a validation"
                + " part carved from the training part, best epoch kept), then evaluate on the protocol's test part.%n%n",
            results.size(),
            total));
    s.append(
        "| source | method | data / protocol | metric | ours | published | difference | epochs | seconds | note |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      boolean first = true;
      for (Map.Entry<String, Double> e : r.row().published().entrySet()) {
        Double ours = r.ours().get(e.getKey());
        s.append("| ")
            .append(first ? r.row().source() : "")
            .append(" | ")
            .append(first ? r.row().method() : "")
            .append(" | ")
            .append(first ? r.row().data() + " / " + protocolOf(r.row()) : "")
            .append(" | ")
            .append(e.getKey())
            .append(" | ")
            .append(
                ours == null
                    ? (r.status().equals("ok") ? "n/a" : r.status())
                    : value(e.getKey(), ours))
            .append(" | ")
            .append(value(e.getKey(), e.getValue()))
            .append(" | ")
            .append(difference(e.getKey(), ours, e.getValue()))
            .append(" | ")
            .append(first ? Integer.toString(r.epochsRun()) : "")
            .append(" | ")
            .append(first ? String.format(Locale.ROOT, "%.0f", r.seconds()) : "")
            .append(" | ")
            .append(first ? r.row().note() : "")
            .append(" |\n");
        first = false;
      }
    }
    return s.toString();
  }

  private static String protocolOf(PaperRows.Row r) {
    int p = r.evalArgs().indexOf("--protocol");
    String protocol = p >= 0 ? r.evalArgs().get(p + 1) : r.protocol();
    int a = r.evalArgs().indexOf("--aggregate");
    return protocol + (a >= 0 ? " (" + r.evalArgs().get(a + 1) + ")" : "");
  }

  private String html(List<Result> results, double total) {
    StringBuilder h = new StringBuilder();
    h.append(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>TotalRecall: the papers' tables"
            + "</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px}table{border-collapse:"
            + "collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;font-variant-numeric:tabular-nums}"
            + "th{background:#f3f3f3}td.k{text-align:left}.neg{color:#b00}.pos{color:#070}</style>\n</head>\n<body>\n");
    h.append("<h1>Reproducing the papers' tables")
        .append(quick ? " (--quick)" : "")
        .append("</h1>\n<p>")
        .append(results.size())
        .append(" rows in ")
        .append(String.format(Locale.ROOT, "%.0f", total))
        .append(
            " s. Each row trains with early stopping on a validation part carved from the training part, then is"
                + " evaluated once on the protocol's test part.</p>\n<table>\n<tr><th>source</th><th>method</th><th>data /"
                + " protocol</th><th>metric</th><th>ours</th><th>published</th><th>difference</th><th>epochs</th>"
                + "<th>seconds</th><th>note</th></tr>\n");
    for (Result r : results) {
      for (Map.Entry<String, Double> e : r.row().published().entrySet()) {
        Double ours = r.ours().get(e.getKey());
        String cls = ours == null ? "" : ours >= e.getValue() ? " class=\"pos\"" : " class=\"neg\"";
        h.append("<tr><td class=\"k\">")
            .append(ReportWriter.esc(r.row().source()))
            .append("</td><td class=\"k\">")
            .append(ReportWriter.esc(r.row().method()))
            .append("</td><td class=\"k\">")
            .append(ReportWriter.esc(r.row().data() + " / " + protocolOf(r.row())))
            .append("</td><td class=\"k\">")
            .append(e.getKey())
            .append("</td><td>")
            .append(
                ours == null
                    ? ReportWriter.esc(r.status().equals("ok") ? "n/a" : r.status())
                    : value(e.getKey(), ours))
            .append("</td><td>")
            .append(value(e.getKey(), e.getValue()))
            .append("</td><td")
            .append(cls)
            .append(">")
            .append(ReportWriter.esc(difference(e.getKey(), ours, e.getValue())))
            .append("</td><td>")
            .append(r.epochsRun())
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%.0f", r.seconds()))
            .append("</td><td class=\"k\">")
            .append(ReportWriter.esc(r.row().note()))
            .append("</td></tr>\n");
      }
    }
    h.append("</table>\n</body>\n</html>\n");
    return h.toString();
  }
}
