package org.totalrecall.spark;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.totalrecall.ann.SyntheticVectors;
import org.totalrecall.data.DuplicatePolicy;
import org.totalrecall.data.IdIndex;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code spark-submit} entry point: {@code spark-submit --class org.totalrecall.spark.SparkMain
 * totalrecall-spark.jar prepare|train|recommend-all|audience-all|evaluate|diff|generate-log|
 * synthetic-model ...}, with the option names of the CLI. Without a master in the Spark
 * configuration (run with plain {@code java}) it uses {@code local[*]}. Prints a one-line summary
 * or, with {@code --json}, one JSON object, with the stage's time and the driver's peak heap; exit
 * 64 on a usage error (as the CLI), 65 on bad data, 70 on anything else.
 */
@Command(
    name = "totalrecall-spark",
    mixinStandardHelpOptions = true,
    description = "TotalRecall's jobs on Apache Spark.",
    subcommands = {
      SparkMain.PrepareJob.class,
      SparkMain.RecommendAllJob.class,
      SparkMain.AudienceAllJob.class,
      SparkMain.TrainJob.class,
      SparkMain.EvaluateJob.class,
      SparkMain.DiffJob.class,
      SparkMain.GenerateLogJob.class,
      SparkMain.SyntheticModelJob.class
    })
