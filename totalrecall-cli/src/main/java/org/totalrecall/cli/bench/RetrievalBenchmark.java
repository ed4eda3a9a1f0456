package org.totalrecall.cli.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.ScalarVectorOps;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.retrieval.ExactRetriever;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.util.Checks;

/**
 * Measures the kernels and exact retrieval on this machine, for the {@code bench} command.
 *
 * <ol>
 *   <li>Practical peak: GFLOP/s of {@link VectorOps#gemmAbt} (2·m·n·dim flops per call) on
 *       cache-resident 256 × 256 × 64 blocks, one thread and {@code threads} threads each on its
 *       own blocks, for the active kernels and for the scalar reference.
 *   <li>ML-1M-shaped exact retrieval: seeded Gaussian tables of 6,040 users × 3,706 items, dim 64;
 *       top-10 items for all users (u2i), also excluding ~165 random "seen" items per user (ML-1M's
 *       mean), and top-10 users for all items (i2u), through {@link ExactRetriever#searchAll}:
 *       milliseconds (median of {@value #RUNS} runs after {@value #WARMUP} warm-up runs) and the
 *       achieved GFLOP/s of the scoring, against the measured peak; with {@code threads} threads,
 *       one thread, and the scalar kernels (u2i) for the speed-up.
 * </ol>
 *
 * Takes tens of seconds (the scalar runs dominate). Timings are only meaningful on an otherwise
 * idle machine. Library code: prints nothing.
 */
public final class RetrievalBenchmark {
  private static final int USERS = 6_040;
  private static final int ITEMS = 3_706;
  private static final int DIM = 64;
  private static final int K = 10;
  private static final int SEEN_PER_USER = 165;
  private static final int RUNS = 5;
  private static final int WARMUP = 2;
  private static final int PEAK_BLOCK = 256;
  private static final long PEAK_RUN_MILLIS = 200;
  private static final long WARMUP_MILLIS = 1_500;

  private RetrievalBenchmark() {}

