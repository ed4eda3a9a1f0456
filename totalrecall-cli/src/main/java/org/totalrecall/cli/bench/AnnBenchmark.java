package org.totalrecall.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.totalrecall.ann.HnswIndex;
import org.totalrecall.ann.HnswRetriever;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.retrieval.ExactRetriever;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Retriever;
import org.totalrecall.util.Checks;

/**
 * HNSW against exact search on a model's own vectors (or a synthetic catalogue), for {@code bench
 * ann}: for each direction (u2i: a seeded sample of user vectors as queries over the items; i2u:
 * item vectors over the users), the exact top-10 of every query (the truth), then for each ef the
 * HNSW top-10's recall (|HNSW ∩ exact| / 10, averaged) and queries per second, as batch searches on
 * the same threads; exact search is timed both as a batch (blocked GEMM) and one query at a time
 * (the latency path of a service); plus the graph's size. With a dump directory, the vectors
 * ({@code users.f32}, {@code items.f32}: rows, dim, floats, little-endian) and each direction's
 * query rows ({@code u2i.queries.i32}) are written for the Faiss peer ({@code
 * scripts/faiss-ann.py}). Timings are the median of {@value #RUNS} runs after one warm-up run:
 * meaningful on an otherwise idle machine only. Library code: prints nothing.
 */
public final class AnnBenchmark {
  private static final int K = 10;
  private static final int RUNS = 3;

  private AnnBenchmark() {}

  /**
   * Recall@10 of HNSW against exact search and the queries per second of both, per ef and thread
   * count, in both directions.
   *
   * @param items the u2i index (over the model's retrieval items), or null to skip u2i
   * @param users the i2u index, or null to skip i2u
   * @param queries queries sampled per direction (all rows if fewer)
   * @param efs the ef values to measure
   */
  public static Map<String, Object> run(
      EmbeddingTable userVectors,
      EmbeddingTable itemVectors,
      HnswIndex items,
      HnswIndex users,
      int threads,
      int queries,
      int[] efs,
      long seed,
      java.nio.file.Path dump)
      throws java.io.IOException {
    Checks.positive("threads", threads);
    Checks.positive("queries", queries);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("k", K);
    out.put("threads", threads);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("vectorOps", VectorOps.best().name());
    if (dump != null) {
      java.nio.file.Files.createDirectories(dump);
      writeFloats(dump.resolve("users.f32"), userVectors);
      writeFloats(dump.resolve("items.f32"), itemVectors);
    }
    if (items != null) {
      out.put(
          "u2i",
          direction(userVectors, itemVectors, items, threads, queries, efs, seed, dump, "u2i"));
    }
    if (users != null) {
      out.put(
          "i2u",
          direction(itemVectors, userVectors, users, threads, queries, efs, seed + 1, dump, "i2u"));
    }
    return out;
  }