public final class SparkMain implements Runnable {
  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this),
        "missing job: prepare, train, recommend-all, audience-all, evaluate, diff, generate-log or"
            + " synthetic-model");
  }

  /** Runs a job line; the exit code. */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new SparkMain());
    cl.setParameterExceptionHandler(
        (e, line) -> {
          e.getCommandLine().getErr().println("totalrecall-spark: " + e.getMessage());
          return 64;
        });
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println("totalrecall-spark: " + e.getMessage());
          return e instanceof IllegalArgumentException ? 65 : 70;
        });
    return cl.execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static SparkSession session(String app) {
    SparkSession.Builder b = SparkSession.builder().appName("totalrecall " + app);
    org.apache.spark.SparkConf conf = new org.apache.spark.SparkConf();
    if (!conf.contains("spark.master")) {
      b.master("local[*]").config("spark.ui.enabled", "false");
    }
    SparkSession spark = b.getOrCreate();
    // local mode: Spark's 200 shuffle partitions are mostly empty overhead; a few per core suffice
    if (spark.sparkContext().isLocal() && !conf.contains("spark.sql.shuffle.partitions")) {
      spark
          .conf()
          .set(
              "spark.sql.shuffle.partitions",
              Integer.toString(4 * spark.sparkContext().defaultParallelism()));
    }
    return spark;
  }

  static void summary(
      PrintWriter out,
      boolean json,
      String job,
      long started,
      Map<String, Object> doc,
      String line) {
    double seconds = (System.nanoTime() - started) / 1e9;
    long peak = 0;
    for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("job", job);
      m.putAll(doc);
      m.put("seconds", seconds);
      m.put("driverPeakHeapBytes", peak);
      StringBuilder s = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<String, Object> e : m.entrySet()) {
        s.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": ");
        Object v = e.getValue();
        s.append(
            v instanceof Number || v instanceof Boolean
                ? v.toString()
                : "\"" + String.valueOf(v).replace("\"", "\\\"") + "\"");
        first = false;
      }
      out.println(s.append('}'));
    } else {
      out.printf(Locale.ROOT, "%s (%.1f s, driver peak heap %,d MB)%n", line, seconds, peak >> 20);
    }
    out.flush();
  }

  /** Writes {@code rows} as Parquet into {@code out} (replaced); the rows written. */
  static long write(SparkSession spark, Dataset<Row> rows, Path out) {
    rows.write().mode(SaveMode.Overwrite).parquet(out.toString());
    return spark.read().parquet(out.toString()).count();
  }

  /** {@code prepare}: a log read by Spark → dense interactions (Parquet) and the id lists. */
  @Command(
      name = "prepare",
      mixinStandardHelpOptions = true,
      description =
          "Reads an interaction log (csv, parquet or json) and writes dense interactions as Parquet"
              + " (DIR/interactions), the user and item ids (DIR/users.txt, DIR/items.txt, one per line, in dense order)"
              + " and the counts, with the CLI's duplicate policies and id order.")
  static final class PrepareJob implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--data",
        required = true,
        paramLabel = "PATH",
        description = "The log (a file or a directory).")
    String data;

    @Option(
        names = "--format",
        defaultValue = "csv",
        paramLabel = "FORMAT",
        description = "csv, tsv, parquet or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
        names = "--columns",
        split = ",",
        paramLabel = "USER,ITEM[,WEIGHT[,TIME]]",
        description = "Column names (default: user,item).")
    List<String> columns;

    @Option(
        names = "--ids",
        paramLabel = "MODEL|DIR",
        description =
            "Keep the dense order of a model file (.trm) or of an earlier prepare's directory, so that new logs"
                + " are scored with the same ids; ids outside it follow --unknown-ids.")
    Path ids;

    @Option(
        names = "--unknown-ids",
        defaultValue = "keep",
        paramLabel = "POLICY",
        description =
            "With --ids: keep (append), drop (leave their rows out, counted) or reject (default: ${DEFAULT-VALUE}).")
    String unknownIds;

    @Option(
        names = "--split",
        paramLabel = "PROTOCOL",
        description =
            "Also mark each row's part (column part: train, test, validation): random-split (20% per user), loo"
                + " (each user's latest) or pums (1% of the users of items with 50 or more), by a seeded hash.")
    String split;

    @Option(
        names = "--split-seed",
        defaultValue = "42",
        paramLabel = "SEED",
        description = "Seed of --split (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(
        names = "--duplicates",
        defaultValue = "sum",
        paramLabel = "POLICY",
        description = "sum, max, first or reject (default: ${DEFAULT-VALUE}).")
    String duplicates;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      long started = System.nanoTime();
      List<String> c = columns == null ? List.of("user", "item") : columns;
      if (c.size() < 2 || c.size() > 4) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--columns needs USER,ITEM[,WEIGHT[,TIME]]");
      }
      DuplicatePolicy policy;
      try {
        policy = DuplicatePolicy.parse(duplicates);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--duplicates: " + e.getMessage());
      }
      SparkSession spark = session("prepare");
      Dataset<Row> log =
          switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> spark.read().option("header", "true").csv(data);
            case "tsv" -> spark.read().option("header", "true").option("sep", "\t").csv(data);
            case "parquet" -> spark.read().parquet(data);
            case "json" -> spark.read().json(data);
            default ->
                throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--format must be csv, tsv, parquet or json, got '" + format + "'");
          };
      Prepare.Options options =
          new Prepare.Options(
              c.get(0),
              c.get(1),
              c.size() > 2 && !c.get(2).equals("none") ? c.get(2) : null,
              c.size() > 3 && !c.get(3).equals("none") ? c.get(3) : null,
              policy);
      if (ids != null) {
        org.totalrecall.data.UnknownIdPolicy unknown;
        try {
          unknown = org.totalrecall.data.UnknownIdPolicy.parse(unknownIds);
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--unknown-ids: " + e.getMessage());
        }
        if (ids.toString().endsWith(".trm")) {
          FactorModel known = ModelFormat.read(ids);
          options = options.withKnownIds(known.userIds(), known.itemIds(), unknown);
        } else {
          options =
              options.withKnownIds(
                  org.totalrecall.data.IdIndex.of(Files.readAllLines(ids.resolve("users.txt"))),
                  org.totalrecall.data.IdIndex.of(Files.readAllLines(ids.resolve("items.txt"))),
                  unknown);
        }
      }
      Prepare.Prepared p = Prepare.prepare(log, options);
      Files.createDirectories(out);
      Dataset<Row> rows = p.interactions();
      if (split != null) {
        rows =
            switch (split) {
              case "random-split" -> Splits.randomSplit(rows, 0.2, splitSeed);
              case "loo" -> Splits.leaveLastOut(rows);
              case "pums" -> Splits.pums(rows, 50, 0.01, splitSeed);
              default ->
                  throw new CommandLine.ParameterException(
                      spec.commandLine(),
                      "--split must be random-split, loo or pums, got '" + split + "'");
            };
      }
      rows.write().mode(SaveMode.Overwrite).parquet(out.resolve("interactions").toString());
      Files.write(out.resolve("users.txt"), p.users().ids());
      Files.write(out.resolve("items.txt"), p.items().ids());
      Prepare.Report r = p.report();
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("rows", r.rows());
      doc.put("duplicates", r.duplicates());
      doc.put("duplicatePolicy", policy.name());
      doc.put("numUsers", r.numUsers());
      doc.put("numItems", r.numItems());
      doc.put("interactions", r.interactions());
      doc.put("unknownIds", r.unknownIds());
      doc.put("out", out.toString());
      summary(
          spec.commandLine().getOut(),
          json,
          "prepare",
          started,
          doc,
          String.format(
              Locale.ROOT,
              "%,d rows: %,d users, %,d items, %,d interactions, %,d duplicates (%s) written to %s",
              r.rows(),
              r.numUsers(),
              r.numItems(),
              r.interactions(),
              r.duplicates(),
              policy,
              out));
      return 0;
    }
  }

  /** The options recommend-all and audience-all share: the model, the output, seen items, JSON. */
  static final class RetrievalJobOptions {
    @Option(
        names = "--model",
        required = true,
        paramLabel = "FILE",
        description = "Model file written by 'train'.")
    Path model;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Parquet directory to write.")
    Path out;

    @Option(
        names = "--include-seen",
        description = "Also return what the user interacted with in training.")
    boolean includeSeen;

    @Option(
        names = "--index",
        paramLabel = "DIR",
        description =
            "Search each user's items through the HNSW index in DIR ('totalrecall index --direction u2i'"
                + " for this model file; shipped to the executors, opened once per executor) instead of"
                + " scoring every item. Pays from about 100,000 items (BENCHMARKS.md).")
    Path index;

    @Option(
        names = "--ef",
        paramLabel = "N",
        description = "With --index: candidates kept by the graph search (default: 100).")
    Integer ef;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    /** The index the flags ask for, or null for exact search. */
    BatchRetrieval.Index search(CommandLine cl) {
      if (ef != null && index == null) {
        throw new CommandLine.ParameterException(
            cl, "--ef applies to an index search: give --index DIR too");
      }
      if (index == null) {
        return null;
      }
      if (ef != null && ef <= 0) {
        throw new CommandLine.ParameterException(cl, "--ef must be > 0, got " + ef);
      }
      if (!Files.isDirectory(index)) {
        throw new CommandLine.ParameterException(cl, "--index " + index + ": no such directory");
      }
      return new BatchRetrieval.Index(
          index, ef == null ? org.totalrecall.ann.HnswRetriever.DEFAULT_EF : ef);
    }
  }

  /** {@code recommend-all}. */
  @Command(
      name = "recommend-all",
      mixinStandardHelpOptions = true,
      description =
          "Every user's top-k items (exact; training items excluded unless --include-seen) as Parquet"
              + " user,item,score,rank.")
  static final class RecommendAllJob implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin RetrievalJobOptions o;

    @Option(
        names = "--k",
        defaultValue = "10",
        paramLabel = "K",
        description = "Items per user (default: ${DEFAULT-VALUE}).")
    int k;

    @Override
    public Integer call() throws Exception {
      if (k <= 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--k must be > 0, got " + k);
      }
      BatchRetrieval.Index index = o.search(spec.commandLine());
      long started = System.nanoTime();
      SparkSession spark = session("recommend-all");
      long n =
          write(spark, BatchRetrieval.recommendAll(spark, o.model, index, k, o.includeSeen), o.out);
      summary(
          spec.commandLine().getOut(),
          o.json,
          "recommend-all",
          started,
          Map.of("rows", n, "out", o.out.toString()),
          String.format(
              Locale.ROOT, "top %d items of every user written to %s: %,d rows", k, o.out, n));
      return 0;
    }
  }

  /** {@code audience-all}. */
  @Command(
      name = "audience-all",
      mixinStandardHelpOptions = true,
      description =
          "The audience of every item, capped per user (TotalRecall sec. 3.6): each user's top --per-user"
              + " items inverted, each item keeping its best --per-item users; Parquet item,user,score,rank.")
  static final class AudienceAllJob implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin RetrievalJobOptions o;

    @Option(
        names = "--per-user",
        defaultValue = "10",
        paramLabel = "K",
        description = "Items per user (default: ${DEFAULT-VALUE}).")
    int perUser;

    @Option(
        names = "--per-item",
        defaultValue = "1000",
        paramLabel = "N",
        description = "Users per item (default: ${DEFAULT-VALUE}).")
    int perItem;

    @Override
    public Integer call() throws Exception {
      if (perUser <= 0 || perItem <= 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--per-user and --per-item must be > 0");
      }
      BatchRetrieval.Index index = o.search(spec.commandLine());
      long started = System.nanoTime();
      SparkSession spark = session("audience-all");
      long n =
          write(
              spark,
              BatchRetrieval.audienceAll(spark, o.model, index, perUser, perItem, o.includeSeen),
              o.out);
      summary(
          spec.commandLine().getOut(),
          o.json,
          "audience-all",
          started,
          Map.of("rows", n, "out", o.out.toString()),
          String.format(Locale.ROOT, "audiences written to %s: %,d rows", o.out, n));
      return 0;
    }
  }

  /**
   * {@code train}: iALS on the cluster, on a protocol's training part; writes a model file the CLI
   * reads.
   */
  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description =
          "Trains on the training part of --protocol's split of --data (or on --prepared rows): iALS and iCD"
              + " with the rows distributed in --blocks blocks per side, the gradient methods data-parallel with"
              + " the tables averaged every epoch; writes a model file that the CLI's evaluate, recommend and"
              + " audience read (protocol, split seed and fingerprint recorded).")
  static final class TrainJob implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--data",
        paramLabel = "DIR|FILE",
        description = "Data set (the CLI's layouts).")
    Path data;

    @Option(
        names = "--protocol",
        defaultValue = "full",
        paramLabel = "P",
        description =
            "Split to train on: ncf, full, loo, random-split, pums (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(
        names = "--split-seed",
        defaultValue = "42",
        paramLabel = "SEED",
        description = "Split seed (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(
        names = "--objective",
        defaultValue = "ials",
        paramLabel = "OBJ",
        description =
            "ials or icd (by blocks), or a gradient method of the CLI's train --help (averaged)"
                + " (default: ${DEFAULT-VALUE}).")
    String objective;

    @Option(
        names = "--dim",
        defaultValue = "64",
        paramLabel = "D",
        description = "Width (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(
        names = "--l2",
        paramLabel = "LAMBDA",
        description = "L2 (default: 0.01 for ials, the CLI's otherwise).")
    Float l2;

    @Option(
        names = "--tau",
        paramLabel = "TAU",
        description = "Temperature of the cosine scorer (gradient methods).")
    Float tau;

    @Option(
        names = "--lr",
        paramLabel = "RATE",
        description = "Learning rate (gradient methods; default: the CLI's).")
    Float lr;

    @Option(
        names = "--shards",
        defaultValue = "0",
        paramLabel = "N",
        description =
            "Gradient methods: data-parallel shards, averaged every epoch (default: the parallelism).")
    int shards;

    @Option(
        names = "--curve",
        paramLabel = "FILE",
        description =
            "Gradient methods: after every round, the test metrics of the averaged model as CSV (reporting only).")
    Path curve;

    @Option(
        names = "--epochs",
        defaultValue = "10",
        paramLabel = "N",
        description = "Iterations (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
        names = "--seed",
        defaultValue = "1",
        paramLabel = "SEED",
        description = "Initialisation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--blocks",
        defaultValue = "0",
        paramLabel = "N",
        description = "Blocks per side (default: 4 x the parallelism).")
    int blocks;

    @Option(
        names = "--option",
        paramLabel = "KEY=VALUE",
        description =
            "An iALS parameter as the CLI's flag without dashes, e.g. alpha=1, unobserved-weight=0.3, solver=cg.")
    Map<String, String> methodOptions;

    @Option(
        names = "--model",
        required = true,
        paramLabel = "FILE",
        description = "Model file to write.")
    Path model;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Option(
        names = "--prepared",
        paramLabel = "DIR",
        description =
            "Train on the output of 'prepare' instead of --data: its interactions (the rows marked train when it"
                + " was run with --split, else all) and its id lists.")
    Path prepared;

    /**
     * What a trainer consumes: the training part, the ids, what the model file records, the split
     * (or null).
     */
    record Input(
        org.totalrecall.data.Interactions train,
        org.totalrecall.data.IdIndex users,
        org.totalrecall.data.IdIndex items,
        Map<String, Object> meta,
        org.totalrecall.eval.ProtocolSplit split) {}

    Input input(SparkSession spark, org.totalrecall.eval.Protocol p) throws java.io.IOException {
      Map<String, Object> meta = new LinkedHashMap<>();
      if (prepared != null) {
        if (data != null) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "give --data or --prepared, not both");
        }
        List<String> users = Files.readAllLines(prepared.resolve("users.txt"));
        List<String> items = Files.readAllLines(prepared.resolve("items.txt"));
        Dataset<Row> rows = spark.read().parquet(prepared.resolve("interactions").toString());
        if (List.of(rows.columns()).contains("part")) {
          rows = rows.filter("part = 'train'");
        }
        org.totalrecall.data.Interactions train =
            TotalRecallSpark.collect(rows, users.size(), items.size());
        meta.put("data", prepared.toAbsolutePath().normalize().toString());
        meta.put(org.totalrecall.eval.LeakageCheck.PROTOCOL_KEY, "none");
        return new Input(
            train,
            org.totalrecall.data.IdIndex.of(users),
            org.totalrecall.data.IdIndex.of(items),
            meta,
            null);
      }
      if (data == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give --data or --prepared");
      }
      org.totalrecall.data.Dataset dataset =
          org.totalrecall.data.DataLoader.load(
              data, null, org.totalrecall.data.LoadOptions.defaults());
      org.totalrecall.eval.ProtocolSplit split =
          org.totalrecall.eval.Protocols.split(
              p, dataset, org.totalrecall.eval.ProtocolOptions.defaults().withSeed(splitSeed));
      meta.put("data", data.toAbsolutePath().normalize().toString());
      meta.put(org.totalrecall.eval.LeakageCheck.PROTOCOL_KEY, p.cliName());
      meta.put(org.totalrecall.eval.LeakageCheck.SPLIT_SEED_KEY, splitSeed);
      meta.put(org.totalrecall.eval.LeakageCheck.TRAIN_FINGERPRINT_KEY, split.trainFingerprint());
      meta.put("split", split.toMap());
      meta.put("loadReport", dataset.report().toMap());
      return new Input(split.train(), dataset.users(), dataset.items(), meta, split);
    }

    @Override
    public Integer call() throws Exception {
      long started = System.nanoTime();
      org.totalrecall.train.ObjectiveSpec parsed;
      org.totalrecall.eval.Protocol p;
      try {
        p = org.totalrecall.eval.Protocol.parse(protocol);
        parsed =
            org.totalrecall.train.SpecType.find(
                    org.totalrecall.train.ObjectiveSpec.types(), objective, "--objective")
                .parse(
                    org.totalrecall.train.Params.of(
                        methodOptions == null ? Map.of() : methodOptions),
                    "--objective");
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (!(parsed instanceof org.totalrecall.train.IalsSpec ials)) {
        return averaged(started, parsed, p); // a gradient method
      }
      // iALS and iCD (the same loss, the coordinate-descent row solver): by blocks
      float l2 = this.l2 == null ? 0.01f : this.l2;
      if (dim <= 0 || epochs <= 0 || l2 < 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--dim and --epochs must be > 0, --l2 >= 0");
      }
      SparkSession spark = session("train");
      Input in = input(spark, p);
      int n = blocks > 0 ? blocks : 4 * spark.sparkContext().defaultParallelism();
      DistributedIals.Settings settings =
          new DistributedIals.Settings(ials, dim, l2, 0.1f, seed, epochs, n);
      DistributedIals.Result r = DistributedIals.train(spark, in.train(), settings);
      FactorModel m =
          TotalRecallSpark.ialsModel(settings, r, in.train(), in.users(), in.items(), in.meta());
      ModelFormat.write(m, model);
      double perIteration = java.util.Arrays.stream(r.iterationSeconds()).average().orElse(0);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("model", model.toString());
      doc.put("protocol", in.meta().get(org.totalrecall.eval.LeakageCheck.PROTOCOL_KEY));
      doc.put("iterations", epochs);
      doc.put("blocks", n);
      doc.put("secondsPerIteration", perIteration);
      summary(
          spec.commandLine().getOut(),
          json,
          "train",
          started,
          doc,
          String.format(
              Locale.ROOT,
              "trained %s (dim %d) on %,d positives: %d iterations, %.3f s each, %d blocks per side; model written to %s",
              objective,
              dim,
              in.train().size(),
              epochs,
              perIteration,
              n,
              model));
      return 0;
    }

    /** Bi-InfoNCE, sampled softmax, BPR, ... by data-parallel training with model averaging. */
    private Integer averaged(
        long started, org.totalrecall.train.ObjectiveSpec obj, org.totalrecall.eval.Protocol p)
        throws Exception {
      org.totalrecall.train.TrainConfig config =
          org.totalrecall.train.TrainConfig.defaults()
              .withMethod(obj, obj.defaultSamplerSpec())
              .withScorer(obj.preferredScorer())
              .withDim(dim)
              .withEpochs(epochs)
              .withSeed(seed);
      if (l2 != null) {
        config = config.withL2(l2);
      }
      if (tau != null) {
        config = config.withTemperature(tau);
      }
      if (lr != null) {
        config = config.withLearningRate(lr);
      }
      SparkSession spark = session("train");
      Input in = input(spark, p);
      int n = shards > 0 ? shards : spark.sparkContext().defaultParallelism();
      StringBuilder csv = new StringBuilder("round,records,hr@10,ndcg@10,recall@20,ndcg@20\n");
      org.totalrecall.model.Scorer.Kind kind = config.scorer();
      float temperature = config.temperature();
      if (curve != null && in.split() == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--curve needs a protocol's test part (--data with --protocol)");
      }
      ModelAveraging.RoundListener listener =
          curve == null
              ? null
              : (round, u, v) -> {
                FactorModel fm =
                    new FactorModel(
                        u,
                        v,
                        in.users(),
                        in.items(),
                        kind == Scorer.Kind.COSINE ? Scorer.cosine(temperature) : Scorer.dot(),
                        null,
                        in.train());
                var res =
                    org.totalrecall.eval.Evaluator.evaluate(
                        fm, in.split(), org.totalrecall.eval.EvalOptions.defaults());
                csv.append(
                    String.format(
                        Locale.ROOT,
                        "%d,%d,%.6f,%.6f,%.6f,%.6f%n",
                        round,
                        (long) round * in.train().size(),
                        res.metric("hr@10"),
                        res.metric("ndcg@10"),
                        res.metric("recall@20"),
                        res.metric("ndcg@20")));
              };
      ModelAveraging.Result r = ModelAveraging.train(spark, in.train(), config, n, listener);
      if (curve != null) {
        Files.writeString(curve, csv);
      }
      Map<String, Object> meta = new LinkedHashMap<>(ModelAveraging.metadata(config, n, r));
      meta.put("objective", obj.name());
      meta.putAll(in.meta());
      FactorModel m =
          new FactorModel(
              r.users(), r.items(), in.users(), in.items(), r.scorer(), meta, in.train());
      ModelFormat.write(m, model);
      double perRound = java.util.Arrays.stream(r.roundSeconds()).average().orElse(0);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("model", model.toString());
      doc.put("objective", obj.name());
      doc.put("shards", n);
      doc.put("rounds", epochs);
      doc.put("secondsPerRound", perRound);
      summary(
          spec.commandLine().getOut(),
          json,
          "train",
          started,
          doc,
          String.format(
              Locale.ROOT,
              "trained %s (dim %d) on %,d positives: %d rounds of %d shards averaged every epoch, %.2f s each; model"
                  + " written to %s",
              obj.name(),
              dim,
              in.train().size(),
              epochs,
              n,
              perRound,
              model));
      return 0;
    }
  }

  /**
   * {@code generate-log}: a seeded synthetic interaction log with Zipf item popularity, as Parquet.
   */
  @Command(
      name = "generate-log",
      mixinStandardHelpOptions = true,
      description =
          "Writes a seeded synthetic interaction log (user, item, timestamp; users uniform, items Zipf(1) by the inverse"
              + " of the harmonic CDF) as Parquet, generated in parallel: row r's values are a function of (seed, r).")
  static final class GenerateLogJob implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--rows",
        defaultValue = "50000000",
        paramLabel = "N",
        description = "Rows (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(
        names = "--users",
        defaultValue = "5000000",
        paramLabel = "N",
        description = "Users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(
        names = "--items",
        defaultValue = "500000",
        paramLabel = "N",
        description = "Items (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(
        names = "--seed",
        defaultValue = "1",
        paramLabel = "SEED",
        description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Parquet directory to write.")
    Path out;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      if (rows <= 0 || users <= 0 || items <= 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--rows, --users and --items must be > 0");
      }
      long started = System.nanoTime();
      SparkSession spark = session("generate-log");
      double[] cdf = new double[items];
      double sum = 0;
      for (int i = 0; i < items; i++) {
        sum += 1.0 / (i + 1);
        cdf[i] = sum;
      }
      var bc =
          org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
              .broadcast(cdf);
      final double total = sum;
      final long s = seed;
      final int nu = users;
      final int ni = items;
      Dataset<Row> log =
          spark
              .range(0, rows, 1, Math.max(1, spark.sparkContext().defaultParallelism() * 4))
              .map(
                  (org.apache.spark.api.java.function.MapFunction<Long, Row>)
                      r -> {
                        java.util.SplittableRandom rnd =
                            new java.util.SplittableRandom(s * 0x9E3779B97F4A7C15L + r);
                        int u = rnd.nextInt(nu);
                        int k = java.util.Arrays.binarySearch(bc.value(), rnd.nextDouble() * total);
                        int item = k >= 0 ? k : Math.min(ni - 1, -k - 1);
                        return org.apache.spark.sql.RowFactory.create((long) u, (long) item, r);
                      },
                  org.apache.spark.sql.Encoders.row(
                      org.apache.spark.sql.types.DataTypes.createStructType(
                          List.of(
                              org.apache.spark.sql.types.DataTypes.createStructField(
                                  "user", org.apache.spark.sql.types.DataTypes.LongType, false),
                              org.apache.spark.sql.types.DataTypes.createStructField(
                                  "item", org.apache.spark.sql.types.DataTypes.LongType, false),
                              org.apache.spark.sql.types.DataTypes.createStructField(
                                  "timestamp",
                                  org.apache.spark.sql.types.DataTypes.LongType,
                                  false)))));
      long n = write(spark, log, out);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("rows", n);
      doc.put("users", users);
      doc.put("items", items);
      doc.put("seed", seed);
      doc.put("out", out.toString());
      summary(
          spec.commandLine().getOut(),
          json,
          "generate-log",
          started,
          doc,
          String.format(
              Locale.ROOT,
              "%,d rows (%,d users, %,d items, Zipf) written to %s",
              n,
              users,
              items,
              out));
      return 0;
    }
  }

  /** {@code diff}: whether two result tables (Parquet or CSV with a header) hold the same rows. */
  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description =
          "Compares two result tables (e.g. the CLI's recommend-all output and this module's) as multisets of"
              + " rows over their common columns; exit 0 if identical, 1 otherwise, with the counts and a few rows that differ.")
  static final class DiffJob implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--left",
        required = true,
        paramLabel = "PATH",
        description = "A Parquet file or directory, or a .csv.")
    String left;

    @Option(
        names = "--right",
        required = true,
        paramLabel = "PATH",
        description = "The same for the other side.")
    String right;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Option(
        names = "--columns",
        split = ",",
        paramLabel = "COL,...",
        description = "Compare over these columns only (default: every column the two share).")
    List<String> columns;

    private static Dataset<Row> read(SparkSession spark, String path) {
      return path.endsWith(".csv")
          ? spark.read().option("header", "true").csv(path)
          : spark.read().parquet(path);
    }

    @Override
    public Integer call() {
      long started = System.nanoTime();
      SparkSession spark = session("diff");
      Dataset<Row> a = read(spark, left);
      Dataset<Row> b = read(spark, right);
      List<String> common = new java.util.ArrayList<>(List.of(a.columns()));
      common.retainAll(List.of(b.columns()));
      if (columns != null) {
        for (String c : columns) {
          if (!common.contains(c)) {
            throw new CommandLine.ParameterException(
                spec.commandLine(),
                "--columns: '" + c + "' is not a column of both; they share " + common);
          }
        }
        common = columns;
      }
      org.apache.spark.sql.Column[] cols =
          common.stream()
              .map(c -> org.apache.spark.sql.functions.col(c).cast("string"))
              .toArray(org.apache.spark.sql.Column[]::new);
      Dataset<Row> as = a.select(cols);
      Dataset<Row> bs = b.select(cols);
      long onlyLeft = as.exceptAll(bs).count();
      long onlyRight = bs.exceptAll(as).count();
      long rows = as.count();
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("columns", String.join(",", common));
      doc.put("leftRows", rows);
      doc.put("rightRows", bs.count());
      doc.put("onlyLeft", onlyLeft);
      doc.put("onlyRight", onlyRight);
      doc.put("identical", onlyLeft == 0 && onlyRight == 0);
      double shared = rows == 0 ? 1 : (rows - onlyLeft) / (double) rows;
      doc.put("leftRowsInRight", shared);
      summary(
          spec.commandLine().getOut(),
          json,
          "diff",
          started,
          doc,
          onlyLeft == 0 && onlyRight == 0
              ? String.format(Locale.ROOT, "identical: %,d rows over %s", rows, common)
              : String.format(
                  Locale.ROOT,
                  "different over %s: %,d rows only in %s, %,d only in %s (%.2f%% of the left rows are in"
                      + " the right); e.g. %s",
                  common,
                  onlyLeft,
                  left,
                  onlyRight,
                  right,
                  100 * shared,
                  as.exceptAll(bs).limit(3).collectAsList()));
      return onlyLeft == 0 && onlyRight == 0 ? 0 : 1;
    }
  }

  /** {@code evaluate}: the metrics of the model's protocol, computed on the cluster. */
  @Command(
      name = "evaluate",
      mixinStandardHelpOptions = true,
      description =
          "The metrics of PROTOCOLS.md on the model's protocol and split (recorded by train; --protocol"
              + " overrides), computed by query slices on the cluster: the single-machine evaluate's figures.")
  static final class EvaluateJob implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--model",
        required = true,
        paramLabel = "FILE",
        description = "Model file written by 'train'.")
    Path model;

    @Option(
        names = "--data",
        required = true,
        paramLabel = "DIR|FILE",
        description = "The data the model was trained on.")
    Path data;

    @Option(
        names = "--protocol",
        paramLabel = "P",
        description = "Protocol (default: the model's).")
    String protocol;

    @Option(
        names = "--parts",
        defaultValue = "0",
        paramLabel = "N",
        description = "Query slices, one task each (default: 4 x the parallelism).")
    int parts;

    @Option(
        names = "--aggregate",
        defaultValue = "mean",
        paramLabel = "AGG",
        description =
            "pums-group: how a user's exp(score) over a group combine: mean, max or sum (default:"
                + " ${DEFAULT-VALUE}).")
    String aggregate;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      long started = System.nanoTime();
      Map<String, Object> meta = ModelFormat.read(model).metadata();
      String name =
          protocol != null
              ? protocol
              : String.valueOf(meta.get(org.totalrecall.eval.LeakageCheck.PROTOCOL_KEY));
      org.totalrecall.eval.Protocol p;
      try {
        p = org.totalrecall.eval.Protocol.parse(name);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--protocol: " + e.getMessage());
      }
      org.totalrecall.eval.ProtocolOptions options =
          org.totalrecall.eval.ProtocolOptions.defaults();
      if (meta.get("split") instanceof Map<?, ?> split
          && split.get("protocolOptions") instanceof Map<?, ?> recorded) {
        Map<String, Object> o = new LinkedHashMap<>();
        recorded.forEach((k, v) -> o.put(String.valueOf(k), v));
        options = org.totalrecall.eval.ProtocolOptions.fromMap(o);
      }
      if (meta.get(org.totalrecall.eval.LeakageCheck.SPLIT_SEED_KEY) instanceof Number seed) {
        options = options.withSeed(seed.longValue());
      }
      org.totalrecall.retrieval.Aggregation aggregation;
      try {
        aggregation =
            org.totalrecall.retrieval.Aggregation.valueOf(aggregate.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--aggregate must be mean, max or sum, got '" + aggregate + "'");
      }
      SparkSession spark = session("evaluate");
      org.totalrecall.eval.EvaluationResult r =
          DistributedEvaluation.evaluate(
              spark,
              model,
              data,
              p,
              options,
              org.totalrecall.eval.EvalOptions.defaults().withAggregation(aggregation),
              parts);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("protocol", r.protocol());
      doc.put("direction", r.direction());
      doc.put("variant", r.variant());
      doc.put("queries", r.queries());
      r.metrics().forEach(doc::put);
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "protocol %s (%s, %s), %,d queries:",
                  r.protocol(),
                  r.direction(),
                  r.variant(),
                  r.queries()));
      for (String k : List.of("hr@10", "ndcg@10", "recall@20", "ndcg@20")) {
        line.append(String.format(Locale.ROOT, " %s %.4f", k, r.metrics().get(k)));
      }
      summary(spec.commandLine().getOut(), json, "evaluate", started, doc, line.toString());
      return 0;
    }
  }

  /**
   * {@code synthetic-model}: the CLI's {@code --synthetic} tables as a model file, for scale runs
   * of both.
   */
  @Command(
      name = "synthetic-model",
      mixinStandardHelpOptions = true,
      description =
          "Writes the seeded synthetic catalogue of the CLI's 'audience-all --synthetic' (planted clusters,"
              + " dot scores) as a model file, so that the CLI and Spark jobs run on the same tables.")
  static final class SyntheticModelJob implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--size",
        required = true,
        paramLabel = "USERSxITEMS",
        description = "e.g. 200000x100000.")
    String size;

    @Option(
        names = "--dim",
        defaultValue = "64",
        paramLabel = "D",
        description = "Width (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "Model file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      String[] p = size.toLowerCase(Locale.ROOT).split("x", -1);
      if (p.length != 2 || !p[0].matches("\\d+") || !p[1].matches("\\d+") || dim <= 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--size must be USERSxITEMS, got '" + size + "'");
      }
      int users = Integer.parseInt(p[0]);
      int items = Integer.parseInt(p[1]);
      FactorModel m =
          new FactorModel(
              SyntheticVectors.users(users, dim, 1000, 0.7f, 1L),
              SyntheticVectors.items(items, dim, 1000, 0.7f, 1L),
              IdIndex.identity(users),
              IdIndex.identity(items),
              Scorer.dot(),
              null,
              null);
      ModelFormat.write(m, out);
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "wrote %,d users and %,d items (dim %d) to %s%n",
              users,
              items,
              dim,
              out);
      return 0;
    }
  }
}
