package org.totalrecall.retrieval;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.util.Checks;

/**
 * Exact top-K by inner product over the rows of a candidate table: the same code answers u2i
 * (queries = users, candidates = items) and i2u (queries = items, candidates = users).
 *
 * <p>Batch search scores a block of {@value #QUERY_BLOCK} queries against a block of {@value
 * #CANDIDATE_BLOCK} candidates with one {@link VectorOps#gemmAbt} into a score block reused by each
 * worker (Spark ALS's {@code blockify}, implicit's batched {@code topk}), sets excluded candidates
 * to −∞ by walking each query's sorted exclusion row, and feeds a packed-{@code long} {@link TopK}
 * per query. Queries are the gemm's A operand so that each query's scores are contiguous; the
 * kernel packs the candidate block per call, which costs about 2·lanes/{@value #QUERY_BLOCK} of the
 * arithmetic. Once a heap is full almost no score beats its threshold, so the scan rejects {@value
 * #SCAN_CHUNK} scores at a time with one {@link VectorOps#max} and walks only the chunks that hold
 * a winner:
 *
 * <pre>
 *   scores[q · cn + c] = ⟨query q0 + q, candidate c0 + c⟩     q &lt; 128, c &lt; cn ≤ 512  (256 KiB, in L2)
 *   per query q: [chunk 0: max ≤ threshold → skip][chunk 1: max &gt; threshold → offer each &gt; threshold]…
 * </pre>
 *
 * Measured on ML-1M shapes (6,040 × 3,706 × 64, k = 10, one thread, CPU time on a shared machine):
 * the gemm takes about 20 ms and the heap updates most of the rest (~70 insertions per query, each
 * a few mispredicted branches); this layout beat scoring candidates × queries (strided scan,
 * cheaper packing) by about 20%.
 *
 * <p>Query blocks are spread over {@code threads} platform threads; candidate blocks are visited in
 * increasing order within a query block.
 *
 * <p><b>Results.</b> Best first; among equal scores the smaller candidate index wins. A query gets
 * fewer than k results when fewer than k candidates remain after exclusion (or when a score is −∞
 * or NaN: such candidates are never returned). Results are identical for any thread count, because
 * the blocking does not depend on it. {@link #search} scores one query with {@link VectorOps#dot},
 * whose float rounding may differ from the batch kernel's in the last bit, so a near-tie may order
 * differently between {@code search} and {@code searchAll}.
 *
 * <p>Thread-safe: searches may run concurrently; the candidate table is read, never written, and
 * must not be modified while a search runs.
 */
public final class ExactRetriever implements Retriever {
  /** Queries scored together in one gemm (its A operand; one score row each). */
  public static final int QUERY_BLOCK = 128;

  /** Candidates scored together in one gemm (its B operand, packed by the kernel). */
  public static final int CANDIDATE_BLOCK = 512;

  /** Scores rejected together by one {@link VectorOps#max} against the heap threshold. */
  private static final int SCAN_CHUNK = 64;

  private final EmbeddingTable candidates;
  private final int threads;
  private final VectorOps ops;

  /** A retriever over {@code candidates} with {@link VectorOps#best()}. */
  public ExactRetriever(EmbeddingTable candidates, int threads) {
    this(candidates, threads, VectorOps.best());
  }

  /**
   * A retriever over the rows of {@code candidates} (not copied) using {@code threads} worker
   * threads for batch searches and the given kernels (e.g. scalar ones for a comparison).
   */
  public ExactRetriever(EmbeddingTable candidates, int threads, VectorOps ops) {
    this.candidates = Checks.notNull("candidates", candidates);
    this.threads = Checks.positive("threads", threads);
    this.ops = Checks.notNull("ops", ops);
  }

  /** One thread per available processor: the default for {@code threads}. */
  public static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** {@code exact}. */
  @Override
  public String describe() {
    return "exact";
  }

  /** The candidate table (shared, not copied). */
  @Override
  public EmbeddingTable candidates() {
    return candidates;
  }

  /** Worker threads used by batch searches. */
  @Override
  public int threads() {
    return threads;
  }

