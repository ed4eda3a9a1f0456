package org.totalrecall.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.totalrecall.data.Dataset;
import org.totalrecall.eval.EvalOptions;
import org.totalrecall.eval.EvaluationResult;
import org.totalrecall.eval.Evaluator;
import org.totalrecall.eval.LeakageCheck;
import org.totalrecall.eval.ProtocolOptions;
import org.totalrecall.eval.ProtocolSplit;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Aggregation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code totalrecall evaluate}: a model's metrics under a protocol of PROTOCOLS.md. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates a model under a protocol (PROTOCOLS.md).",
      "Rebuilds the protocol's split of --data with the split seed recorded in the model, refuses "
          + "(exit 65) a model whose training data is not exactly the split's training part (test "
          + "leakage), and reports the protocol's metrics."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "Model file written by 'train'.")
  Path model;

  @Mixin DataOptions data;

  @Option(
      names = "--protocol",
      paramLabel = "P",
      description =
          "ncf, full, loo, random-split, pums or pums-group (default: the protocol the model was trained for).")
  String protocol;

  @Option(
      names = "--split-seed",
      paramLabel = "SEED",
      description =
          "Split seed of a self-splitting protocol (default: the seed recorded in the model).")
  Long splitSeed;

  @Option(
      names = "--full",
      description =
          "Rank against every item not in the user's training data, even when the "
              + "protocol has sampled candidates (ncf's full-ranking variant).")
  boolean full;

  @Option(
      names = "--aggregate",
      paramLabel = "AGG",
      defaultValue = "mean",
      description =
          "pums-group: how a user's exp(score) over a group combine: mean, max or sum (default: ${DEFAULT-VALUE}).")
  String aggregate;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Scoring threads (default: all processors).")
  Integer threads;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(
      names = "--validation",
      description =
          "Evaluate on the validation hold-out the model was trained without (train --validation), "
              + "every validation user, instead of the test part: for choosing settings without "
              + "looking at the test part.")
  boolean validation;

  @Mixin IndexOptions index;

  /**
   * The protocol options the model's split was made with (fractions, negatives; recorded by train
   * under "split" → "protocolOptions"), or the defaults for a model that records none.
   */
  static ProtocolOptions recordedOptions(Map<String, Object> meta) {
    if (meta.get("split") instanceof Map<?, ?> split
        && split.get("protocolOptions") instanceof Map<?, ?> recorded) {
      Map<String, Object> options = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : recorded.entrySet()) {
        options.put(String.valueOf(e.getKey()), e.getValue());
      }
      try {
        return ProtocolOptions.fromMap(options);
      } catch (IllegalArgumentException e) {
        throw CliException.data(
            "the model's recorded protocol options are invalid: " + e.getMessage());
      }
    }
    return ProtocolOptions.defaults();
  }

  @Override
  public Integer call() throws Exception {
    index.validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Aggregation agg =
        new EnumConverter<>(Aggregation.class).convertOrUsage(aggregate, "--aggregate");
    int t =
        threads == null
            ? Runtime.getRuntime().availableProcessors()
            : Limits.threads(threads, "--threads");
    long started = System.nanoTime();
    FactorModel m = ModelFiles.load(model);
    Map<String, Object> meta = m.metadata();
    Object trainedProtocol = meta.get(LeakageCheck.PROTOCOL_KEY);
    ProtocolChoice choice;
    if (protocol != null) {
      choice = ProtocolChoice.parse(protocol, "--protocol");
      if (choice.isNone()) {
        throw CliException.usage("--protocol none has no test part to evaluate on");
      }
    } else if (trainedProtocol instanceof String s && !s.equals(ProtocolChoice.NONE)) {
      choice = ProtocolChoice.parse(s, "the model's recorded protocol");
    } else {
      throw CliException.data(
          model
              + " was trained on all the data (protocol "
              + trainedProtocol
              + "): there is no held-out part to evaluate it on; train with a protocol, e.g. --protocol random-split");
    }
    long seed =
        splitSeed != null
            ? splitSeed
            : meta.get(LeakageCheck.SPLIT_SEED_KEY) instanceof Number n
                ? n.longValue()
                : ProtocolOptions.DEFAULT_SEED;
    ProtocolOptions protocolOptions = recordedOptions(meta).withSeed(seed);

    Dataset dataset = data.load();
    if (!json && main.errTerminal()) {
      err.println(
          "loaded "
              + data.data
              + " ("
              + EnumConverter.spell(dataset.format())
              + "): "
              + dataset.report().summaryLine());
    }
    ProtocolSplit split = Splits.split(choice.protocol(), dataset, protocolOptions);
    if (!m.userIds().ids().equals(dataset.users().ids())
        || !m.itemIds().ids().equals(dataset.items().ids())) {
      throw CliException.data(
          "the model's ids do not match "
              + data.data
              + ": the model has "
              + m.numUsers()
              + " users and "
              + m.numItems()
              + " items, the data "
              + dataset.numUsers()
              + " and "
              + dataset.numItems()
              + (meta.get("data") == null ? "" : "; the model was trained on " + meta.get("data")));
    }
    LeakageCheck.check(m, split);
    ProtocolSplit evaluated = split;
    if (validation) {
      Object kind = meta.get("validation");
      if (!"holdout".equals(kind) && !"protocol".equals(kind)) {
        throw CliException.data(
            model
                + " was trained without --validation (its metadata says validation "
                + kind
                + "): its training data holds every interaction of the training part, so it has no"
                + " validation part to evaluate on");
      }
      try {
        evaluated =
            Splits.validation(split, choice.protocol(), split.train(), dataset, seed).validation();
        // the stored seen interactions are the whole training part; the tables saw only the fit
        m = m.withSeen(evaluated.train());
      } catch (IllegalArgumentException e) {
        throw CliException.data(e.getMessage());
      }
    }
    EvalOptions options =
        EvalOptions.defaults()
            .withThreads(t)
            .withVariant(full ? EvalOptions.Variant.FULL : EvalOptions.Variant.AUTO)
            .withAggregation(agg);
    EvaluationResult result;
    String retrieval = "exact";
    try {
      if (index.useIndex()) {
        org.totalrecall.retrieval.Recommender rec = index.recommender(m, model, t);
        org.totalrecall.retrieval.Retriever r =
            evaluated.direction() == org.totalrecall.eval.Direction.U2I
                ? rec.itemRetriever()
                : rec.userRetriever();
        retrieval = r.describe();
        result = Evaluator.evaluate(m, evaluated, options.withVariant(EvalOptions.Variant.FULL), r);
      } else {
        result = Evaluator.evaluate(m, evaluated, options);
      }
    } catch (IllegalArgumentException e) {
      throw CliException.data(e.getMessage());
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("command", "evaluate");
      doc.put("model", model.toString());
      doc.put("data", data.data.toString());
      doc.put("format", EnumConverter.spell(dataset.format()));
      doc.put("objective", meta.get("objective"));
      doc.put("dim", m.dim());
      doc.put("scorer", EnumConverter.spell(m.scorer().kind()));
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("users", dataset.numUsers());
      counts.put("items", dataset.numItems());
      counts.put("trainInteractions", evaluated.train().size());
      counts.put(
          validation ? "validationInteractions" : "testInteractions", evaluated.test().size());
      doc.put("counts", counts);
      doc.putAll(result.toMap());
      doc.put("retrieval", retrieval);
      doc.put("seconds", seconds);
      doc.put("loadReport", dataset.report().toMap());
      Json.print(out, doc);
    } else {
      out.println(
          "protocol "
              + result.protocol()
              + (validation ? ", validation part" : "")
              + " ("
              + result.direction()
              + ", "
              + result.variant()
              + " ranking"
              + (choice.protocol().selfSplitting() ? ", split seed " + seed : "")
              + "), model "
              + model
              + ", data "
              + data.data);
      out.println(
          String.format(
              Locale.ROOT,
              "%,d queries (%,d skipped), %.1f candidates per query on average, %.1f s, %s",
              result.queries(),
              result.skippedQueries(),
              result.meanCandidates(),
              seconds,
              retrieval));
      for (Map.Entry<String, Double> e : result.metrics().entrySet()) {
        out.println(
            String.format(Locale.ROOT, "  %-24s %s", e.getKey(), Format.number(e.getValue())));
      }
      out.flush();
    }
    return ExitCodes.OK;
  }
}
