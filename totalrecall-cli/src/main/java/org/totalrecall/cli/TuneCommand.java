package org.totalrecall.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.totalrecall.cli.report.TuneReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code totalrecall tune}: hyper-parameter search by random search with successive halving (one
 * Hyperband bracket at a time, Li et al. 2018): a bracket draws η^(R−1) configurations ({@link
 * TuneSpace}; the very first is the defaults), trains each for maxEpochs/η^(R−1) epochs, keeps the
 * best 1/η by the validation metric and trains those η times longer, up to maxEpochs; brackets
 * follow one another until the budget (a number of configurations, or a duration) is spent. Every
 * trial is {@code train --validation}: its score is the best validation figure of a hold-out carved
 * from the protocol's training part (or the protocol's own validation part), so the test part is
 * never evaluated; early stopping and keep-best apply as in {@code train}. Trials run in parallel
 * within the thread budget.
 *
 * <p>Writes into {@code --out}: {@code trials.csv} (every trial: its flags, epochs, the validation
 * metrics, time, status), {@code best.opts} (the best configuration as {@code train} flags, for
 * {@code train @best.opts --data ... --model ...}) and {@code index.html} with the results table
 * and a chart.
 */
@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description = {
      "Hyper-parameter search on a validation split carved from the training part (never the test part): random"
          + " search with successive halving over the method's parameters (lr, tau, the log-q weight alpha, L2,"
          + " negatives, dim, ...), trials in parallel. Writes trials.csv, best.opts (for 'train @best.opts') and"
          + " index.html into --out.",
    })