  /**
   * Runs the benchmark and returns its results as an ordered map of plain numbers and strings (keys
   * such as {@code peak.gflops.threads}, {@code u2i.ms}, {@code u2i.gflops}, {@code
   * u2i.fractionOfPeak}, {@code u2i.scalar.speedup}), ready to print or write as JSON.
   *
   * @param threads worker threads for retrieval and the multi-thread peak (> 0)
   * @param seed seed of the random tables
   */
  public static Map<String, Object> run(int threads, long seed) {
    Checks.positive("threads", threads);
    VectorOps ops = VectorOps.best();
    VectorOps scalar = new ScalarVectorOps();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("vectorOps", ops.name());
    out.put("threads", threads);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("java.version", System.getProperty("java.version"));
    out.put("java.vm.name", System.getProperty("java.vm.name"));
    out.put("os.arch", System.getProperty("os.arch"));
    out.put("seed", seed);

    double peak1 = gemmGflops(ops, 1, seed);
    double peakN = threads == 1 ? peak1 : gemmGflops(ops, threads, seed);
    out.put("peak.shape", PEAK_BLOCK + "x" + PEAK_BLOCK + "x" + DIM);
    out.put("peak.gflops.1thread", round(peak1));
    out.put("peak.gflops.threads", round(peakN));
    out.put("peak.scalar.gflops.1thread", round(gemmGflops(scalar, 1, seed)));

    SplittableRandom rng = new SplittableRandom(seed);
    EmbeddingTable users = EmbeddingTable.gaussian(USERS, DIM, 0.1f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(ITEMS, DIM, 0.1f, rng);
    Interactions seen = randomSeen(rng);
    double flops = 2.0 * USERS * ITEMS * DIM;
    out.put("users", USERS);
    out.put("items", ITEMS);
    out.put("dim", DIM);
    out.put("k", K);
    out.put("scoring.gflop", round(flops / 1e9));

    ExactRetriever itemsN = new ExactRetriever(items, threads, ops);
    ExactRetriever items1 = new ExactRetriever(items, 1, ops);
    ExactRetriever usersN = new ExactRetriever(users, threads, ops);
    ExactRetriever users1 = new ExactRetriever(users, 1, ops);
    ExactRetriever itemsScalar = new ExactRetriever(items, threads, scalar);

    Neighbors[][] last = new Neighbors[1][];
    double u2i = medianMillis(() -> last[0] = itemsN.searchAll(users, 0, USERS, K, null));
    Neighbors[] u2iResults = last[0];
    record(out, "u2i", u2i, flops, peakN);
    record(
        out,
        "u2i.1thread",
        medianMillis(() -> items1.searchAll(users, 0, USERS, K, null)),
        flops,
        peak1);
    record(
        out,
        "u2i.excludeSeen",
        medianMillis(() -> itemsN.searchAll(users, 0, USERS, K, seen)),
        flops,
        peakN);
    record(
        out, "i2u", medianMillis(() -> usersN.searchAll(items, 0, ITEMS, K, null)), flops, peakN);
    record(
        out,
        "i2u.1thread",
        medianMillis(() -> users1.searchAll(items, 0, ITEMS, K, null)),
        flops,
        peak1);

    double u2iScalar =
        medianMillis(() -> last[0] = itemsScalar.searchAll(users, 0, USERS, K, null));
    record(out, "u2i.scalar", u2iScalar, flops, peakN);
    out.put("u2i.scalar.speedup", round(u2iScalar / u2i));
    out.put("u2i.agreementWithScalar", round(agreement(u2iResults, last[0])));
    return out;
  }

  private static void record(
      Map<String, Object> out, String key, double millis, double flops, double peak) {
    double gflops = flops / (millis * 1e6);
    out.put(key + ".ms", round(millis));
    out.put(key + ".gflops", round(gflops));
    out.put(key + ".fractionOfPeak", round(gflops / peak));
  }

  /**
   * Median wall time in milliseconds of {@value #RUNS} runs after {@value #WARMUP} warm-up runs.
   */
  private static double medianMillis(Runnable body) {
    for (int w = 0; w < WARMUP; w++) {
      body.run();
    }
    double[] ms = new double[RUNS];
    for (int r = 0; r < RUNS; r++) {
      long t0 = System.nanoTime();
      body.run();
      ms[r] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[RUNS / 2];
  }

  /**
   * GFLOP/s of gemmAbt on {@code threads} threads at once, each repeating the product of its own
   * cache-resident 256 × 64 blocks for {@value #PEAK_RUN_MILLIS} ms; median of {@value #RUNS} runs
   * after {@value #WARMUP_MILLIS} ms of warm-up and one discarded run.
   */
  private static double gemmGflops(VectorOps ops, int threads, long seed) {
    int m = PEAK_BLOCK;
    int n = PEAK_BLOCK;
    float[][] a = new float[threads][];
    float[][] b = new float[threads][];
    float[][] c = new float[threads][];
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5EEDL);
    for (int t = 0; t < threads; t++) {
      a[t] = EmbeddingTable.gaussian(m, DIM, 1f, rng).data();
      b[t] = EmbeddingTable.gaussian(n, DIM, 1f, rng).data();
      c[t] = new float[m * n];
    }
    double flopsPerCall = 2.0 * m * n * DIM;
    // Until C2 has compiled the kernel the Vector API runs interpreted, thousands of times
    // slower: warm up in this thread first (compiled code is shared by all threads).
    long warmDeadline = System.nanoTime() + WARMUP_MILLIS * 1_000_000L;
    do {
      ops.gemmAbt(a[0], 0, m, b[0], 0, n, DIM, c[0], 0, n);
    } while (System.nanoTime() < warmDeadline);
    double[] gflops = new double[RUNS + 1];
    for (int run = 0; run <= RUNS; run++) {
      long[] calls = new long[threads];
      long[] ends = new long[threads];
      CountDownLatch start = new CountDownLatch(1);
      Thread[] pool = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        int id = t;
        pool[t] =
            Thread.ofPlatform()
                .name("bench-gemm-" + t)
                .start(
                    () -> {
                      try {
                        start.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                      }
                      long deadline = System.nanoTime() + PEAK_RUN_MILLIS * 1_000_000L;
                      long count = 0;
                      do {
                        ops.gemmAbt(a[id], 0, m, b[id], 0, n, DIM, c[id], 0, n);
                        count++;
                      } while (System.nanoTime() < deadline);
                      calls[id] = count;
                      ends[id] = System.nanoTime();
                    });
      }
      long t0 = System.nanoTime();
      start.countDown();
      join(pool);
      long end = 0;
      long total = 0;
      for (int t = 0; t < threads; t++) {
        end = Math.max(end, ends[t]);
        total += calls[t];
      }
      gflops[run] = total * flopsPerCall / (end - t0);
    }
    double[] measured = Arrays.copyOfRange(gflops, 1, RUNS + 1); // run 0 warmed up
    Arrays.sort(measured);
    return measured[RUNS / 2];
  }

  private static void join(Thread[] pool) {
    for (Thread t : pool) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("benchmark interrupted", e);
      }
    }
  }

  /** About {@value #SEEN_PER_USER} distinct random items per user, as ML-1M's 1M ratings. */
  private static Interactions randomSeen(SplittableRandom rng) {
    int count = USERS * SEEN_PER_USER;
    int[] u = new int[count];
    int[] i = new int[count];
    for (int p = 0; p < count; p++) {
      u[p] = p / SEEN_PER_USER;
      i[p] = rng.nextInt(ITEMS);
    }
    return Interactions.fromPairs(USERS, ITEMS, u, i, null, null, count);
  }

  /** Fraction of queries whose top-k index lists are identical in both result sets. */
  private static double agreement(Neighbors[] x, Neighbors[] y) {
    int same = 0;
    for (int q = 0; q < x.length; q++) {
      if (Arrays.equals(x[q].indices(), y[q].indices())) {
        same++;
      }
    }
    return (double) same / x.length;
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
