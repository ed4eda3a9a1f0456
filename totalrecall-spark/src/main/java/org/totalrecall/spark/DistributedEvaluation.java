package org.totalrecall.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.LoadOptions;
import org.totalrecall.eval.EvalOptions;
import org.totalrecall.eval.EvaluationResult;
import org.totalrecall.eval.Evaluator;
import org.totalrecall.eval.LeakageCheck;
import org.totalrecall.eval.Protocol;
import org.totalrecall.eval.ProtocolOptions;
import org.totalrecall.eval.ProtocolSplit;
import org.totalrecall.eval.Protocols;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;

/**
 * The full-ranking (or sampled) metrics of PROTOCOLS.md computed on the cluster: the query list is
 * cut into {@code parts} slices, one task each ({@link Evaluator#evaluatePart}, the core's kernels
 * on one thread), and the driver merges the slices' sums and distinct sets ({@link
 * Evaluator#combine}): the metrics of the single-machine {@code evaluate}, up to the order of the
 * floating-point sums. The model file and the data set are shipped with {@code addFile} and the
 * split is rebuilt from the seed on each executor (once per JVM), exactly as {@code evaluate}
 * rebuilds it; the leakage check runs on the driver. {@code pums-group} ranks users for each item
 * group with the options' aggregation; its genre file is the one beside the data (a data file's
 * directory is shipped with it), or the options' categories file, which every executor must then be
 * able to read.
 */
public final class DistributedEvaluation {
  private static final ConcurrentHashMap<String, Object[]> CACHE = new ConcurrentHashMap<>();

  private DistributedEvaluation() {}

  /**
   * Evaluates {@code model} on {@code protocol}'s split of {@code data} (split seed and options as
   * given; use the model's recorded ones to evaluate what it was trained for).
   *
   * @param parts query slices (tasks); 0 for 4 × the default parallelism
   */
  public static EvaluationResult evaluate(
      SparkSession spark,
      Path model,
      Path data,
      Protocol protocol,
      ProtocolOptions options,
      EvalOptions evalOptions,
      int parts)
      throws IOException {
    FactorModel m = ModelFormat.read(model);
    ProtocolSplit split =
        Protocols.split(protocol, DataLoader.load(data, null, LoadOptions.defaults()), options);
    LeakageCheck.check(m, split);
    spark.sparkContext().addFile(model.toAbsolutePath().toString());
    // pums-group finds the genres (movies.dat) beside a data file: ship its directory then
    Path absolute = data.toAbsolutePath();
    boolean withSiblings =
        protocol == Protocol.PUMS_GROUP && !Files.isDirectory(data) && absolute.getParent() != null;
    Path shipped = withSiblings ? absolute.getParent() : absolute;
    spark.sparkContext().addFile(shipped.toString(), Files.isDirectory(shipped));
    String modelName = model.getFileName().toString();
    String dataName =
        withSiblings
            ? shipped.getFileName() + "/" + absolute.getFileName()
            : absolute.getFileName().toString();
    int n = parts > 0 ? parts : 4 * spark.sparkContext().defaultParallelism();
    List<Integer> ids = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      ids.add(p);
    }
    if (evalOptions.categories() != null) {
      throw new IllegalArgumentException(
          "DistinctCategories is not distributed yet: evaluate without categories");
    }
    // what the tasks need, as serializable values: the options records hold no Spark-safe types
    ArrayList<Integer> cutoffs = new ArrayList<>(evalOptions.cutoffs());
    EvalOptions.Variant variant = evalOptions.variant();
    EvalOptions.PopularitySource popularity = evalOptions.popularity();
    int maxQueries = evalOptions.maxQueries();
    org.totalrecall.retrieval.Aggregation aggregation = evalOptions.aggregation();
    java.util.HashMap<String, Object> protocolOptions = new java.util.HashMap<>(options.toMap());
    MapFunction<Integer, Evaluator.Part> part =
        p -> {
          Object[] ms =
              load(modelName, dataName, protocol, ProtocolOptions.fromMap(protocolOptions));
          EvalOptions one =
              EvalOptions.defaults()
                  .withCutoffs(cutoffs)
                  .withVariant(variant)
                  .withPopularity(popularity)
                  .withMaxQueries(maxQueries)
                  .withAggregation(aggregation)
                  .withThreads(1);
          return Evaluator.evaluatePart((FactorModel) ms[0], (ProtocolSplit) ms[1], one, p, n);
        };
    Dataset<Evaluator.Part> done =
        spark
            .createDataset(ids, Encoders.INT())
            .repartition(n)
            .map(part, Encoders.javaSerialization(Evaluator.Part.class));
    List<Evaluator.Part> results = done.collectAsList();
    return Evaluator.combine(split, results);
  }

  /** The model and the split on an executor, built once per JVM. */
  private static Object[] load(
      String modelName, String dataName, Protocol protocol, ProtocolOptions options)
      throws IOException {
    Path modelFile = Path.of(SparkFiles.get(modelName));
    Path dataPath =
        dataName.contains("/")
            ? Path.of(SparkFiles.get(dataName.substring(0, dataName.indexOf('/'))))
                .resolve(dataName.substring(dataName.indexOf('/') + 1))
            : Path.of(SparkFiles.get(dataName));
    String key =
        modelFile
            + "@"
            + Files.getLastModifiedTime(modelFile).toMillis()
            + "|"
            + dataPath
            + "|"
            + protocol
            + "|"
            + options.toMap();
    return CACHE.computeIfAbsent(
        key,
        k -> {
          try {
            FactorModel m = ModelFormat.read(modelFile);
            ProtocolSplit s =
                Protocols.split(
                    protocol, DataLoader.load(dataPath, null, LoadOptions.defaults()), options);
            return new Object[] {m, s};
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
