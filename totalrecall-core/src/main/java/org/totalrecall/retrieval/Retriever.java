package org.totalrecall.retrieval;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.util.Checks;

/**
 * Top-k by inner product over the rows of a candidate table, for one query or a batch: the contract
 * every retriever keeps, exact ({@link ExactRetriever}) or approximate (the HNSW index of {@code
 * org.totalrecall.ann}). The same retriever answers u2i (queries = users, candidates = items) and
 * i2u (the reverse).
 *
 * <p>Every list is best first by the exact inner product (an approximate retriever re-scores its
 * finds), ties to the smaller candidate index, and holds fewer than k entries only when fewer
 * candidates remain after exclusion (or, for an approximate retriever, when its search found
 * fewer). Excluded candidates are never returned; scores that are −∞ or NaN never are either.
 * Implementations are thread-safe: searches may run concurrently.
 */
public interface Retriever {
  /** The candidate table (shared, not copied): row c is candidate c. */
  EmbeddingTable candidates();

  /** Worker threads used by batch searches. */
  int threads();

  /** What this retriever is, for reports, e.g. {@code exact} or {@code hnsw (m 16, ef 100)}. */
  String describe();

  /**
   * The k candidates with the largest inner product with {@code query[queryOff, queryOff + dim)},
   * in the calling thread.
   *
   * @param exclude candidate indices never to return, strictly increasing in {@code exclude[exFrom,
   *     exTo)} (for example one row of {@link Interactions#cols()}); may be null
   */
  Neighbors search(float[] query, int queryOff, int k, int[] exclude, int exFrom, int exTo);

  /**
   * Streams the top-k list of every query row in {@code [from, to)} to {@code consumer}, on the
   * retriever's threads (see {@link TopKConsumer}); returns after the last call. If the consumer or
   * a worker throws, the first exception is rethrown.
   *
   * @param exclude per-query exclusions: row q lists the candidates never returned for query q;
   *     null for none. Its columns must be the candidates.
   */
  void forEachTopK(
      EmbeddingTable queries, int from, int to, int k, Interactions exclude, TopKConsumer consumer);

  /**
   * Top-k for every query row in {@code [from, to)}; element {@code q − from} holds query q's
   * neighbours. See {@link #forEachTopK}.
   */
  default Neighbors[] searchAll(
      EmbeddingTable queries, int from, int to, int k, Interactions exclude) {
    Neighbors[] out = new Neighbors[Math.max(0, to - from)];
    // Each query's slot is written by exactly one worker; the joins publish the writes.
    forEachTopK(
        queries,
        from,
        to,
        k,
        exclude,
        (query, indices, scores, count) -> {
          int[] idx = new int[count];
          float[] sc = new float[count];
          System.arraycopy(indices, 0, idx, 0, count);
          System.arraycopy(scores, 0, sc, 0, count);
          out[query - from] = new Neighbors(idx, sc);
        });
    return out;
  }

  /**
   * The k candidates among {@code include} (an include-only list: candidate indices, any order,
   * duplicates ignored) with the largest inner product with the query, scored exactly: a short list
   * costs less to score than any index search, and the answer is exact for every retriever.
   */
  default Neighbors searchAmong(float[] query, int queryOff, int k, int[] include) {
    Checks.notNull("query", query);
    Checks.notNull("include", include);
    Checks.positive("k", k);
    EmbeddingTable c = candidates();
    int[] sorted = include.clone();
    java.util.Arrays.sort(sorted);
    VectorOps ops = VectorOps.best();
    TopK top = new TopK(Math.max(1, Math.min(k, sorted.length)));
    int previous = -1;
    for (int id : sorted) {
      Checks.index("include", id, c.rows());
      if (id == previous) {
        continue;
      }
      previous = id;
      float s = ops.dot(query, queryOff, c.data(), c.offset(id), c.dim());
      if (s > top.threshold()) {
        top.offer(id, s);
      }
    }
    return sorted.length == 0 ? new Neighbors(new int[0], new float[0]) : top.drain();
  }
}
