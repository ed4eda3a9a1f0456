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

/**
 * iALS on Spark (Rendle's survey, Algorithm 4; Hu et al. 2008), the way MLlib's ALS distributes it:
 * the users and the items are cut into blocks of consecutive rows, each block holding its rows'
 * interactions (CSR, confidences) in a cached RDD; every half-iteration the driver computes the
 * fixed side's Gramian once ({@link IalsRows#gramian}, the single-machine solver's partition and
 * order) and broadcasts it with the fixed table, each task receives its block's current rows (the
 * warm start of CG) and solves them with the core's row solvers ({@link IalsRows}: CG, iCD or
 * Cholesky), and the driver collects the solved rows in waves that stay well within {@code
 * spark.driver.maxResultSize}. Only the tables and the Gramian travel; the interactions stay where
 * they are.
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
    Side userBlocks = blocks(sc, train, settings);
    Side itemBlocks = blocks(sc, train.transpose(), settings);
    userBlocks.blocks().count();
    itemBlocks.blocks().count();
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
    userBlocks.blocks().unpersist();
    itemBlocks.blocks().unpersist();
    return new Result(users, items, seconds);
  }

  /**
   * One half-iteration: every row of {@code target} solved against {@code fixed} on the cluster.
   * Only the fixed table and the Gramian are broadcast; each block's current rows (CG's warm start)
   * travel with its task, and the solved rows come back in waves of tasks whose results fit well
   * within {@code spark.driver.maxResultSize}, each wave copied into {@code target} as it arrives,
   * so the driver never holds more than the two tables and one wave.
   */
  private static void half(
      JavaSparkContext sc,
      Side side,
      EmbeddingTable target,
      EmbeddingTable fixed,
      float[] gram,
      Settings s) {
    int d = s.dim();
    Broadcast<float[]> f = sc.broadcast(fixed.data());
    Broadcast<float[]> g = sc.broadcast(gram.clone());
    int fixedRows = fixed.rows();
    int blocks = side.first().length;
    List<float[]> current = new ArrayList<>(blocks);
    for (int b = 0; b < blocks; b++) {
      int first = side.first()[b];
      current.add(Arrays.copyOfRange(target.data(), first * d, (first + side.rows()[b]) * d));
    }
    JavaRDD<float[]> rows = sc.parallelize(current, blocks); // held until the half is done
    JavaRDD<float[]> solved =
        side.blocks()
            .zipPartitions(
                rows,
                (bs, rs) -> {
                  List<float[]> out = new ArrayList<>(1);
                  while (bs.hasNext()) {
                    out.add(solveBlock(bs.next(), rs.next(), f.value(), fixedRows, g.value(), s));
                  }
                  return out.iterator();
                });
    float[] data = target.data();
    for (int[] wave : waves(side.rows(), d, sc)) {
      List<float[]>[] parts = solved.collectPartitions(wave);
      for (int w = 0; w < wave.length; w++) {
        float[] r = parts[w].get(0);
        System.arraycopy(r, 0, data, side.first()[wave[w]] * d, r.length);
      }
    }
    f.destroy();
    g.destroy();
  }

  /** Solves a block's rows in place in {@code mine} (its rows of the target table). */
  private static float[] solveBlock(
      Block b, float[] mine, float[] fixedData, int fixedRows, float[] gram, Settings s) {
    int d = s.dim();
    int n = b.rowStart().length - 1;
    EmbeddingTable rows = new EmbeddingTable(n, d, mine);
    EmbeddingTable other = new EmbeddingTable(fixedRows, d, fixedData);
    int longest = 0;
    for (int r = 0; r < n; r++) {
      longest = Math.max(longest, b.rowStart()[r + 1] - b.rowStart()[r]);
    }
    IalsRows solver = new IalsRows(s.spec(), s.l2(), d, VectorOps.best());
    IalsRows.Scratch scratch = new IalsRows.Scratch(d, longest);
    for (int r = 0; r < n; r++) {
      solver.solve(
          rows, r, other, b.cols(), b.conf(), b.rowStart()[r], b.rowStart()[r + 1], gram, scratch);
    }
    return mine;
  }

  /**
   * Partition indices in groups to collect at once: at least one task per core in a group, and a
   * group's results at most a quarter of {@code spark.driver.maxResultSize} (or 256 MB).
   */
  static List<int[]> waves(int[] rowsPerBlock, int dim, JavaSparkContext sc) {
    long limit = sc.getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
    long budget = limit <= 0 ? 256L << 20 : Math.min(256L << 20, limit / 4);
    return waves(rowsPerBlock, dim, Math.max(1, sc.defaultParallelism()), budget);
  }

  /** The waves for {@code cores} task slots and a wave's result budget in bytes. */
  static List<int[]> waves(int[] rowsPerBlock, int dim, int cores, long budget) {
    List<int[]> waves = new ArrayList<>();
    List<Integer> wave = new ArrayList<>();
    long bytes = 0;
    for (int p = 0; p < rowsPerBlock.length; p++) {
      long b = (long) rowsPerBlock[p] * dim * Float.BYTES;
      if (wave.size() >= cores && bytes + b > budget) {
        waves.add(wave.stream().mapToInt(Integer::intValue).toArray());
        wave.clear();
        bytes = 0;
      }
      wave.add(p);
      bytes += b;
    }
    if (!wave.isEmpty()) {
      waves.add(wave.stream().mapToInt(Integer::intValue).toArray());
    }
    return waves;
  }

  /**
   * One side's blocks, cached on the executors, and each block's first row and row count (the
   * driver's plan for shipping the current rows and placing the solved ones).
   */
  @SuppressWarnings("ArrayRecordComponent") // the driver's plan of a run, never compared
  record Side(JavaRDD<Block> blocks, int[] first, int[] rows) {}

  /** The rows of {@code m} cut into blocks of consecutive rows, with the confidences of iALS. */
  private static Side blocks(JavaSparkContext sc, Interactions m, Settings s) {
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
    int[] first = new int[out.size()];
    int[] count = new int[out.size()];
    for (int b = 0; b < out.size(); b++) {
      first[b] = out.get(b).first();
      count[b] = out.get(b).rowStart().length - 1;
    }
    return new Side(sc.parallelize(out, out.size()).cache(), first, count);
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