  /**
   * The k candidates with the largest inner product with {@code query[queryOff, queryOff + dim)},
   * best first, in the calling thread.
   *
   * @param exclude candidate indices never to return, strictly increasing in {@code exclude[exFrom,
   *     exTo)} (for example one row of {@link Interactions#cols()}); may be null
   * @return at most k neighbours (fewer when fewer candidates remain)
   */
  @Override
  public Neighbors search(float[] query, int queryOff, int k, int[] exclude, int exFrom, int exTo) {
    RetrievalArgs.checkQuery(candidates, query, queryOff, k, exclude, exFrom, exTo);
    int dim = candidates.dim();
    int n = candidates.rows();
    if (n == 0) {
      return new Neighbors(new int[0], new float[0]);
    }
    TopK top = new TopK(Math.min(k, n));
    final float[] data = candidates.data();
    int p = exclude == null ? 0 : exFrom;
    int pEnd = exclude == null ? 0 : exTo;
    float threshold = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < n; c++) {
      if (p < pEnd && exclude[p] <= c) {
        while (p < pEnd && exclude[p] < c) {
          p++; // tolerate indices outside [0, n) below c
        }
        if (p < pEnd && exclude[p] == c) {
          p++;
          continue;
        }
      }
      float s = ops.dot(query, queryOff, data, candidates.offset(c), dim);
      if (s > threshold) {
        top.offer(c, s);
        threshold = top.threshold();
      }
    }
    return top.drain();
  }

  /**
   * Streams the top-k list of every query row in {@code [from, to)} to {@code consumer}, without
   * holding them all: for evaluation and the audience inversion over millions of queries. Calls
   * {@code consumer} exactly once per query, from the worker threads (see {@link TopKConsumer} for
   * what it may do with the arrays); returns after the last call. If the consumer or a worker
   * throws, the remaining blocks are abandoned and the first exception is rethrown.
   *
   * @param exclude per-query exclusions: row q (a query index, not an offset from {@code from})
   *     lists the candidates never returned for query q; null for none. Its columns must be the
   *     candidates ({@code exclude.numCols() == candidates.rows()}).
   */
  @Override
  public void forEachTopK(
      EmbeddingTable queries,
      int from,
      int to,
      int k,
      Interactions exclude,
      TopKConsumer consumer) {
    RetrievalArgs.checkBatch(candidates, queries, from, to, k, exclude, consumer);
    int n = candidates.rows();
    if (n == 0) {
      for (int q = from; q < to; q++) {
        consumer.accept(q, new int[0], new float[0], 0);
      }
      return;
    }
    int heapSize = Math.min(k, n);
    int numBlocks = (to - from + QUERY_BLOCK - 1) / QUERY_BLOCK;
    BlockRunner.run(
        "exact-retrieval",
        threads,
        numBlocks,
        () -> new Worker(queries, from, to, heapSize, exclude, consumer));
  }

  /** One thread's scratch and loop: score block, heaps, exclusion cursors, output buffers. */
  private final class Worker implements BlockRunner.Worker {
    private final EmbeddingTable queries;
    private final int from;
    private final int to;
    private final Interactions exclude;
    private final TopKConsumer consumer;
    private final float[] scores;
    private final TopK[] heaps;
    private final int[] cursor;
    private final int[] outIndices;
    private final float[] outScores;

    Worker(
        EmbeddingTable queries,
        int from,
        int to,
        int heapSize,
        Interactions exclude,
        TopKConsumer consumer) {
      this.queries = queries;
      this.from = from;
      this.to = to;
      this.exclude = exclude;
      this.consumer = consumer;
      // Sized for this search: a search over few queries or candidates allocates little.
      int maxQueries = Math.min(QUERY_BLOCK, to - from);
      this.scores = new float[maxQueries * Math.min(CANDIDATE_BLOCK, candidates.rows())];
      this.heaps = new TopK[maxQueries];
      this.cursor = new int[maxQueries];
      for (int q = 0; q < maxQueries; q++) {
        heaps[q] = new TopK(heapSize);
      }
      this.outIndices = new int[heapSize];
      this.outScores = new float[heapSize];
    }

    @Override
    public void process(int block) {
      final int q0 = from + block * QUERY_BLOCK;
      final int qn = Math.min(QUERY_BLOCK, to - q0);
      final int n = candidates.rows();
      final int dim = candidates.dim();
      final float[] s = scores;
      final int[] exCols = exclude == null ? null : exclude.cols();
      for (int q = 0; q < qn; q++) {
        heaps[q].clear();
        cursor[q] = exclude == null ? 0 : exclude.start(q0 + q);
      }
      for (int c0 = 0; c0 < n; c0 += CANDIDATE_BLOCK) {
        final int cn = Math.min(CANDIDATE_BLOCK, n - c0);
        final int c1 = c0 + cn;
        ops.gemmAbt(
            queries.data(),
            queries.offset(q0),
            qn,
            candidates.data(),
            candidates.offset(c0),
            cn,
            dim,
            s,
            0,
            cn);
        for (int q = 0; q < qn; q++) {
          final int row = q * cn;
          if (exCols != null) {
            // The row is sorted and candidate blocks come in increasing order: the cursor only
            // moves on.
            int p = cursor[q];
            final int pEnd = exclude.end(q0 + q);
            while (p < pEnd && exCols[p] < c1) {
              s[row + exCols[p] - c0] = Float.NEGATIVE_INFINITY;
              p++;
            }
            cursor[q] = p;
          }
          final TopK top = heaps[q];
          float threshold = top.threshold();
          // Once the heap is full almost no score beats its threshold: one SIMD max per chunk
          // rejects a whole chunk, and only chunks holding a winner are walked one by one.
          // Candidates arrive in increasing index order, so a score equal to the threshold
          // would lose the tie: strict '>' is exact, and it also drops −∞ (excluded) and NaN.
          int c = 0;
          for (; c + SCAN_CHUNK <= cn; c += SCAN_CHUNK) {
            if (ops.max(s, row + c, SCAN_CHUNK) > threshold) {
              for (int e = c, end = c + SCAN_CHUNK; e < end; e++) {
                float v = s[row + e];
                if (v > threshold) {
                  top.offer(c0 + e, v);
                  threshold = top.threshold();
                }
              }
            }
          }
          for (; c < cn; c++) {
            float v = s[row + c];
            if (v > threshold) {
              top.offer(c0 + c, v);
              threshold = top.threshold();
            }
          }
        }
      }
      for (int q = 0; q < qn; q++) {
        int count = heaps[q].drainBestFirst(outIndices, outScores, 0);
        consumer.accept(q0 + q, outIndices, outScores, count);
      }
    }
  }
}