final class TuneCommand implements java.util.concurrent.Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Mixin DataOptions data;

  @Option(
      names = "--protocol",
      paramLabel = "P",
      description = "Protocol whose training part is searched on (default: train's).")
  String protocol;

  @Option(
      names = "--objective",
      defaultValue = "bi-infonce",
      paramLabel = "OBJ",
      description = "The objective to tune (default: ${DEFAULT-VALUE}).")
  String objective;

  @Option(
      names = "--sampler",
      paramLabel = "SAMPLER",
      description = "The sampler (default: the objective's own).")
  String sampler;

  @Option(
      names = "--budget",
      required = true,
      paramLabel = "TRIALS|DURATION",
      description =
          "Configurations to draw (e.g. 27), or wall-clock time (e.g. 2h, 90m, 600s): no trial starts after it.")
  String budget;

  @Option(
      names = "--metric",
      paramLabel = "M",
      description = "Validation metric to maximise (default: ndcg@10 for ncf, ndcg@20 otherwise).")
  String metric;

  @Option(
      names = "--max-epochs",
      defaultValue = "30",
      paramLabel = "N",
      description = "Epochs of the longest trials (default: ${DEFAULT-VALUE}).")
  int maxEpochs;

  @Option(
      names = "--eta",
      defaultValue = "3",
      paramLabel = "ETA",
      description = "Halving rate (default: ${DEFAULT-VALUE}).")
  int eta;

  @Option(
      names = "--rungs",
      defaultValue = "3",
      paramLabel = "R",
      description =
          "Rungs per bracket: eta^(R-1) configurations start (default: ${DEFAULT-VALUE}).")
  int rungs;

  @Option(
      names = "--fix",
      split = ",",
      paramLabel = "FLAG=VALUE",
      description =
          "Train flags held fixed, without dashes (e.g. dim=64,batch-size=512); they are not searched.")
  List<String> fix;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Threads for all trials together (default: all processors).")
  Integer threads;

  @Option(
      names = "--parallel",
      paramLabel = "P",
      description = "Trials at once; each gets threads/P threads (default: as many as threads).")
  Integer parallel;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "SEED",
      description = "Seed of the search (the trials' training seed is --fix seed=..., default 1).")
  long seed;

  @Option(
      names = "--out",
      defaultValue = "tune-out",
      paramLabel = "DIR",
      description = "Directory to write (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  /** One trial: a configuration trained for some epochs. */
  static final class Trial {
    final int id;
    final int bracket;
    final int rung;
    final int config;
    final int epochs;
    final Map<String, String> flags;
    double score = Double.NEGATIVE_INFINITY;
    Map<String, Double> metrics = Map.of();
    int bestEpoch;
    double seconds;
    String status = "not run";

    Trial(int id, int bracket, int rung, int config, int epochs, Map<String, String> flags) {
      this.id = id;
      this.bracket = bracket;
      this.rung = rung;
      this.config = config;
      this.epochs = epochs;
      this.flags = flags;
    }
  }

  @Override
  public Integer call() throws Exception {
    int t =
        threads == null
            ? Runtime.getRuntime().availableProcessors()
            : Limits.threads(threads, "--threads");
    int p = parallel == null ? t : parallel;
    if (p <= 0 || p > t) {
      throw CliException.usage("--parallel must be in 1..threads (" + t + "), got " + p);
    }
    if (eta < 2 || rungs < 1 || maxEpochs < 1) {
      throw CliException.usage("--eta must be >= 2, --rungs >= 1 and --max-epochs >= 1");
    }
    long maxConfigs;
    long deadline;
    String b = budget.trim().toLowerCase(Locale.ROOT);
    if (b.matches("\\d+")) {
      maxConfigs = Long.parseLong(b);
      deadline = Long.MAX_VALUE;
      if (maxConfigs <= 0) {
        throw CliException.usage("--budget must be > 0 configurations, got " + budget);
      }
    } else if (b.matches("\\d+(\\.\\d+)?(s|m|h)")) {
      double v = Double.parseDouble(b.substring(0, b.length() - 1));
      double unit =
          switch (b.charAt(b.length() - 1)) {
            case 's' -> 1;
            case 'm' -> 60;
            default -> 3600;
          };
      maxConfigs = Long.MAX_VALUE;
      deadline = System.nanoTime() + (long) (v * unit * 1e9);
    } else {
      throw CliException.usage(
          "--budget must be a number of configurations (27) or a duration (2h, 90m, 600s), got '"
              + budget
              + "'");
    }
    Map<String, String> pinned = new LinkedHashMap<>();
    if (fix != null) {
      for (String f : fix) {
        int eq = f.indexOf('=');
        if (eq <= 0 || eq == f.length() - 1) {
          throw CliException.usage("--fix takes FLAG=VALUE pairs, got '" + f + "'");
        }
        pinned.put(f.substring(0, eq).replaceFirst("^--", ""), f.substring(eq + 1));
      }
    }
    for (String reserved :
        List.of(
            "epochs",
            "model",
            "validation",
            "data",
            "threads",
            "json",
            "objective",
            "sampler",
            "protocol",
            "report",
            "convergence-out",
            "resume",
            "checkpoint-every")) {
      if (pinned.containsKey(reserved)) {
        throw CliException.usage(
            "--fix "
                + reserved
                + " is set by tune itself"
                + (reserved.equals("epochs") ? " (see --max-epochs)" : ""));
      }
    }
    Map<String, TuneSpace.Dist> space;
    try {
      space = TuneSpace.forMethod(objective, sampler, pinned);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    if (!Files.exists(data.data)) {
      throw CliException.noInput("data not found: " + data.data);
    }
    String target =
        metric != null
            ? metric.toLowerCase(Locale.ROOT)
            : "ncf".equals(protocol)
                    || (protocol == null
                        && data.formatOrNull() == org.totalrecall.data.DataFormat.NCF)
                    || (protocol == null && Files.isDirectory(data.data) && isNcfDir(data.data))
                ? "ndcg@10"
                : "ndcg@20";
    if (!target.matches("(hr|recall|precision|f1|ndcg|map|mrr)@(10|20)|auc")) {
      throw CliException.usage(
          "--metric must be one of hr, recall, precision, f1, ndcg, map, mrr at 10 or 20, or auc"
              + " (the validation cutoffs), got '"
              + metric
              + "'");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw CliException.usage("--out " + out + " is a file, not a directory");
    }
    Files.createDirectories(out);
    Path models = Files.createDirectories(out.resolve("trials"));

    long started = System.nanoTime();
    SplittableRandom rnd = new SplittableRandom(seed);
    int start = (int) Math.round(Math.pow(eta, rungs - 1));
    List<Trial> trials = new ArrayList<>();
    int[] ids = {0};
    int threadsPerTrial = Math.max(1, t / p);
    ExecutorService pool = Executors.newFixedThreadPool(p);
    boolean terminal = !json && main.errTerminal();
    ProgressBar bar =
        terminal
            ? new ProgressBarBuilder()
                .setTaskName("trials")
                .setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(main.errStream()))
                .build()
            : null;
    long configs = 0;
    int bracket = 0;
    String firstError = null;
    try {
      while (configs < maxConfigs && System.nanoTime() < deadline) {
        int n = (int) Math.min(start, maxConfigs - configs);
        List<Map<String, String>> drawn = new ArrayList<>();
        for (int c = 0; c < n; c++) {
          drawn.add(
              configs + c == 0
                  ? new LinkedHashMap<>()
                  : TuneSpace.draw(space, rnd)); // the first: the defaults
        }
        configs += n;
        List<Integer> alive = new ArrayList<>();
        for (int c = 0; c < n; c++) {
          alive.add(c);
        }
        for (int r = 0; r < rungs && !alive.isEmpty(); r++) {
          int epochs = (int) Math.max(1, Math.round(maxEpochs / Math.pow(eta, rungs - 1 - r)));
          List<Trial> rung = new ArrayList<>();
          for (int c : alive) {
            Map<String, String> flags = new LinkedHashMap<>(pinned);
            flags.putAll(drawn.get(c));
            rung.add(new Trial(++ids[0], bracket, r, (int) (configs - n + c), epochs, flags));
          }
          List<Future<?>> running = new ArrayList<>();
          for (Trial trial : rung) {
            synchronized (trials) {
              trials.add(trial);
            }
            running.add(
                pool.submit(
                    () -> {
                      if (System.nanoTime() >= deadline) {
                        trial.status = "budget spent";
                        return;
                      }
                      run(trial, models, threadsPerTrial, target);
                      if (bar != null) {
                        synchronized (bar) {
                          bar.step();
                          bar.setExtraMessage(
                              String.format(
                                  Locale.ROOT, " best %s %.4f", target, best(trials).score));
                        }
                      }
                    }));
          }
          for (Future<?> f : running) {
            f.get();
          }
          for (Trial trial : rung) {
            if (trial.status.startsWith("failed") && firstError == null) {
              firstError = trial.status;
            }
          }
          writeCsv(
              out.resolve("trials.csv"),
              trials,
              target); // after every rung, so a long search shows its progress
          List<Trial> ranked = new ArrayList<>(rung);
          ranked.removeIf(x -> !x.status.equals("ok"));
          ranked.sort(
              Comparator.comparingDouble((Trial x) -> -x.score).thenComparingInt(x -> x.id));
          int keep = Math.max(1, rung.size() / eta);
          alive = new ArrayList<>();
          for (int k = 0; k < Math.min(keep, ranked.size()); k++) {
            alive.add(ranked.get(k).config - (int) (configs - n));
          }
        }
        bracket++;
      }
    } finally {
      pool.shutdownNow();
      if (bar != null) {
        bar.close();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Trial best = best(trials);
    if (best == null || !best.status.equals("ok")) {
      throw CliException.data("no trial finished" + (firstError == null ? "" : ": " + firstError));
    }
    writeCsv(out.resolve("trials.csv"), trials, target);
    writeOptions(out.resolve("best.opts"), best, target, seconds, trials.size());
    List<String> names = new ArrayList<>(space.keySet());
    TuneReport.write(
        out.resolve("index.html"),
        out,
        "TotalRecall tune: " + objective + " on " + data.data,
        target,
        rows(trials),
        names,
        seconds);

    PrintWriter w = spec.commandLine().getOut();
    long done = trials.stream().filter(x -> x.status.equals("ok")).count();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("command", "tune");
      doc.put("data", data.data.toString());
      doc.put("objective", objective);
      doc.put("metric", target);
      doc.put("trials", trials.size());
      doc.put("trialsRun", done);
      doc.put("configurations", configs);
      doc.put("brackets", bracket);
      doc.put("seconds", seconds);
      doc.put(
          "best",
          Map.of(
              "flags",
              best.flags,
              "epochs",
              best.epochs,
              "score",
              best.score,
              "metrics",
              best.metrics));
      doc.put("out", out.toString());
      Json.print(w, doc);
    } else {
      w.printf(
          Locale.ROOT,
          "%d trials (%d configurations, %d brackets) in %.0f s; best validation %s %.4f with %s, %d"
              + " epochs%nwrote %s, %s and %s%n",
          done,
          configs,
          bracket,
          seconds,
          target,
          best.score,
          best.flags.isEmpty() ? "the defaults" : best.flags,
          best.epochs,
          out.resolve("best.opts"),
          out.resolve("trials.csv"),
          out.resolve("index.html"));
    }
    w.flush();
    return ExitCodes.OK;
  }

  private static boolean isNcfDir(Path dir) {
    try {
      return org.totalrecall.data.DataLoader.detect(dir) == org.totalrecall.data.DataFormat.NCF;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private static Trial best(List<Trial> trials) {
    Trial best = null;
    synchronized (trials) {
      for (Trial x : trials) {
        if (x.status.equals("ok") && (best == null || x.score > best.score)) {
          best = x;
        }
      }
    }
    return best;
  }

  /** The train command line of a trial. */
  List<String> trainArgs(Trial trial, Path model, int threadsPerTrial) {
    List<String> a = new ArrayList<>(List.of("train", "--data", data.data.toString()));
    if (data.format != null) {
      a.addAll(List.of("--format", data.format));
    }
    a.addAll(
        List.of(
            "--duplicates",
            data.duplicates,
            "--delimiter",
            data.delimiter,
            "--unknown-ids",
            data.unknownIds,
            "--header",
            data.header));
    if (data.columns != null) {
      a.addAll(List.of("--columns", String.join(",", data.columns)));
    }
    if (protocol != null) {
      a.addAll(List.of("--protocol", protocol));
    }
    a.addAll(List.of("--objective", objective));
    if (sampler != null) {
      a.addAll(List.of("--sampler", sampler));
    }
    a.addAll(
        List.of(
            "--validation",
            "--json",
            "--quiet",
            "--threads",
            Integer.toString(threadsPerTrial),
            "--epochs",
            Integer.toString(trial.epochs),
            "--model",
            model.toString()));
    if (!trial.flags.containsKey("seed")) {
      a.addAll(List.of("--seed", "1"));
    }
    for (Map.Entry<String, String> e : trial.flags.entrySet()) {
      a.addAll(List.of("--" + e.getKey(), e.getValue()));
    }
    return a;
  }

  private void run(Trial trial, Path models, int threadsPerTrial, String target) {
    Path model = models.resolve("trial-" + trial.id + ".trm");
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    int code;
    try (PrintStream o = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
      code = Main.run(trainArgs(trial, model, threadsPerTrial).toArray(String[]::new), o, e, false);
    }
    trial.seconds = (System.nanoTime() - t0) / 1e9;
    try {
      Files.deleteIfExists(model);
    } catch (IOException ignored) {
      // a trial's model is scratch; a leftover file does no harm
    }
    if (code != ExitCodes.OK) {
      String err = errBytes.toString(StandardCharsets.UTF_8).strip();
      trial.status =
          "failed (exit "
              + code
              + "): "
              + (err.isEmpty() ? "no message" : err.lines().reduce((x, y) -> y).orElse(""));
      return;
    }
    try {
      JsonNode doc = JSON.readTree(outBytes.toString(StandardCharsets.UTF_8));
      JsonNode best = doc.get("summary").get("bestMetrics");
      Map<String, Double> m = new LinkedHashMap<>();
      best.properties().forEach(f -> m.put(f.getKey(), f.getValue().asDouble()));
      trial.metrics = m;
      trial.bestEpoch = doc.get("summary").get("bestEpoch").asInt();
      Double s = m.get(target);
      if (s == null) {
        trial.status = "failed: the validation has no " + target;
        return;
      }
      trial.score = s;
      trial.status = "ok";
    } catch (IOException | RuntimeException ex) {
      trial.status = "failed: unreadable train output (" + ex.getMessage() + ")";
    }
  }

  private static List<TuneReport.Row> rows(List<Trial> trials) {
    List<TuneReport.Row> out = new ArrayList<>();
    for (Trial x : trials) {
      out.add(
          new TuneReport.Row(
              x.id,
              x.bracket,
              x.rung,
              x.config,
              x.epochs,
              x.flags,
              x.score,
              x.metrics,
              x.bestEpoch,
              x.seconds,
              x.status));
    }
    return out;
  }

  private static void writeCsv(Path file, List<Trial> trials, String target) throws IOException {
    List<String> flagNames = new ArrayList<>();
    List<String> metricNames = new ArrayList<>();
    for (Trial x : trials) {
      x.flags
          .keySet()
          .forEach(
              k -> {
                if (!flagNames.contains(k)) {
                  flagNames.add(k);
                }
              });
      x.metrics
          .keySet()
          .forEach(
              k -> {
                if (!metricNames.contains(k)) {
                  metricNames.add(k);
                }
              });
    }
    metricNames.sort(null);
    try (CsvWriter csv = CsvWriter.builder().build(file)) {
      List<String> header =
          new ArrayList<>(List.of("trial", "bracket", "rung", "config", "epochs"));
      flagNames.forEach(f -> header.add("--" + f));
      header.addAll(List.of("score(" + target + ")", "bestEpoch", "seconds", "status"));
      header.addAll(metricNames);
      csv.writeRecord(header);
      for (Trial x : trials) {
        List<String> row =
            new ArrayList<>(
                List.of(
                    Integer.toString(x.id),
                    Integer.toString(x.bracket),
                    Integer.toString(x.rung),
                    Integer.toString(x.config),
                    Integer.toString(x.epochs)));
        flagNames.forEach(f -> row.add(x.flags.getOrDefault(f, "")));
        row.add(x.status.equals("ok") ? Double.toString(x.score) : "");
        row.add(Integer.toString(x.bestEpoch));
        row.add(String.format(Locale.ROOT, "%.1f", x.seconds));
        row.add(x.status);
        metricNames.forEach(
            m -> row.add(x.metrics.containsKey(m) ? Double.toString(x.metrics.get(m)) : ""));
        csv.writeRecord(row);
      }
    }
  }

  private void writeOptions(Path file, Trial best, String target, double seconds, int trials)
      throws IOException {
    StringBuilder s = new StringBuilder();
    s.append("# totalrecall tune: the best of ")
        .append(trials)
        .append(" trials (")
        .append(Duration.ofSeconds((long) seconds))
        .append(") by validation ")
        .append(target)
        .append(" = ")
        .append(String.format(Locale.ROOT, "%.4f", best.score))
        .append(" (trial ")
        .append(best.id)
        .append(", best epoch ")
        .append(best.bestEpoch)
        .append(")\n");
    s.append("# searched on ")
        .append(data.data)
        .append(protocol == null ? "" : ", protocol " + protocol)
        .append(
            "; the validation part was carved from the training part, the test part was not evaluated\n");
    s.append("# use: totalrecall train @")
        .append(file.getFileName())
        .append(" --data ")
        .append(data.data)
        .append(" --model MODEL.trm\n");
    if (protocol != null) {
      s.append("--protocol ").append(protocol).append('\n');
    }
    s.append("--objective ").append(objective).append('\n');
    if (sampler != null) {
      s.append("--sampler ").append(sampler).append('\n');
    }
    s.append("--epochs ").append(best.epochs).append('\n');
    for (Map.Entry<String, String> e : best.flags.entrySet()) {
      s.append("--").append(e.getKey()).append(' ').append(e.getValue()).append('\n');
    }
    Files.writeString(file, s.toString(), StandardCharsets.UTF_8);
  }
}
