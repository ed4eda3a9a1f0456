package org.totalrecall.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.train.IalsRows;
import org.totalrecall.train.IalsSpec;
import scala.Tuple2;

/**
 * iALS on Spark (Rendle's survey, Algorithm 4; Hu et al. 2008), the way MLlib's ALS distributes it:
 * the users and the items are cut into blocks of consecutive rows, each block holding its rows'
 * interactions (CSR, confidences) in a cached RDD; every half-iteration the driver computes the
 * fixed side's Gramian once ({@link IalsRows#gramian}, the single-machine solver's partition and
 * order) and broadcasts it with the two tables, each task solves its block's rows with the core's
 * row solvers ({@link IalsRows}: CG, iCD or Cholesky), and the driver collects the solved rows.
 * Only the tables and the Gramian travel; the interactions stay where they are.
 *
 * <p>Initialised as {@code Trainer} does (two Gaussian tables split from the seed), and every row
 * is solved from the same inputs as on one machine, so the tables equal the single-machine iALS's
 * up to nothing: the test checks them bit for bit.
 */
public final class DistributedIals {
  private DistributedIals() {}

  /**
   * The run's settings.
   *
   * @param spec iALS's settings (confidence, α0, L2 exponent, row solver)
   * @param dim the width
   * @param l2 λ
   * @param initStd the initial tables' standard deviation
   * @param seed the initialisation seed
   * @param iterations epochs (a user half and an item half each)
   * @param blocks blocks per side (tasks per half-iteration)
   */
  public record Settings(
      IalsSpec spec, int dim, float l2, float initStd, long seed, int iterations, int blocks)
      implements Serializable {}

  /** A block of one side's rows: rows [first, first + rowStart.length − 1) and their partners. */
  @SuppressWarnings(
      "ArrayRecordComponent") // a block of CSR arrays shipped to a task, never compared
  record Block(int first, int[] rowStart, int[] cols, float[] conf) implements Serializable {}

  /** The two tables after training, and the seconds of each iteration. */
  @SuppressWarnings("ArrayRecordComponent") // the run's output, never compared or hashed
  public record Result(EmbeddingTable users, EmbeddingTable items, double[] iterationSeconds) {}

  /**
   * Trains on {@code train} (users × items, weights as the confidences' input), distributing its
   * rows over {@code settings.blocks()} blocks per side.
   */
  public static Result train(SparkSession spark, Interactions train, Settings settings) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<Block> userBlocks = blocks(sc, train, settings).cache();
    JavaRDD<Block> itemBlocks = blocks(sc, train.transpose(), settings).cache();
    userBlocks.count();
    itemBlocks.count();
    SplittableRandom master = new SplittableRandom(settings.seed());
    EmbeddingTable users =
        EmbeddingTable.gaussian(
            train.numUsers(), settings.dim(), settings.initStd(), master.split());
    EmbeddingTable items =
        EmbeddingTable.gaussian(
            train.numItems(), settings.dim(), settings.initStd(), master.split());
    VectorOps ops = VectorOps.best();
    float[] gram = new float[settings.dim() * settings.dim()];
    double[] seconds = new double[settings.iterations()];
    for (int it = 0; it < settings.iterations(); it++) {
      long t0 = System.nanoTime();
      IalsRows.gramian(items, gram, ops);
      half(sc, userBlocks, users, items, gram, settings);
      IalsRows.gramian(users, gram, ops);
      half(sc, itemBlocks, items, users, gram, settings);
      seconds[it] = (System.nanoTime() - t0) / 1e9;
    }
    userBlocks.unpersist();
    itemBlocks.unpersist();
    return new Result(users, items, seconds);
  }

  /**
   * One half-iteration: every row of {@code target} solved against {@code fixed} on the cluster.
   */
  private static void half(
      JavaSparkContext sc,
      JavaRDD<Block> blocks,
      EmbeddingTable target,
      EmbeddingTable fixed,
      float[] gram,
      Settings s) {
    Broadcast<float[]> t = sc.broadcast(target.data());
    Broadcast<float[]> f = sc.broadcast(fixed.data());
    Broadcast<float[]> g = sc.broadcast(gram.clone());
    int targetRows = target.rows();
    int fixedRows = fixed.rows();
    List<Tuple2<Integer, float[]>> solved =
        blocks
            .map(
                b -> {
                  int d = s.dim();
                  int n = b.rowStart().length - 1;
                  float[] mine = Arrays.copyOfRange(t.value(), b.first() * d, (b.first() + n) * d);
                  EmbeddingTable rows = new EmbeddingTable(n, d, mine);
                  EmbeddingTable other = new EmbeddingTable(fixedRows, d, f.value());
                  int longest = 0;
                  for (int r = 0; r < n; r++) {
                    longest = Math.max(longest, b.rowStart()[r + 1] - b.rowStart()[r]);
                  }
                  IalsRows solver = new IalsRows(s.spec(), s.l2(), d, VectorOps.best());
                  IalsRows.Scratch scratch = new IalsRows.Scratch(d, longest);
                  for (int r = 0; r < n; r++) {
                    solver.solve(
                        rows,
                        r,
                        other,
                        b.cols(),
                        b.conf(),
                        b.rowStart()[r],
                        b.rowStart()[r + 1],
                        g.value(),
                        scratch);
                  }
                  return new Tuple2<>(b.first(), mine);
                })
            .collect();
    float[] data = target.data();
    for (Tuple2<Integer, float[]> r : solved) {
      System.arraycopy(r._2(), 0, data, r._1() * s.dim(), r._2().length);
    }
    t.destroy();
    f.destroy();
    g.destroy();
    if (targetRows * s.dim() != data.length) {
      throw new IllegalStateException("table size changed");
    }
  }

  /** The rows of {@code m} cut into blocks of consecutive rows, with the confidences of iALS. */
  private static JavaRDD<Block> blocks(JavaSparkContext sc, Interactions m, Settings s) {
    float[] conf = IalsRows.confidences(m, s.spec());
    int rows = m.numRows();
    int n = Math.max(1, Math.min(s.blocks(), rows));
    int per = (rows + n - 1) / n;
    List<Block> out = new ArrayList<>(n);
    for (int first = 0; first < rows; first += per) {
      int last = Math.min(rows, first + per);
      int from = m.start(first);
      int to = m.start(last - 1) + m.rowLength(last - 1);
      int[] rowStart = new int[last - first + 1];
      for (int r = first; r < last; r++) {
        rowStart[r - first + 1] = m.end(r) - from;
      }
      out.add(
          new Block(
              first,
              rowStart,
              Arrays.copyOfRange(m.cols(), from, to),
              Arrays.copyOfRange(conf, from, to)));
    }
    return sc.parallelize(out, out.size());
  }

  /** What the model file records about a run of this trainer. */
  public static Map<String, Object> metadata(Settings s, Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trainer", "spark-ials");
    m.put("objective", "IALS");
    m.put("dim", s.dim());
    m.put("l2", s.l2());
    m.put("iterations", s.iterations());
    m.put("blocks", s.blocks());
    m.put("seed", s.seed());
    m.put("ials", s.spec().toString());
    m.put("iterationSeconds", Arrays.toString(r.iterationSeconds()));
    return m;
  }
}
