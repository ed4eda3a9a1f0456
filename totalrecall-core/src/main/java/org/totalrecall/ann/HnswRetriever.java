package org.totalrecall.ann;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.retrieval.BlockRunner;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.RetrievalArgs;
import org.totalrecall.retrieval.Retriever;
import org.totalrecall.retrieval.TopK;
import org.totalrecall.retrieval.TopKConsumer;
import org.totalrecall.util.Checks;

/**
 * Approximate top-k by inner product through an {@link HnswIndex}: Lucene's {@link
 * HnswGraphSearcher} walks the graph from its entry node with a candidate list of max(k, ef)
 * entries (ef trades speed for recall; {@code bench ann} measures both), then the finds are
 * re-scored exactly and the best k returned, ties to the smaller index, as every {@link Retriever}.
 * Excluded candidates are filtered inside the search (Lucene's accept-ords filter: they are walked
 * through but never collected), so a query still gets k results when enough candidates remain.
 * Batch searches run on {@code threads} threads, one query at a time each. Thread-safe.
 */
public final class HnswRetriever implements Retriever {
  /** The default candidate-list size of a search. */
  public static final int DEFAULT_EF = 100;

  /** Queries per unit of batch work. */
  private static final int QUERY_BLOCK = 64;

  private final EmbeddingTable candidates;
  private final HnswIndex index;
  private final int ef;
  private final int threads;
  private final VectorOps ops;

  /**
   * A retriever over {@code candidates} through {@code index}, which must have been built over
   * exactly these vectors.
   *
   * @throws IllegalArgumentException if the index was built over other vectors (its size, width or
   *     checksum differ)
   */
  public HnswRetriever(EmbeddingTable candidates, HnswIndex index, int ef, int threads) {
    this.candidates = Checks.notNull("candidates", candidates);
    this.index = Checks.notNull("index", index);
    this.ef = Checks.positive("ef", ef);
    this.threads = Checks.positive("threads", threads);
    this.ops = VectorOps.best();
    if (index.size() != candidates.rows() || index.dim() != candidates.dim()) {
      throw new IllegalArgumentException(
          "the index holds "
              + index.size()
              + " x "
              + index.dim()
              + " vectors but the table is "
              + candidates.rows()
              + " x "
              + candidates.dim()
              + ": it was built for another model");
    }
    if (index.tableChecksum() != HnswIndex.checksum(candidates)) {
      throw new IllegalArgumentException(
          "the index was built over other vectors of the same shape (checksum "
              + Long.toHexString(index.tableChecksum())
              + ", the table's "
              + Long.toHexString(HnswIndex.checksum(candidates))
              + "): it was built for another model");
    }
  }

  /** The same index searched with another ef. */
  public HnswRetriever withEf(int newEf) {
    return new HnswRetriever(this, newEf);
  }

  private HnswRetriever(HnswRetriever other, int ef) {
    this.candidates = other.candidates;
    this.index = other.index;
    this.ef = Checks.positive("ef", ef);
    this.threads = other.threads;
    this.ops = other.ops;
  }

  /** The index searched. */
  public HnswIndex index() {
    return index;
  }

  /** The candidate-list size of a search. */
  public int ef() {
    return ef;
  }

  @Override
  public EmbeddingTable candidates() {
    return candidates;
  }

  @Override
  public int threads() {
    return threads;
  }

  @Override
  public String describe() {
    return "hnsw (m "
        + index.m()
        + ", efConstruction "
        + index.efConstruction()
        + ", ef "
        + ef
        + ")";
  }

  @Override
  public Neighbors search(float[] query, int queryOff, int k, int[] exclude, int exFrom, int exTo) {
    RetrievalArgs.checkQuery(candidates, query, queryOff, k, exclude, exFrom, exTo);
    int[] ids = find(query, queryOff, k, exclude, exFrom, exTo);
    if (ids.length == 0) {
      return new Neighbors(new int[0], new float[0]);
    }
    TopK top = new TopK(Math.min(k, ids.length));
    rescore(query, queryOff, ids, top);
    return top.drain();
  }

  /** The rows the graph search collected (in increasing order), excluded rows filtered out. */
  private int[] find(float[] query, int queryOff, int k, int[] exclude, int exFrom, int exTo) {
    int n = candidates.rows();
    if (n == 0) {
      return new int[0];
    }
    Bits accept = exclude == null || exFrom == exTo ? null : new Excluded(exclude, exFrom, exTo, n);
    TopKnnCollector collector =
        new TopKnnCollector(Math.min(Math.max(k, ef), n), Integer.MAX_VALUE);
    try {
      HnswGraphSearcher.search(
          new TableScorers.Query(candidates, ops, query, queryOff),
          collector,
          index.view(),
          accept);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory graph and vectors: not expected
    }
    ScoreDoc[] docs = collector.topDocs().scoreDocs;
    int[] ids = new int[docs.length];
    for (int d = 0; d < docs.length; d++) {
      ids[d] = docs[d].doc;
    }
    Arrays.sort(ids);
    return ids;
  }

  /** Offers the exact inner product of each row of {@code ids} (increasing) to {@code top}. */
  private void rescore(float[] query, int queryOff, int[] ids, TopK top) {
    float threshold = top.threshold();
    for (int id : ids) {
      float s =
          ops.dot(query, queryOff, candidates.data(), candidates.offset(id), candidates.dim());
      if (s > threshold) {
        top.offer(id, s);
        threshold = top.threshold();
      }
    }
  }

  @Override
  public void forEachTopK(
      EmbeddingTable queries,
      int from,
      int to,
      int k,
      Interactions exclude,
      TopKConsumer consumer) {
    RetrievalArgs.checkBatch(candidates, queries, from, to, k, exclude, consumer);
    int blocks = (to - from + QUERY_BLOCK - 1) / QUERY_BLOCK;
    BlockRunner.run(
        "hnsw-retrieval",
        threads,
        blocks,
        () -> {
          int[] outIdx = new int[k];
          float[] outScores = new float[k];
          return block -> {
            int q0 = from + block * QUERY_BLOCK;
            int q1 = Math.min(to, q0 + QUERY_BLOCK);
            for (int q = q0; q < q1; q++) {
              int[] ids =
                  exclude == null
                      ? find(queries.data(), queries.offset(q), k, null, 0, 0)
                      : find(
                          queries.data(),
                          queries.offset(q),
                          k,
                          exclude.cols(),
                          exclude.start(q),
                          exclude.end(q));
              int count = 0;
              if (ids.length > 0) {
                TopK top = new TopK(Math.min(k, ids.length));
                rescore(queries.data(), queries.offset(q), ids, top);
                count = top.drainBestFirst(outIdx, outScores, 0);
              }
              consumer.accept(q, outIdx, outScores, count);
            }
          };
        });
  }

  /** Lucene's accept filter: every row except those in a sorted exclusion range. */
  private static final class Excluded implements Bits {
    private final int[] exclude;
    private final int from;
    private final int to;
    private final int length;

    Excluded(int[] exclude, int from, int to, int length) {
      this.exclude = exclude;
      this.from = from;
      this.to = to;
      this.length = length;
    }

    @Override
    public boolean get(int index) {
      return Arrays.binarySearch(exclude, from, to, index) < 0;
    }

    @Override
    public int length() {
      return length;
    }
  }
}
