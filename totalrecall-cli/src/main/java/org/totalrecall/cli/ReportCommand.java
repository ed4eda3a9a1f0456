package org.totalrecall.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.totalrecall.cli.report.CandidateStats;
import org.totalrecall.cli.report.ReportModel;
import org.totalrecall.cli.report.ReportWriter;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.Interactions;
import org.totalrecall.eval.EvalOptions;
import org.totalrecall.eval.EvaluationResult;
import org.totalrecall.eval.Evaluator;
import org.totalrecall.eval.LeakageCheck;
import org.totalrecall.eval.ProtocolOptions;
import org.totalrecall.eval.ProtocolSplit;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Recommender;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code totalrecall report}: an HTML page with charts of one model, or of several side by side
 * ({@link ReportWriter}): the training curves recorded in the model file, the metrics of both
 * directions on the protocol's held-out part, and the popularity and diversity of the candidates.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes --out DIR/index.html (self-contained) with PNG and SVG charts beside it: loss and validation metrics"
          + " against records consumed (log-scale x), the metrics of both directions on the protocol's held-out part"
          + " (u2i: users rank items; i2u: items rank users, on the same pairs), the popularity and diversity of every"
          + " user's top-k items and every item's top-k users, and the configuration and data counts.",
      "--compare M1 M2 ... puts several models on one page: curves overlaid, tables side by side."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand Main main;

  static final class Models {
    @Option(names = "--model", paramLabel = "FILE", description = "Model file written by 'train'.")
    Path model;

    @Option(
        names = "--compare",
        arity = "2..*",
        paramLabel = "FILE",
        description = "Several model files, on one page.")
    List<Path> compare;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Models models;

  @Mixin DataOptions data;

  @Option(
      names = "--protocol",
      paramLabel = "P",
      description = "Protocol to evaluate on (default: the one each model was trained for).")
  String protocol;

  @Option(
      names = "--k",
      defaultValue = "20",
      paramLabel = "K",
      description =
          "Length of the top lists of the candidate statistics (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write (created if absent).")
  Path out;

  @Option(
      names = "--title",
      paramLabel = "TEXT",
      description = "The page's heading (default: the model names).")
  String title;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Scoring threads (default: all processors).")
  Integer threads;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (k <= 0) {
      throw CliException.usage("--k must be > 0, got " + k);
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw CliException.usage("--out " + out + " is a file, not a directory");
    }
    int t =
        threads == null
            ? Runtime.getRuntime().availableProcessors()
            : Limits.threads(threads, "--threads");
    List<Path> files = models.model != null ? List.of(models.model) : models.compare;
    long started = System.nanoTime();
    List<FactorModel> loaded = new ArrayList<>();
    for (Path f : files) {
      loaded.add(ModelFiles.load(f));
    }
    Dataset dataset = data.load();
    List<ReportModel> report = new ArrayList<>();
    for (int m = 0; m < files.size(); m++) {
      FactorModel model = loaded.get(m);
      Path file = files.get(m);
      if (!model.userIds().ids().equals(dataset.users().ids())
          || !model.itemIds().ids().equals(dataset.items().ids())) {
        throw CliException.data(
            file
                + ": the model's ids do not match "
                + data.data
                + " (the model has "
                + model.numUsers()
                + " users and "
                + model.numItems()
                + " items, the data "
                + dataset.numUsers()
                + " and "
                + dataset.numItems()
                + ")");
      }
      Map<String, Object> meta = model.metadata();
      ProtocolChoice choice =
          protocol != null
              ? ProtocolChoice.parse(protocol, "--protocol")
              : meta.get(LeakageCheck.PROTOCOL_KEY) instanceof String s
                  ? ProtocolChoice.parse(s, "the model's recorded protocol")
                  : ProtocolChoice.parse(ProtocolChoice.NONE, "protocol");
      ProtocolSplit split = null;
      if (!choice.isNone()) {
        long seed =
            meta.get(LeakageCheck.SPLIT_SEED_KEY) instanceof Number n
                ? n.longValue()
                : ProtocolOptions.DEFAULT_SEED;
        split =
            Splits.split(
                choice.protocol(), dataset, EvaluateCommand.recordedOptions(meta).withSeed(seed));
        LeakageCheck.check(model, split);
      }
      report.add(
          build(
              file.getFileName().toString(),
              model,
              split,
              choice.cliName(),
              k,
              t,
              split == null ? Splits.allInteractions(dataset) : split.train()));
    }
    String heading =
        title != null
            ? title
            : "TotalRecall report: "
                + String.join(", ", report.stream().map(ReportModel::label).toList());
    List<Path> written = ReportWriter.write(report, out, heading);
    double seconds = (System.nanoTime() - started) / 1e9;
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("command", "report");
      doc.put("models", files.stream().map(Path::toString).toList());
      doc.put("out", out.toString());
      doc.put("files", written.stream().map(p -> p.getFileName().toString()).toList());
      doc.put("seconds", seconds);
      Json.print(w, doc);
    } else {
      w.printf(
          Locale.ROOT,
          "report of %d model(s) written to %s (%d files, %.1f s)%n",
          report.size(),
          out.resolve("index.html"),
          written.size(),
          seconds);
    }
    w.flush();
    return ExitCodes.OK;
  }

  /**
   * The report's view of one model: both directions evaluated on {@code split} (none without a
   * split; the reverse direction left out for pums-group) and the candidate statistics of every
   * user's and every item's top-k, training interactions ({@code train}) excluded and counted.
   */
  static ReportModel build(
      String label,
      FactorModel model,
      ProtocolSplit split,
      String protocol,
      int k,
      int threads,
      Interactions train) {
    EvaluationResult forward = null;
    EvaluationResult reverse = null;
    if (split != null) {
      EvalOptions options = EvalOptions.defaults().withThreads(threads);
      forward = Evaluator.evaluate(model, split, options);
      if (split.protocol() != org.totalrecall.eval.Protocol.PUMS_GROUP) {
        reverse = Evaluator.evaluate(model, split.reversed(), options);
      }
    }
    Recommender rec = new Recommender(model, threads);
    CandidateStats items =
        CandidateStats.of(
            "u2i", rec.itemRetriever(), model.retrievalUsers(), train, train.colCounts(), k);
    CandidateStats users =
        CandidateStats.of(
            "i2u",
            rec.userRetriever(),
            model.retrievalItems(),
            train.transpose(),
            train.rowCounts(),
            k);
    return new ReportModel(label, model.metadata(), protocol, forward, reverse, items, users);
  }
}
