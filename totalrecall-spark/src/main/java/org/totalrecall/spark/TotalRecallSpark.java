package org.totalrecall.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;
import org.totalrecall.train.IalsSpec;
import org.totalrecall.train.ModelSpec;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.util.Checks;

/**
 * The module's Java API, for notebooks and pipelines: the jobs of {@link SparkMain} as calls on
 * DataFrames and model files.
 *
 * <pre>{@code
 * Dataset<Row> log = spark.read().parquet("warehouse/clicks");
 * FactorModel model =
 *     TotalRecallSpark.train(log, Prepare.Options.of("user_id", "sku"), TotalRecallSpark.ials(64, 10));
 * ModelFormat.write(model, Path.of("clicks.trm"));          // the CLI serves it
 * TotalRecallSpark.audienceAll(spark, Path.of("clicks.trm"), 10, 1000)
 *     .write().parquet("warehouse/audiences");
 * }</pre>
 */
public final class TotalRecallSpark {
  private TotalRecallSpark() {}

  /**
   * How to train: iALS by blocks ({@link DistributedIals}) or averaging ({@link ModelAveraging}).
   */
  public sealed interface Method permits Ials, Averaged {}

  /**
   * iALS distributed as MLlib's ALS.
   *
   * @param settings the run; {@code blocks} 0 means 4 × the default parallelism
   */
  public record Ials(DistributedIals.Settings settings) implements Method {
    public Ials {
      Checks.notNull("settings", settings);
    }
  }

  /**
   * A gradient method (Bi-InfoNCE, sampled softmax, BPR, ...) trained data-parallel with the tables
   * averaged every epoch.
   *
   * @param config the single-machine configuration (its epochs are the rounds)
   * @param shards data-parallel shards; 0 means the default parallelism
   */
  public record Averaged(TrainConfig config, int shards) implements Method {
    public Averaged {
      Checks.notNull("config", config);
      if (shards < 0) {
        throw new IllegalArgumentException("shards must be >= 0, got " + shards);
      }
    }
  }

  /**
   * iALS with the CLI's defaults (its {@code --objective ials} settings, λ 0.01, initial std 0.1,
   * seed 1), {@code dim} wide, for {@code iterations} iterations.
   */
  public static Ials ials(int dim, int iterations) {
    IalsSpec spec = IalsSpec.defaults();
    return new Ials(new DistributedIals.Settings(spec, dim, 0.01f, 0.1f, 1L, iterations, 0));
  }

  /** Prepares {@code log} ({@link Prepare#prepare}) and trains on all its rows. */
  public static FactorModel train(Dataset<Row> log, Prepare.Options options, Method method) {
    return train(Prepare.prepare(log, options), method);
  }

  /**
   * Trains on prepared rows (the rows marked {@code train} when they have a {@code part} column,
   * else all); the model carries the preparation's ids and its training rows as the seen items.
   */
  public static FactorModel train(Prepare.Prepared prepared, Method method) {
    Dataset<Row> rows = prepared.interactions();
    if (java.util.List.of(rows.columns()).contains("part")) {
      rows = rows.filter("part = 'train'");
    }
    Interactions train = collect(rows, prepared.users().size(), prepared.items().size());
    return train(rows.sparkSession(), train, prepared.users(), prepared.items(), method, Map.of());
  }

  /**
   * Trains on {@code train} (dense indices of {@code users} × {@code items}) and returns the model
   * with {@code extra} added to its metadata.
   */
  public static FactorModel train(
      SparkSession spark,
      Interactions train,
      IdIndex users,
      IdIndex items,
      Method method,
      Map<String, Object> extra) {
    int parallelism = spark.sparkContext().defaultParallelism();
    Map<String, Object> meta = new LinkedHashMap<>();
    FactorModel model =
        switch (method) {
          case Ials(DistributedIals.Settings given) -> {
            DistributedIals.Settings s =
                given.blocks() > 0
                    ? given
                    : new DistributedIals.Settings(
                        given.spec(),
                        given.dim(),
                        given.l2(),
                        given.initStd(),
                        given.seed(),
                        given.iterations(),
                        4 * parallelism);
            yield ialsModel(s, DistributedIals.train(spark, train, s), train, users, items, extra);
          }
          case Averaged(TrainConfig config, int given) -> {
            int shards = given > 0 ? given : parallelism;
            ModelAveraging.Result r = ModelAveraging.train(spark, train, config, shards);
            meta.putAll(ModelAveraging.metadata(config, shards, r));
            meta.put("objective", config.objective().name());
            meta.putAll(extra);
            yield new FactorModel(r.users(), r.items(), users, items, r.scorer(), meta, train);
          }
        };
    return model;
  }

  /**
   * The model of an iALS run: its tables, the ids, the training rows as seen items, and metadata
   * naming the trainer and the single-machine configuration it equals, with {@code extra} added.
   */
  static FactorModel ialsModel(
      DistributedIals.Settings s,
      DistributedIals.Result r,
      Interactions train,
      IdIndex users,
      IdIndex items,
      Map<String, Object> extra) {
    Map<String, Object> meta = new LinkedHashMap<>(DistributedIals.metadata(s, r));
    meta.put("config", ialsConfig(s).toMap());
    meta.putAll(extra);
    return new FactorModel(r.users(), r.items(), users, items, Scorer.dot(), meta, train);
  }

  private static TrainConfig ialsConfig(DistributedIals.Settings s) {
    return TrainConfig.defaults()
        .withModel(new ModelSpec(s.dim(), Scorer.Kind.DOT, 1f, s.initStd()))
        .withMethod(s.spec(), s.spec().defaultSamplerSpec())
        .withEpochs(s.iterations())
        .withL2(s.l2())
        .withSeed(s.seed());
  }

  /**
   * The columns {@code user}, {@code item} (dense indices) and {@code weight} of {@code rows}
   * brought to the driver as a CSR matrix, streamed a partition at a time into primitive arrays.
   */
  public static Interactions collect(Dataset<Row> rows, int numUsers, int numItems) {
    long count = rows.count();
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "too many interactions for one table: " + count + " (at most " + Integer.MAX_VALUE + ")");
    }
    int n = (int) count;
    int[] u = new int[n];
    int[] i = new int[n];
    float[] w = new float[n];
    int k = 0;
    Iterator<Row> it = rows.select("user", "item", "weight").toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      if (k == n) {
        throw new IllegalStateException("the rows changed while being read (more than " + n + ")");
      }
      u[k] = r.getInt(0);
      i[k] = r.getInt(1);
      w[k] = r.getFloat(2);
      k++;
    }
    if (k != n) {
      throw new IllegalStateException("the rows changed while being read (" + k + " of " + n + ")");
    }
    return Interactions.fromPairs(numUsers, numItems, u, i, w, null, n);
  }

  /** Every user's top-k items, exact ({@link BatchRetrieval#recommendAll}), training items out. */
  public static Dataset<Row> recommendAll(SparkSession spark, Path model, int k)
      throws IOException {
    return BatchRetrieval.recommendAll(spark, model, k, false);
  }

  /**
   * Every item's audience with TotalRecall's per-user cap ({@link BatchRetrieval#audienceAll}),
   * training items out.
   */
  public static Dataset<Row> audienceAll(SparkSession spark, Path model, int perUser, int perItem)
      throws IOException {
    return BatchRetrieval.audienceAll(spark, model, perUser, perItem, false);
  }
}
