package org.totalrecall.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.totalrecall.ann.HnswRetriever;
import org.totalrecall.ann.IndexDirectory;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.retrieval.Retriever;

/**
 * {@code recommend-all} (u2i) and {@code audience-all} (i2u with TotalRecall's per-user cap, sec.
 * 3.6) as Spark jobs, exact search. The model file is shipped to the executors with {@code
 * SparkContext.addFile} and read once per executor JVM; the user table is cut into blocks of
 * {@value #BLOCK} users, one task per block, and each task scores its users against every item with
 * the core's SIMD kernels ({@link Retriever#forEachTopK}, training items excluded as in the CLI),
 * so the broadcast table is the item table and nothing but the result rows is shuffled.
 *
 * <p>{@code audience-all} inverts the per-user top-K with a window per item (score descending, then
 * the smaller user index, the CLI's {@code AudienceInversion} order) and keeps the first N, so no
 * user is in more than K audiences. The rows carry the external ids and φ, as the CLI writes them.
 */
public final class BatchRetrieval {
  /** Users per task. */
  static final int BLOCK = 4096;

  private static final ConcurrentHashMap<String, FactorModel> MODELS = new ConcurrentHashMap<>();

  private BatchRetrieval() {}

  /** user, item, score (φ), rank from 1, and the user's dense index. */
  static final StructType ROWS =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("user", DataTypes.StringType, false),
              DataTypes.createStructField("item", DataTypes.StringType, false),
              DataTypes.createStructField("score", DataTypes.FloatType, false),
              DataTypes.createStructField("rank", DataTypes.IntegerType, false),
              DataTypes.createStructField("userIndex", DataTypes.IntegerType, false)));

  /**
   * Every user's top-k items: columns {@code user, item, score, rank} (rank from 1), training items
   * excluded unless {@code includeSeen}.
   */
  public static Dataset<Row> recommendAll(
      SparkSession spark, Path model, int k, boolean includeSeen) throws IOException {
    return recommendAll(spark, model, null, k, includeSeen);
  }

  /**
   * Searching through an HNSW index of the model rather than exactly: the directory {@code
   * ./totalrecall index} wrote for the model file (its u2i graph, over the items), searched with
   * {@code ef} candidates.
   */
  public record Index(Path dir, int ef) {
    public Index {
      org.totalrecall.util.Checks.notNull("dir", dir);
      if (ef <= 0) {
        throw new IllegalArgumentException("--ef must be > 0, got " + ef);
      }
    }
  }

  /**
   * {@link #recommendAll(SparkSession, Path, int, boolean)} through {@code index} (exact if null).
   */
  public static Dataset<Row> recommendAll(
      SparkSession spark, Path model, Index index, int k, boolean includeSeen) throws IOException {
    return topK(spark, model, index, k, includeSeen).drop("userIndex");
  }

  /**
   * The audience of every item, capped per user: each user's top {@code perUser} items inverted,
   * each item keeping its best {@code perItem} users; columns {@code item, user, score, rank}.
   */
  public static Dataset<Row> audienceAll(
      SparkSession spark, Path model, int perUser, int perItem, boolean includeSeen)
      throws IOException {
    return audienceAll(spark, model, null, perUser, perItem, includeSeen);
  }

  /**
   * {@link #audienceAll(SparkSession, Path, int, int, boolean)} with each user's top items found
   * through {@code index} (exact if null).
   */
  public static Dataset<Row> audienceAll(
      SparkSession spark, Path model, Index index, int perUser, int perItem, boolean includeSeen)
      throws IOException {
    Dataset<Row> pairs = topK(spark, model, index, perUser, includeSeen);
    return pairs
        .withColumn(
            "r",
            row_number()
                .over(
                    Window.partitionBy("item")
                        .orderBy(col("score").desc(), col("userIndex").asc())))
        .filter(col("r").leq(perItem))
        .select(col("item"), col("user"), col("score"), col("r").as("rank"));
  }

  private static Dataset<Row> topK(
      SparkSession spark, Path model, Index index, int k, boolean includeSeen) throws IOException {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be > 0, got " + k);
    }
    // the driver checks the file and learns the sizes; the tables are read on the executors only
    ModelFormat.Shape shape = ModelFormat.readShape(model);
    String file = model.toAbsolutePath().toString();
    spark.sparkContext().addFile(file);
    String name = model.getFileName().toString();
    String indexName = null;
    int ef = 0;
    if (index != null) {
      if (!IndexDirectory.directionsFor(index.dir(), model).contains("u2i")) {
        throw new IllegalArgumentException(
            index.dir()
                + ": holds no u2i graph (over the items); build one with ./totalrecall index"
                + " --direction u2i");
      }
      Path dir = index.dir().toAbsolutePath();
      spark.sparkContext().addFile(dir.toString(), true);
      indexName = dir.getFileName().toString();
      ef = index.ef();
    }
    String shippedIndex = indexName;
    int searchEf = ef;
    int users = shape.numUsers();
    int blocks = (users + BLOCK - 1) / BLOCK;
    List<Integer> ids = new ArrayList<>(blocks);
    for (int b = 0; b < blocks; b++) {
      ids.add(b);
    }
    int partitions = Math.max(1, Math.min(blocks, spark.sparkContext().defaultParallelism() * 4));
    Dataset<Integer> blockIds = spark.createDataset(ids, Encoders.INT()).repartition(partitions);
    MapPartitionsFunction<Integer, Row> score =
        it ->
            new BlockRows(
                load(name), recommender(name, shippedIndex, searchEf), it, k, includeSeen);
    return blockIds.mapPartitions(score, Encoders.row(ROWS));
  }

  /**
   * A partition's rows, one block of users scored at a time: only a block's rows are held, however
   * many users the partition has.
   */
  private static final class BlockRows implements Iterator<Row> {
    private final FactorModel fm;
    private final Iterator<Integer> blocks;
    private final int k;
    private final boolean includeSeen;
    private final Retriever items;
    private final float phi;
    private final List<Row> buffer = new ArrayList<>();
    private int next;

    BlockRows(
        FactorModel fm, Recommender rec, Iterator<Integer> blocks, int k, boolean includeSeen) {
      this.fm = fm;
      this.blocks = blocks;
      this.k = k;
      this.includeSeen = includeSeen;
      this.items = rec.itemRetriever();
      this.phi = rec.phiScale();
    }

    @Override
    public boolean hasNext() {
      while (next == buffer.size() && blocks.hasNext()) {
        buffer.clear();
        next = 0;
        int from = blocks.next() * BLOCK;
        int to = Math.min(fm.numUsers(), from + BLOCK);
        items.forEachTopK(
            fm.retrievalUsers(),
            from,
            to,
            k,
            includeSeen ? null : fm.seen(),
            (u, idx, sc, n) -> {
              String user = fm.userIds().idOf(u);
              for (int r = 0; r < n; r++) {
                buffer.add(
                    RowFactory.create(user, fm.itemIds().idOf(idx[r]), phi * sc[r], r + 1, u));
              }
            });
      }
      return next < buffer.size();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      return buffer.get(next++);
    }
  }

  /**
   * The model's recommender for one task thread: exact, or through the shipped index directory
   * (opened once per JVM and checked against the model there: its checksum and its vectors).
   */
  private static Recommender recommender(String model, String index, int ef) throws IOException {
    FactorModel fm = load(model);
    if (index == null) {
      return new Recommender(fm, 1);
    }
    Path local = Path.of(SparkFiles.get(model));
    String key = local + "@" + Path.of(SparkFiles.get(index)) + "#" + ef;
    HnswRetriever got =
        INDEXES.computeIfAbsent(
            key,
            x -> {
              try {
                IndexDirectory dir =
                    IndexDirectory.open(
                        Path.of(SparkFiles.get(index)),
                        local,
                        fm.retrievalItems(),
                        fm.retrievalUsers());
                return new HnswRetriever(fm.retrievalItems(), dir.items(), ef, 1);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    return new Recommender(fm, 1, got, null);
  }

  private static final ConcurrentHashMap<String, HnswRetriever> INDEXES = new ConcurrentHashMap<>();

  /** The model shipped with addFile, read once per JVM (keyed by its local copy and its time). */
  private static FactorModel load(String name) throws IOException {
    Path local = Path.of(SparkFiles.get(name));
    String key = local + "@" + java.nio.file.Files.getLastModifiedTime(local).toMillis();
    return MODELS.computeIfAbsent(
        key,
        x -> {
          try {
            return ModelFormat.read(local);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
