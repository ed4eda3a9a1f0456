package org.totalrecall.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.totalrecall.data.DataFingerprint;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.Interactions;
import org.totalrecall.eval.EvalOptions;
import org.totalrecall.eval.Evaluator;
import org.totalrecall.eval.LeakageCheck;
import org.totalrecall.eval.ProtocolOptions;
import org.totalrecall.eval.ProtocolSplit;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;
import org.totalrecall.train.LearningRateSchedule;
import org.totalrecall.train.ObjectiveSpec;
import org.totalrecall.train.OptimizerKind;
import org.totalrecall.train.Param;
import org.totalrecall.train.Params;
import org.totalrecall.train.SamplerSpec;
import org.totalrecall.train.SpecType;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.TrainResult;
import org.totalrecall.train.Trainer;
import org.totalrecall.train.TrainingDivergedException;
import org.totalrecall.train.TrainingSummary;
import org.totalrecall.train.UpdateSpec;
import org.totalrecall.train.Validator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code totalrecall train}: trains a model on the training part of a protocol's split and writes
 * it.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    defaultValueProvider = TrainCommand.Defaults.class,
    description = {
      "Trains a model on a protocol's training part; writes it.",
      "Trains user and item embeddings on the training part of --protocol's split of --data and writes "
          + "the model file. The model records the data, protocol, split seed and a fingerprint of its "
          + "training data, so that 'evaluate' rebuilds the same split and refuses leaked test data."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Mixin DataOptions data;

  @Option(
      names = "--protocol",
      paramLabel = "P",
      description =
          "Split to train on: ncf, full, loo, random-split, pums, pums-group, or none (all data, "
              + "nothing held out). Default: the layout's own split (ncf for NCF data, full for LightGCN), else none.")
  String protocol;

  @Option(
      names = "--split-seed",
      paramLabel = "SEED",
      description =
          "Seed of a self-splitting protocol's split (default: "
              + ProtocolOptions.DEFAULT_SEED
              + ").")
  Long splitSeed;

  @Option(
      names = "--objective",
      paramLabel = "OBJ",
      description = "The objective; the list is below (default: ${DEFAULT-VALUE}).")
  String objective;

  @Option(
      names = "--sampler",
      paramLabel = "SAMPLER",
      description =
          "The negative sampler; the list is below (default: the objective's own, e.g. in-batch for bi-infonce).")
  String sampler;

  @Option(
      names = "--update",
      paramLabel = "POLICY",
      description = "Update policy: which tables learn; the list is below (default: two-sided).")
  String update;

  @Option(
      names = "--dim",
      paramLabel = "D",
      description = "Embedding width (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Passes over the training pairs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch-size",
      paramLabel = "B",
      description = "Positive pairs per mini-batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--lr",
      paramLabel = "RATE",
      description = "Learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(
      names = "--lr-decay",
      paramLabel = "DECAY",
      description =
          "Learning-rate schedule: constant or linear (to 0 over all steps) (default: ${DEFAULT-VALUE}).")
  String lrDecay;

  @Option(
      names = {"--temperature", "--tau"},
      paramLabel = "TAU",
      description = "Temperature of the cosine scorer (default: ${DEFAULT-VALUE}).")
  float temperature;

  @Option(
      names = "--scorer",
      paramLabel = "S",
      description =
          "cosine, dot or gmf: u.i/(tau|u||i|), u.i, or h.(u*i) with a learned weight vector h (NCF's GMF; TotalRecall eq. 2) (default: ${DEFAULT-VALUE}; dot for ials).")
  String scorer;

  @Option(
      names = "--optimizer",
      paramLabel = "OPT",
      description = "adam, adagrad or sgd (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(
      names = "--l2",
      paramLabel = "LAMBDA",
      description = "L2 penalty on touched rows (default: ${DEFAULT-VALUE}).")
  float l2;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Worker threads; 1 is bitwise reproducible (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      description = "Seed of initialisation and shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--validation",
      description =
          "Hold out a validation set from the training part (the protocol's own, or one interaction "
              + "per user) and stop early on its ndcg@10, keeping the best epoch's tables.")
  boolean validation;

  @Option(
      names = "--patience",
      paramLabel = "N",
      description =
          "With --validation: stop after N validations without improvement; 0 = never (default: ${DEFAULT-VALUE}).")
  int patience;

  @Option(
      names = "--validate-every-records",
      paramLabel = "N",
      description =
          "With --validation: also validate every N records consumed within epochs (a finer convergence "
              + "log); 0 = once per epoch (default: 0).")
  long validateEveryRecords;

  @Option(
      names = "--convergence-out",
      paramLabel = "FILE",
      description =
          "With --validation: write the convergence log (records consumed, epoch, every validation metric) "
              + "as CSV to FILE.")
  Path convergenceOut;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description =
          "Also write the report page of the trained model into DIR (as 'report' does): curves, the metrics of "
              + "both directions on the protocol's held-out part, candidate popularity and diversity.")
  Path reportDir;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      description =
          "Write a checkpoint (MODEL.ckpt, replaced atomically) after every N epochs; 0 = none (default: 0).")
  int checkpointEvery;

  @Option(
      names = "--resume",
      paramLabel = "FILE",
      description =
          "Continue the run saved in checkpoint FILE (same data and flags; only --threads may differ); "
              + "with one thread the result equals the uninterrupted run.")
  Path resume;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "Output model file (replaced atomically).")
  Path model;

  @Option(names = "--json", description = "Print the training summary as one JSON object.")
  boolean json;

  @Option(names = "--quiet", description = "No progress output on stderr.")
  boolean quiet;

  /**
   * Shows TrainConfig.defaults() as the flags' defaults, so help and behaviour never drift apart.
   */
  static final class Defaults implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      if (!(arg instanceof OptionSpec o)) {
        return null;
      }
      TrainConfig d = TrainConfig.defaults();
      return switch (o.longestName()) {
        case "--objective" -> d.objective().name();
        case "--dim" -> Integer.toString(d.dim());
        case "--epochs" -> Integer.toString(d.epochs());
        case "--batch-size" -> Integer.toString(d.batchSize());
        case "--lr" -> Float.toString(d.learningRate());
        case "--lr-decay" -> EnumConverter.spell(d.learningRateDecay());
        case "--temperature" -> Float.toString(d.temperature());
        case "--scorer" -> d.scorer().name().toLowerCase(Locale.ROOT);
        case "--optimizer" -> d.optimizer().cliName();
        case "--l2" -> Float.toString(d.l2());
        case "--threads" -> Integer.toString(d.threads());
        case "--seed" -> Long.toString(d.seed());
        case "--patience" -> Integer.toString(d.patience());
        default -> null;
      };
    }
  }

  /**
   * Fails before any data is read or trained on if {@code --model} cannot be created (exit 73,
   * naming the model path, not the probe's temporary file).
   */
  private void checkWritable(Path target) {
    try {
      ModelFormat.checkWritable(target);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CliException(
          ExitCodes.CANT_CREATE,
          "cannot create --model "
              + model
              + ": "
              + (Files.isDirectory(target.getParent())
                  ? "no file can be created in "
                  : "directory ")
              + target.getParent()
              + (Files.isDirectory(target.getParent()) ? "" : " does not exist"),
          e);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new CliException(
          ExitCodes.CANT_CREATE,
          "cannot create --model " + model + ": permission denied in " + target.getParent(),
          e);
    } catch (java.nio.file.FileSystemException e) {
      throw new CliException(
          ExitCodes.CANT_CREATE,
          "cannot create --model "
              + model
              + ": "
              + (e.getReason() != null ? e.getReason() : e.getMessage()),
          e);
    } catch (java.io.IOException e) {
      throw new CliException(
          ExitCodes.CANT_CREATE, "cannot create --model " + model + ": " + e.getMessage(), e);
    }
  }

  /**
   * The convergence log as CSV: {@code records,epoch,<metric>...} with the metrics in name order,
   * one row per validation (TotalRecall Fig. 3 plots NDCG@10 against records consumed).
   */
  static void writeConvergence(TrainingSummary summary, Path file) throws java.io.IOException {
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    for (var p : summary.convergence()) {
      names.addAll(p.metrics().keySet());
    }
    StringBuilder csv = new StringBuilder("records,epoch");
    for (String n : names) {
      csv.append(',').append(n);
    }
    csv.append('\n');
    for (var p : summary.convergence()) {
      csv.append(p.recordsConsumed()).append(',').append(p.epoch());
      for (String n : names) {
        Double v = p.metrics().get(n);
        csv.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.6f", v));
      }
      csv.append('\n');
    }
    try {
      Files.writeString(file, csv.toString());
    } catch (java.io.IOException e) {
      throw new CliException(
          ExitCodes.CANT_CREATE,
          "cannot write --convergence-out " + file + ": " + e.getMessage(),
          e);
    }
  }

  /** The training configuration the flags describe; usage error naming the flag if invalid. */
  TrainConfig config() {
    Map<String, String> given = MethodOptions.given(spec.commandLine().getParseResult());
    java.util.Set<String> givenNames = java.util.Set.copyOf(given.keySet());
    ObjectiveSpec obj;
    SamplerSpec samp;
    UpdateSpec upd;
    try {
      SpecType<ObjectiveSpec> ot = SpecType.find(ObjectiveSpec.types(), objective, "--objective");
      obj = ot.parse(Params.of(MethodOptions.take(ot, given)), "--objective");
      String samplerName = sampler != null ? sampler : obj.defaultSampler();
      SpecType<SamplerSpec> st = SpecType.find(SamplerSpec.types(), samplerName, "--sampler");
      Map<String, String> samplerValues = new java.util.LinkedHashMap<>();
      if (sampler
          == null) { // the objective's own sampler with its values, unless the user gives them
        samplerValues.putAll(obj.defaultSamplerValues());
      }
      samplerValues.putAll(MethodOptions.take(st, given));
      samp = st.parse(Params.of(samplerValues), "--sampler");
      String updateName = update == null ? "two-sided" : update;
      SpecType<UpdateSpec> ut = SpecType.find(UpdateSpec.types(), updateName, "--update");
      for (Param p :
          ut.params()) { // a flag that two chosen parts declare (--beta) cannot say which it sets
        boolean samplerHasIt = st.params().stream().anyMatch(q -> q.name().equals(p.name()));
        if (samplerHasIt && givenNames.contains(p.name())) {
          throw new IllegalArgumentException(
              "--"
                  + p.name()
                  + " is a parameter of both --sampler "
                  + st.name()
                  + " and --update "
                  + ut.name()
                  + ", so it cannot say which it sets; leave both at their defaults"
                  + " or choose another sampler");
        }
      }
      upd = ut.parse(Params.of(MethodOptions.take(ut, given)), "--update");
      if (!given.isEmpty()) {
        String name = given.keySet().iterator().next();
        throw new IllegalArgumentException(
            "--"
                + name
                + " does not apply to --objective "
                + obj.name()
                + " with --sampler "
                + samp.name()
                + " (it is a parameter of "
                + MethodOptions.usedBy(name)
                + ")");
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    Scorer.Kind scorerKind =
        spec.commandLine().getParseResult().hasMatchedOption("--scorer")
            ? new EnumConverter<>(Scorer.Kind.class).convertOrUsage(scorer, "--scorer")
            : obj.preferredScorer();
    OptimizerKind opt =
        new EnumConverter<>(OptimizerKind.class).convertOrUsage(optimizer, "--optimizer");
    LearningRateSchedule.Decay decay =
        new EnumConverter<>(LearningRateSchedule.Decay.class).convertOrUsage(lrDecay, "--lr-decay");
    try {
      TrainConfig defaults = TrainConfig.defaults();
      // the model first: the method is checked against it (ccl needs cosine with τ 1, ials dot)
      return defaults
          .withModel(
              defaults.model().withDim(dim).withTemperature(temperature).withScorer(scorerKind))
          .withMethod(obj, samp)
          .withUpdate(upd)
          .withEpochs(epochs)
          .withBatchSize(batchSize)
          .withLearningRate(lr)
          .withLearningRateDecay(decay)
          .withOptimizer(opt)
          .withL2(l2)
          .withThreads(Limits.threads(threads, "--threads"))
          .withSeed(seed)
          .withPatience(validation ? patience : 0)
          .withEvalEveryRecords(validateEveryRecords)
          .withKeepBest(validation);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(Flags.rename(e.getMessage()));
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean human = !json && !quiet && main.errTerminal();
    TrainConfig config = config();
    if (model.toString().isEmpty()) {
      throw CliException.usage("--model: the file name is empty");
    }
    if (checkpointEvery < 0) {
      throw CliException.usage("--checkpoint-every must be >= 0, got " + checkpointEvery);
    }
    if (resume != null && !Files.isRegularFile(resume)) {
      throw CliException.noInput("--resume: no such checkpoint file: " + resume);
    }
    if ((convergenceOut != null || validateEveryRecords > 0) && !validation) {
      throw CliException.usage(
          (convergenceOut != null ? "--convergence-out" : "--validate-every-records")
              + " needs --validation (the convergence log is the validation's)");
    }
    if (reportDir != null && Files.exists(reportDir) && !Files.isDirectory(reportDir)) {
      throw CliException.usage("--report " + reportDir + " is a file, not a directory");
    }
    Path target = model.toAbsolutePath();
    if (Files.isDirectory(target)) {
      throw CliException.usage("--model " + model + " is a directory; give a file name");
    }
    checkWritable(target);

    Dataset dataset = data.load();
    if (human) {
      err.println(
          "loaded "
              + data.data
              + " ("
              + EnumConverter.spell(dataset.format())
              + "): "
              + dataset.report().summaryLine());
    }
    ProtocolChoice choice =
        protocol == null
            ? ProtocolChoice.defaultFor(dataset)
            : ProtocolChoice.parse(protocol, "--protocol");
    long seedOfSplit = splitSeed == null ? ProtocolOptions.DEFAULT_SEED : splitSeed;
    if (splitSeed != null
        && (choice.isNone() || !choice.protocol().selfSplitting())
        && !json
        && !quiet) {
      err.println(
          "totalrecall: note: --split-seed has no effect with protocol "
              + choice.cliName()
              + " (a fixed split)");
    }

    ProtocolSplit split =
        choice.isNone() ? null : Splits.split(choice.protocol(), dataset, seedOfSplit);
    Interactions trainPart = split == null ? Splits.allInteractions(dataset) : split.train();
    String fingerprint =
        split == null
            ? DataFingerprint.of(trainPart, dataset.users(), dataset.items())
            : split.trainFingerprint();

    Interactions fit = trainPart;
    ProtocolSplit validationSplit = null;
    String validationKind = "none";
    if (validation) {
      Splits.Validation v =
          Splits.validation(
              split, choice.isNone() ? null : choice.protocol(), trainPart, dataset, seedOfSplit);
      fit = v.fit();
      validationSplit = v.validation();
      validationKind = v.kind();
    }
    if (human) {
      err.println(
          "protocol "
              + choice.cliName()
              + (split != null && choice.protocol().selfSplitting()
                  ? " (split seed " + seedOfSplit + ")"
                  : "")
              + ": training on "
              + fit.size()
              + " interactions"
              + (validationSplit == null
                  ? ""
                  : ", validating on " + validationSplit.test().size()));
    }
    Validator validator = null;
    if (validationSplit != null) {
      ProtocolSplit vs = validationSplit;
      EvalOptions vopts =
          EvalOptions.defaults()
              .withCutoffs(List.of(10, 20))
              .withThreads(config.threads())
              .withMaxQueries(5000)
              .withPopularity(EvalOptions.PopularitySource.NONE);
      validator = m -> Evaluator.evaluate(m, vs, vopts).metrics();
    }
    ProgressReporter progress =
        new ProgressReporter(
            err,
            ProgressReporter.barWanted(main.errTerminal(), quiet, json) ? main.errStream() : null,
            human,
            config.epochs());

    try {
      Trainer.checkResources(fit.numUsers(), fit.numItems(), fit.size(), config);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(
          Flags.rename(e.getMessage())
              + "; lower --dim, --batch-size or --threads, or give the JVM "
              + "more heap (TOTALRECALL_JAVA_OPTS=-Xmx16g)");
    }
    TrainResult result;
    boolean diverged = false;
    String divergence = null;
    try {
      Path checkpointFile =
          checkpointEvery > 0 ? target.resolveSibling(target.getFileName() + ".ckpt") : null;
      result =
          Trainer.train(
              fit,
              dataset.users(),
              dataset.items(),
              config,
              validator,
              progress,
              new org.totalrecall.train.Checkpointing(
                  checkpointFile, Math.max(1, checkpointEvery), resume));
    } catch (TrainingDivergedException e) {
      if (e.bestFinite() == null) {
        throw new CliException(
            ExitCodes.TRAINING_DIVERGED, e.getMessage() + "; no model written", e);
      }
      result = e.bestFinite();
      diverged = true;
      divergence = e.getMessage();
    }
    TrainingSummary summary = result.summary();

    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("users", dataset.numUsers());
    counts.put("items", dataset.numItems());
    counts.put("trainInteractions", trainPart.size());
    counts.put("fitInteractions", fit.size());
    counts.put(
        "validationInteractions", validationSplit == null ? 0 : validationSplit.test().size());
    Map<String, Object> meta = new LinkedHashMap<>(result.model().metadata());
    meta.put("totalrecallVersion", Main.version());
    meta.put("createdAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    meta.put("data", data.data.toAbsolutePath().normalize().toString());
    meta.put("format", EnumConverter.spell(dataset.format()));
    meta.put(LeakageCheck.PROTOCOL_KEY, choice.cliName());
    meta.put(LeakageCheck.SPLIT_SEED_KEY, seedOfSplit);
    meta.put(LeakageCheck.TRAIN_FINGERPRINT_KEY, fingerprint);
    if (split != null) {
      // everything evaluate needs to rebuild this split: protocol, seed, protocolOptions, sizes
      meta.put("split", split.toMap());
    }
    meta.put("objective", config.objective().name());
    meta.put("sampler", config.sampler().name());
    meta.put("counts", counts);
    meta.put("validation", validationKind);
    meta.put("loadReport", dataset.report().toMap());
    FactorModel trained = result.model();
    // The whole training part (validation hold-out included) is what retrieval should exclude.
    FactorModel toWrite =
        new FactorModel(
            trained.userTable(),
            trained.itemTable(),
            trained.userIds(),
            trained.itemIds(),
            trained.scorer(),
            meta,
            trainPart);
    if (diverged) {
      meta.put("diverged", divergence);
      toWrite = toWrite.withMetadata(meta);
    }
    ModelFormat.write(toWrite, target);
    if (convergenceOut != null) {
      writeConvergence(summary, convergenceOut);
    }
    if (reportDir != null && !diverged) {
      String name = model.getFileName().toString();
      org.totalrecall.cli.report.ReportWriter.write(
          List.of(
              ReportCommand.build(
                  name, toWrite, split, choice.cliName(), 20, config.threads(), trainPart)),
          reportDir,
          "TotalRecall report: " + name);
    }
    if (diverged) {
      throw new CliException(
          ExitCodes.TRAINING_DIVERGED,
          divergence
              + "; wrote the best finite epoch "
              + summary.bestEpoch()
              + " (validation ndcg@10 "
              + String.format(
                  Locale.ROOT, "%.4f", summary.bestMetrics().getOrDefault("ndcg@10", Double.NaN))
              + ") to "
              + model);
    }

    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("command", "train");
      doc.put("model", model.toString());
      doc.put("data", data.data.toString());
      doc.put("format", meta.get("format"));
      doc.put("protocol", choice.cliName());
      doc.put("splitSeed", seedOfSplit);
      doc.put("counts", counts);
      doc.put("config", config.toMap());
      doc.put("summary", summary.toMap());
      doc.put("loadReport", dataset.report().toMap());
      Json.print(out, doc);
    } else {
      out.println(
          String.format(
              Locale.ROOT,
              "trained %s (dim %d, %s) on %,d positives: %d epochs in %.1f s, %s positives/s",
              config.objective().name(),
              config.dim(),
              EnumConverter.spell(config.scorer()),
              fit.size(),
              summary.epochsRun(),
              summary.trainSeconds(),
              Format.count(summary.positivesPerSecond())));
      if (!summary.bestMetrics().isEmpty()) {
        out.println(
            "best validation (epoch "
                + summary.bestEpoch()
                + "): "
                + Format.metrics(new java.util.TreeMap<>(summary.bestMetrics()))
                + (summary.stoppedEarly() ? "; stopped early" : ""));
      }
      out.println("model written to " + model);
      out.flush();
    }
    return ExitCodes.OK;
  }
}