  private static Map<String, Object> direction(
      EmbeddingTable queryTable,
      EmbeddingTable candidates,
      HnswIndex index,
      int threads,
      int queries,
      int[] efs,
      long seed,
      java.nio.file.Path dump,
      String name)
      throws java.io.IOException {
    int[] rows = sampleRows(queryTable.rows(), queries, seed);
    EmbeddingTable sample = gather(queryTable, rows);
    if (dump != null) {
      try (java.io.DataOutputStream o =
          new java.io.DataOutputStream(
              new java.io.BufferedOutputStream(
                  java.nio.file.Files.newOutputStream(dump.resolve(name + ".queries.i32"))))) {
        for (int r : rows) {
          o.writeInt(Integer.reverseBytes(r)); // little-endian
        }
      }
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("queries", sample.rows());
    d.put("candidates", candidates.rows());
    d.put("dim", candidates.dim());
    d.put("graphBytes", index.graphBytes());
    d.put("vectorBytes", 4L * candidates.rows() * candidates.dim());
    d.put("links", index.links());
    d.put("m", index.m());
    d.put("efConstruction", index.efConstruction());
    ExactRetriever exact = new ExactRetriever(candidates, threads);
    Neighbors[] truth = exact.searchAll(sample, 0, sample.rows(), K, null);
    double exactSeconds = seconds(exact, sample);
    d.put("exact.qps", round(sample.rows() / exactSeconds));
    double oneSeconds = oneAtATimeSeconds(exact, sample, threads);
    d.put("exact.oneAtATime.qps", round(sample.rows() / oneSeconds));
    List<Map<String, Object>> results = new ArrayList<>();
    HnswRetriever hnsw = new HnswRetriever(candidates, index, efs[0], threads);
    for (int ef : efs) {
      HnswRetriever r = hnsw.withEf(ef);
      Neighbors[] found = r.searchAll(sample, 0, sample.rows(), K, null);
      double s = seconds(r, sample);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("ef", ef);
      row.put("recall@10", round(recall(truth, found)));
      row.put("qps", round(sample.rows() / s));
      row.put("speedup", round(exactSeconds / s));
      row.put("speedupOverOneAtATime", round(oneSeconds / s));
      results.add(row);
    }
    d.put("hnsw", results);
    return d;
  }

  /** The median wall time of a batch search of every sample row, after one warm-up run. */
  private static double seconds(Retriever r, EmbeddingTable sample) {
    r.searchAll(sample, 0, sample.rows(), K, null);
    double[] t = new double[RUNS];
    for (int run = 0; run < RUNS; run++) {
      long t0 = System.nanoTime();
      r.searchAll(sample, 0, sample.rows(), K, null);
      t[run] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(t);
    return t[RUNS / 2];
  }

  /** Mean over queries of |found ∩ truth| / |truth|. */
  public static double recall(Neighbors[] truth, Neighbors[] found) {
    double sum = 0;
    int n = 0;
    for (int q = 0; q < truth.length; q++) {
      if (truth[q].size() == 0) {
        continue;
      }
      Set<Integer> t = new HashSet<>();
      for (int idx : truth[q].indices()) {
        t.add(idx);
      }
      int hit = 0;
      for (int idx : found[q].indices()) {
        hit += t.contains(idx) ? 1 : 0;
      }
      sum += hit / (double) t.size();
      n++;
    }
    return n == 0 ? 1 : sum / n;
  }

  /** A seeded sample of n distinct row indices (all rows, in order, if n covers them). */
  private static int[] sampleRows(int total, int n, long seed) {
    int[] rows = new int[total];
    Arrays.setAll(rows, k -> k);
    if (n >= total) {
      return rows;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int k = 0; k < n; k++) {
      int j = k + rng.nextInt(rows.length - k);
      int tmp = rows[k];
      rows[k] = rows[j];
      rows[j] = tmp;
    }
    return Arrays.copyOf(rows, n);
  }

  private static EmbeddingTable gather(EmbeddingTable t, int[] rows) {
    EmbeddingTable s = new EmbeddingTable(rows.length, t.dim());
    for (int k = 0; k < rows.length; k++) {
      System.arraycopy(t.data(), t.offset(rows[k]), s.data(), s.offset(k), t.dim());
    }
    return s;
  }

  /**
   * Exact search one query at a time ({@link Retriever#search}, as a service answers a request),
   * the queries spread over {@code threads} threads: median of {@value #RUNS} runs after a warm-up.
   */
  private static double oneAtATimeSeconds(Retriever r, EmbeddingTable sample, int threads) {
    double[] t = new double[RUNS + 1];
    for (int run = 0; run <= RUNS; run++) {
      long t0 = System.nanoTime();
      java.util.concurrent.atomic.AtomicInteger next =
          new java.util.concurrent.atomic.AtomicInteger();
      Thread[] workers = new Thread[threads];
      for (int w = 0; w < threads; w++) {
        workers[w] =
            new Thread(
                () -> {
                  for (int q = next.getAndIncrement();
                      q < sample.rows();
                      q = next.getAndIncrement()) {
                    r.search(sample.data(), sample.offset(q), K, null, 0, 0);
                  }
                });
        workers[w].start();
      }
      for (Thread w : workers) {
        try {
          w.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      t[run] = (System.nanoTime() - t0) / 1e9;
    }
    double[] measured = Arrays.copyOfRange(t, 1, RUNS + 1);
    Arrays.sort(measured);
    return measured[RUNS / 2];
  }

  /** rows, dim and the floats, little-endian. */
  private static void writeFloats(java.nio.file.Path file, EmbeddingTable t)
      throws java.io.IOException {
    java.nio.ByteBuffer buf =
        java.nio.ByteBuffer.allocate(1 << 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
            java.nio.file.StandardOpenOption.WRITE)) {
      buf.putInt(t.rows()).putInt(t.dim());
      float[] data = t.data();
      for (int k = 0, n = t.rows() * t.dim(); k < n; k++) {
        if (buf.remaining() < 4) {
          buf.flip();
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          buf.clear();
        }
        buf.putFloat(data[k]);
      }
      buf.flip();
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
