package org.totalrecall.ann;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Approximate top-k by inner product through an {@link HnswIndex}: a {@link GraphSearcher} walks
 * the graph from its entry node with a result list of max(k, ef) entries (ef trades speed for
 * recall; {@code bench ann} measures both), scoring by the exact inner product, and the best k are
 * returned, ties to the smaller index, as every {@link Retriever}. Excluded candidates are filtered
 * inside the search (walked through but never collected), so a query still gets k results when
 * enough candidates remain. Batch searches run on {@code threads} threads, one query at a time
 * each, with a searcher per thread; single searches borrow an idle searcher. Thread-safe.
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

  /** Searchers not in use by a single-query search (each holds a visited array of the rows). */
  private final Queue<GraphSearcher> idle;

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
    this.idle = new ConcurrentLinkedQueue<>();
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
    this.idle = other.idle;
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
    if (candidates.rows() == 0) {
      return new Neighbors(new int[0], new float[0]);
    }
    GraphSearcher searcher = idle.poll();
    if (searcher == null) {
      searcher = new GraphSearcher(index, candidates, ops);
    }
    try {
      TopK top = new TopK(k);
      searcher.search(query, queryOff, ef, exclude, exFrom, exclude == null ? exFrom : exTo, top);
      return top.drain();
    } finally {
      idle.offer(searcher);
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
          TopK top = new TopK(k);
          GraphSearcher searcher = new GraphSearcher(index, candidates, ops);
          return block -> {
            int q0 = from + block * QUERY_BLOCK;
            int q1 = Math.min(to, q0 + QUERY_BLOCK);
            for (int q = q0; q < q1; q++) {
              top.clear();
              if (exclude == null) {
                searcher.search(queries.data(), queries.offset(q), ef, null, 0, 0, top);
              } else {
                searcher.search(
                    queries.data(),
                    queries.offset(q),
                    ef,
                    exclude.cols(),
                    exclude.start(q),
                    exclude.end(q),
                    top);
              }
              int count = top.drainBestFirst(outIdx, outScores, 0);
              consumer.accept(q, outIdx, outScores, count);
            }
          };
        });
  }
}
