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
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.ExactRetriever;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Retriever;
import org.totalrecall.util.Checks;

/**
 * HNSW against exact search on a model's own vectors, for {@code bench ann}: for each direction
 * (u2i: a seeded sample of user vectors as queries over the items; i2u: item vectors over the
 * users), the exact top-10 of every query (the truth), then for each ef the HNSW top-10's recall
 * (|HNSW ∩ exact| / 10, averaged) and queries per second, both as batch searches on the same
 * threads; plus the index's build time and graph size. Timings are the median of
 * {@value #RUNS} runs after one warm-up run: meaningful on an otherwise idle machine only.
 * Library code: prints nothing.
 */
public final class AnnBenchmark {
  private static final int K = 10;
  private static final int RUNS = 3;

  private AnnBenchmark() {}

  /**
   * @param items the u2i index (over the model's retrieval items), or null to skip u2i
   * @param users the i2u index, or null to skip i2u
   * @param queries queries sampled per direction (all rows if fewer)
   * @param efs the ef values to measure
   */
  public static Map<String, Object> run(FactorModel model, HnswIndex items, HnswIndex users, int threads, int queries,
      int[] efs, long seed) {
    Checks.positive("threads", threads);
    Checks.positive("queries", queries);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("k", K);
    out.put("threads", threads);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("vectorOps", VectorOps.best().name());
    if (items != null) {
      out.put("u2i", direction(model.retrievalUsers(), model.retrievalItems(), items, threads, queries, efs, seed));
    }
    if (users != null) {
      out.put("i2u", direction(model.retrievalItems(), model.retrievalUsers(), users, threads, queries, efs, seed + 1));
    }
    return out;
  }

  private static Map<String, Object> direction(EmbeddingTable queryTable, EmbeddingTable candidates, HnswIndex index,
      int threads, int queries, int[] efs, long seed) {
    EmbeddingTable sample = sample(queryTable, queries, seed);
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
    List<Map<String, Object>> rows = new ArrayList<>();
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
      rows.add(row);
    }
    d.put("hnsw", rows);
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

  /** A seeded sample of n distinct rows (all rows, in order, if n covers them). */
  private static EmbeddingTable sample(EmbeddingTable t, int n, long seed) {
    if (n >= t.rows()) {
      return t;
    }
    int[] rows = new int[t.rows()];
    Arrays.setAll(rows, k -> k);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int k = 0; k < n; k++) {
      int j = k + rng.nextInt(rows.length - k);
      int tmp = rows[k];
      rows[k] = rows[j];
      rows[j] = tmp;
    }
    EmbeddingTable s = new EmbeddingTable(n, t.dim());
    for (int k = 0; k < n; k++) {
      System.arraycopy(t.data(), t.offset(rows[k]), s.data(), s.offset(k), t.dim());
    }
    return s;
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
