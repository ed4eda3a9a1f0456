package org.totalrecall.peer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Peer benchmark: Apache Spark MLlib implicit ALS on MovieLens-1M in the NCF leave-one-out split.
 *
 * <p>Every training row is one positive with rating 1 (confidence 1 + alpha). Timing: one warm-up
 * fit with 1 iteration, then a timed fit with 1 iteration and a timed fit with N iterations;
 * seconds per iteration = (t_N - t_1) / (N - 1), which removes the fixed cost of a fit (blocking
 * the ratings, shuffles, materialising the factors). Quality: HR@10 and NDCG@10 of the N-iteration
 * model, ranking each user's held-out item among it and its 99 sampled negatives by the dot
 * product of the factors, with pessimistic ties (rank = negatives scoring &gt;= the held-out item).
 *
 * <p>Prints one JSON object on stdout; Spark's logs go to stderr.
 */
public final class SparkAlsBench {

  private SparkAlsBench() {}

  private static final int K = 10;

  public static void main(String[] args) throws IOException {
    quietLogging();

    String root = System.getProperty("totalrecall.root", ".");
    Path data = Path.of(root, "..", "shared", "data", "ml-1m-ncf").normalize();
    int rank = 64;
    int iterations = 10;
    double reg = 0.01;
    double alpha = 1.0;
    int threads = 2;
    long seed = 1L;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        usage();
        return;
      }
      if (i + 1 >= args.length) {
        fail("missing value for " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--data" -> data = Path.of(v);
        case "--rank" -> rank = Integer.parseInt(v);
        case "--iterations" -> iterations = Integer.parseInt(v);
        case "--reg" -> reg = Double.parseDouble(v);
        case "--alpha" -> alpha = Double.parseDouble(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--seed" -> seed = Long.parseLong(v);
        default -> fail("unknown option " + a);
      }
    }
    if (rank < 1 || iterations < 1 || threads < 1) {
      fail("--rank, --iterations and --threads must be >= 1");
    }
    if (Files.isRegularFile(data.resolve("train.txt")) && Files.isRegularFile(data.resolve("test.txt"))) {
      lightgcn(data, rank, iterations, reg, alpha, threads, seed);
      return;
    }
    Path trainFile = data.resolve("ml-1m.train.rating");
    Path testFile = data.resolve("ml-1m.test.rating");
    Path negativeFile = data.resolve("ml-1m.test.negative");
    for (Path p : List.of(trainFile, testFile, negativeFile)) {
      if (!Files.isRegularFile(p)) {
        fail("missing data file " + p + " (pass --data DIR)");
      }
    }
    Map<Integer, Integer> heldOut = readTest(testFile);
    Map<Integer, int[]> negatives = readNegatives(negativeFile, heldOut);

    SparkSession spark = SparkSession.builder()
        .appName("spark-als-peer")
        .master("local[" + threads + "]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", Integer.toString(threads))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      StructType schema = new StructType()
          .add("user", DataTypes.IntegerType)
          .add("item", DataTypes.IntegerType)
          .add("r", DataTypes.FloatType)
          .add("time", DataTypes.LongType);
      Dataset<Row> train = spark.read()
          .option("sep", "\t")
          .schema(schema)
          .csv(trainFile.toString())
          .select(col("user"), col("item"), lit(1.0f).as("rating"))
          .cache();
      long trainRows = train.count(); // parse and cache outside the timed fits

      ALS als = new ALS()
          .setUserCol("user")
          .setItemCol("item")
          .setRatingCol("rating")
          .setImplicitPrefs(true)
          .setNonnegative(false)
          .setRank(rank)
          .setRegParam(reg)
          .setAlpha(alpha)
          .setSeed(seed);

      fit(als.setMaxIter(1), train); // warm-up: JIT, class loading, Spark internals
      double fit1 = fit(als.setMaxIter(1), train).seconds;
      Fit fitN = fit(als.setMaxIter(iterations), train);
      Double perIteration = iterations > 1 ? (fitN.seconds - fit1) / (iterations - 1) : null;

      float[][] userFactors = collect(fitN.model.userFactors());
      float[][] itemFactors = collect(fitN.model.itemFactors());
      Quality q = evaluate(heldOut, negatives, userFactors, itemFactors);

      StringBuilder json = new StringBuilder(512).append('{');
      field(json, "peer", "spark-mllib-als");
      field(json, "sparkVersion", spark.version());
      field(json, "javaVersion", System.getProperty("java.version"));
      field(json, "blas", blasName());
      field(json, "rank", rank);
      field(json, "iterations", iterations);
      field(json, "reg", reg);
      field(json, "alpha", alpha);
      field(json, "threads", threads);
      field(json, "seed", seed);
      field(json, "trainRatings", trainRows);
      field(json, "secondsPerIteration", perIteration);
      field(json, "fitSecondsN", fitN.seconds);
      field(json, "fitSeconds1", fit1);
      field(json, "hr@10", q.hr);
      field(json, "ndcg@10", q.ndcg);
      field(json, "users", q.users);
      field(json, "heldOutItemsWithoutFactors", q.itemsWithoutFactors);
      json.setLength(json.length() - 1);
      System.out.println(json.append('}'));
    } finally {
      spark.stop();
    }
  }

  /**
   * The LightGCN layout (Gowalla, protocol full): the training part as dense (user, item) rows,
   * MLlib's implicit ALS on it, and Recall / NDCG at 20 by full ranking with TotalRecall's own
   * evaluator (training items excluded, pessimistic ties), so both sides are scored alike.
   */
  private static void lightgcn(Path data, int rank, int iterations, double reg, double alpha, int threads, long seed)
      throws IOException {
    org.totalrecall.data.Dataset ds =
        org.totalrecall.data.DataLoader.load(data, null, org.totalrecall.data.LoadOptions.defaults());
    org.totalrecall.eval.ProtocolSplit split =
        org.totalrecall.eval.Protocols.split(
            org.totalrecall.eval.Protocol.FULL, ds, org.totalrecall.eval.ProtocolOptions.defaults());
    org.totalrecall.data.Interactions t = split.train();
    List<Row> rows = new java.util.ArrayList<>(t.size());
    for (int u = 0; u < t.numRows(); u++) {
      for (int p = t.start(u); p < t.end(u); p++) {
        rows.add(org.apache.spark.sql.RowFactory.create(u, t.cols()[p], 1.0f));
      }
    }
    SparkSession spark = SparkSession.builder()
        .appName("spark-als-peer")
        .master("local[" + threads + "]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", Integer.toString(threads))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      StructType schema = new StructType()
          .add("user", DataTypes.IntegerType)
          .add("item", DataTypes.IntegerType)
          .add("rating", DataTypes.FloatType);
      Dataset<Row> train = spark.createDataFrame(rows, schema).repartition(threads).cache();
      long trainRows = train.count();
      ALS als = new ALS()
          .setUserCol("user")
          .setItemCol("item")
          .setRatingCol("rating")
          .setImplicitPrefs(true)
          .setNonnegative(false)
          .setRank(rank)
          .setRegParam(reg)
          .setAlpha(alpha)
          .setSeed(seed);
      fit(als.setMaxIter(1), train);
      double fit1 = fit(als.setMaxIter(1), train).seconds;
      Fit fitN = fit(als.setMaxIter(iterations), train);
      Double perIteration = iterations > 1 ? (fitN.seconds - fit1) / (iterations - 1) : null;
      org.totalrecall.linalg.EmbeddingTable users = table(collect(fitN.model.userFactors()), ds.numUsers(), rank);
      org.totalrecall.linalg.EmbeddingTable items = table(collect(fitN.model.itemFactors()), ds.numItems(), rank);
      org.totalrecall.model.FactorModel m = new org.totalrecall.model.FactorModel(users, items, ds.users(), ds.items(),
          org.totalrecall.model.Scorer.dot(), Map.of(), t);
      org.totalrecall.eval.EvaluationResult r = org.totalrecall.eval.Evaluator.evaluate(m, split,
          org.totalrecall.eval.EvalOptions.defaults().withCutoffs(List.of(20, 50)).withThreads(threads));
      StringBuilder json = new StringBuilder(512).append('{');
      field(json, "peer", "spark-mllib-als");
      field(json, "data", data.getFileName().toString());
      field(json, "sparkVersion", spark.version());
      field(json, "blas", blasName());
      field(json, "rank", rank);
      field(json, "iterations", iterations);
      field(json, "reg", reg);
      field(json, "alpha", alpha);
      field(json, "threads", threads);
      field(json, "trainRatings", trainRows);
      field(json, "secondsPerIteration", perIteration);
      field(json, "fitSecondsN", fitN.seconds);
      field(json, "recall@20", r.metric("recall@20"));
      field(json, "ndcg@20", r.metric("ndcg@20"));
      field(json, "users", r.queries());
      json.setLength(json.length() - 1);
      System.out.println(json.append('}'));
    } finally {
      spark.stop();
    }
  }

  /** A dense table from MLlib's factors by id (rows without factors stay 0). */
  private static org.totalrecall.linalg.EmbeddingTable table(float[][] byId, int rows, int dim) {
    float[] data = new float[rows * dim];
    for (int r = 0; r < Math.min(rows, byId.length); r++) {
      if (byId[r] != null) {
        System.arraycopy(byId[r], 0, data, r * dim, dim);
      }
    }
    return new org.totalrecall.linalg.EmbeddingTable(rows, dim, data);
  }

  private record Fit(ALSModel model, double seconds) {}

  private record Quality(double hr, double ndcg, int users, int itemsWithoutFactors) {}

  /** Wall time of {@code fit()}; ALS materialises both factor RDDs before fit returns. */
  private static Fit fit(ALS als, Dataset<Row> train) {
    long t0 = System.nanoTime();
    ALSModel model = als.fit(train);
    return new Fit(model, (System.nanoTime() - t0) / 1e9);
  }

  private static float[][] collect(Dataset<Row> factors) {
    List<Row> rows = factors.collectAsList();
    int max = -1;
    for (Row r : rows) {
      max = Math.max(max, r.getInt(0));
    }
    float[][] out = new float[max + 1][];
    for (Row r : rows) {
      List<Float> f = r.getList(1);
      float[] v = new float[f.size()];
      for (int j = 0; j < v.length; j++) {
        v[j] = f.get(j);
      }
      out[r.getInt(0)] = v;
    }
    return out;
  }

  private static Quality evaluate(Map<Integer, Integer> heldOut, Map<Integer, int[]> negatives,
      float[][] users, float[][] items) {
    double hits = 0;
    double ndcg = 0;
    int n = 0;
    int missing = 0;
    for (Map.Entry<Integer, Integer> e : heldOut.entrySet()) {
      int u = e.getKey();
      float[] uf = u < users.length ? users[u] : null;
      int pos = e.getValue();
      if (pos >= items.length || items[pos] == null) {
        missing++;
      }
      // A user or item without factors (never seen in training) scores 0.
      double ps = score(uf, pos, items);
      int rankOfPos = 0;
      for (int neg : negatives.get(u)) {
        if (score(uf, neg, items) >= ps) {
          rankOfPos++;
        }
      }
      if (rankOfPos < K) {
        hits++;
        ndcg += 1.0 / (Math.log(rankOfPos + 2) / Math.log(2));
      }
      n++;
    }
    return new Quality(hits / n, ndcg / n, n, missing);
  }

  private static double score(float[] uf, int item, float[][] items) {
    float[] itf = item < items.length ? items[item] : null;
    if (uf == null || itf == null) {
      return 0.0;
    }
    double s = 0;
    for (int j = 0; j < uf.length; j++) {
      s += (double) uf[j] * itf[j];
    }
    return s;
  }

  private static Map<Integer, Integer> readTest(Path file) throws IOException {
    Map<Integer, Integer> out = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t");
        if (out.put(Integer.parseInt(f[0]), Integer.parseInt(f[1])) != null) {
          fail(file + ": more than one held-out item for user " + f[0]);
        }
      }
    }
    return out;
  }

  private static Map<Integer, int[]> readNegatives(Path file, Map<Integer, Integer> heldOut)
      throws IOException {
    Map<Integer, int[]> out = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.strip().split("\t");
        String[] pair = f[0].substring(1, f[0].length() - 1).split(",");
        int u = Integer.parseInt(pair[0].strip());
        int i = Integer.parseInt(pair[1].strip());
        if (!Integer.valueOf(i).equals(heldOut.get(u))) {
          fail(file + ": (" + u + "," + i + ") does not match the held-out item of the test file");
        }
        int[] negs = new int[f.length - 1];
        for (int j = 1; j < f.length; j++) {
          negs[j - 1] = Integer.parseInt(f[j].strip());
        }
        out.put(u, negs);
      }
    }
    if (!out.keySet().equals(heldOut.keySet())) {
      fail(file + ": users differ from the test file");
    }
    return out;
  }

  /**
   * The BLAS that Spark's ALS normal equations use (its "native" BLAS: JNIBLAS when a system
   * libblas.so.3 loads, else the pure-Java VectorBLAS/F2jBLAS fallback).
   */
  private static String blasName() {
    try {
      return org.apache.spark.ml.linalg.BLAS$.MODULE$.nativeBLAS().getClass().getSimpleName();
    } catch (Throwable t) {
      return "unknown";
    }
  }

  /** Root WARN (Hadoop ERROR) to stderr, installed before Spark so it keeps this configuration. */
  private static void quietLogging() {
    ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
    b.setStatusLevel(Level.ERROR);
    b.add(b.newAppender("stderr", "Console")
        .addAttribute("target", ConsoleAppender.Target.SYSTEM_ERR)
        .add(b.newLayout("PatternLayout").addAttribute("pattern", "%d{HH:mm:ss} %p %c{1}: %m%n%ex")));
    b.add(b.newLogger("org.apache.hadoop", Level.ERROR));
    b.add(b.newRootLogger(Level.WARN).add(b.newAppenderRef("stderr")));
    Configurator.reconfigure(b.build());
  }

  private static void field(StringBuilder json, String name, Object value) {
    json.append('"').append(name).append("\":");
    if (value == null) {
      json.append("null");
    } else if (value instanceof String s) {
      json.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    } else if (value instanceof Double d) {
      json.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.6g", d));
    } else {
      json.append(value);
    }
    json.append(',');
  }

  private static void usage() {
    System.out.println("""
        Usage: spark-als-bench.sh [--data DIR] [--rank 64] [--iterations 10] [--reg 0.01]
                                  [--alpha 1.0] [--threads 2] [--seed 1]
        Spark MLlib implicit ALS on MovieLens-1M (NCF split): seconds per iteration, HR@10, NDCG@10.
        --data defaults to ../shared/data/ml-1m-ncf relative to the repository root.""");
  }

  private static void fail(String message) {
    System.err.println("spark-als-bench: " + message);
    System.exit(64);
  }
}
