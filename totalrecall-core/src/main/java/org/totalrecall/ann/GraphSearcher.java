package org.totalrecall.ann;

import java.util.Arrays;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.retrieval.TopK;

/**
 * The HNSW search of Malkov &amp; Yashunin (2018, Algorithm 5 with Algorithm 2 per level) over an
 * {@link HnswIndex}'s packed arrays, by exact inner product: a greedy walk from the entry node down
 * the upper levels (ef = 1: move to the best neighbour while it improves), then on level 0 a
 * best-first beam of {@code ef} results. A neighbour enters the candidate list while the results
 * are not full or it beats the worst result; the walk stops when the best unexpanded candidate is
 * below the worst result. Excluded rows are walked through but never collected, as in Lucene's
 * filtered search, so a query still gets k results when enough rows remain.
 *
 * <p>The same algorithm as Lucene's {@code HnswGraphSearcher}, kept here for speed: the visited set
 * is a stamped int array reused across queries (no bitset cleared or allocated per query), the
 * candidates a max-heap of {@link TopK#pack packed} longs (score bits over the complemented row,
 * ties to the smaller row) and the results a {@link TopK}, a node's unvisited neighbours are
 * gathered and scored in one pass of the SIMD dot product, and scores are the raw dot products (no
 * similarity scaling, no re-scoring). One searcher per thread: it holds the scratch state; it
 * allocates nothing per query once its heaps have grown.
 */
final class GraphSearcher {
  private final HnswIndex index;
  private final EmbeddingTable table;
  private final VectorOps ops;
  private final int[] visited;
  private int stamp;
  private long[] candidates = new long[64]; // max-heap
  private int candidateCount;
  private TopK results = new TopK(1); // the best ef collected so far
  private int[] resultRows = new int[1];
  private float[] resultScores = new float[1];
  private int[] gathered;
  private float[] gatheredScores;

  GraphSearcher(HnswIndex index, EmbeddingTable table, VectorOps ops) {
    this.index = index;
    this.table = table;
    this.ops = ops;
    this.visited = new int[index.size()];
    int degree = index.maxDegree();
    this.gathered = new int[Math.max(1, degree)];
    this.gatheredScores = new float[gathered.length];
  }

  /**
   * Offers to {@code top} the best of the (at most {@code max(top.k(), ef)}) rows the search
   * collects, each with its exact inner product with the query; rows in the sorted range {@code
   * exclude[exFrom, exTo)} are never offered.
   */
  void search(float[] query, int queryOff, int ef, int[] exclude, int exFrom, int exTo, TopK top) {
    if (index.size() == 0) {
      return;
    }
    nextStamp();
    float[] data = table.data();
    int dim = table.dim();
    int node = index.entryNode();
    float score = ops.dot(query, queryOff, data, table.offset(node), dim);
    for (int level = index.levels() - 1; level >= 1; level--) {
      int[] nodes = index.levelNodes(level);
      int[] offsets = index.levelOffsets(level);
      int[] nbrs = index.levelNeighbors(level);
      boolean moved = true;
      while (moved) {
        moved = false;
        int at = Arrays.binarySearch(nodes, node);
        int best = node;
        float bestScore = score;
        for (int p = offsets[at], end = offsets[at + 1]; p < end; p++) {
          int f = nbrs[p];
          float s = ops.dot(query, queryOff, data, table.offset(f), dim);
          if (s > bestScore || (s == bestScore && f < best)) {
            best = f;
            bestScore = s;
          }
        }
        if (best != node) {
          node = best;
          score = bestScore;
          moved = true;
        }
      }
    }
    searchLevel0(query, queryOff, node, score, Math.max(ef, top.k()), exclude, exFrom, exTo);
    int count = results.drainBestFirst(resultRows, resultScores, 0);
    for (int r = 0; r < count; r++) {
      top.offer(resultRows[r], resultScores[r]);
    }
  }

  private void searchLevel0(
      float[] query,
      int queryOff,
      int entry,
      float entryScore,
      int ef,
      int[] exclude,
      int exFrom,
      int exTo) {
    int[] offsets = index.offsets0();
    int[] nbrs = index.neighbors0();
    float[] data = table.data();
    int dim = table.dim();
    if (results.k() != ef) {
      results = new TopK(ef);
      resultRows = new int[ef];
      resultScores = new float[ef];
    }
    results.clear();
    candidateCount = 0;
    visited[entry] = stamp;
    pushCandidate(TopK.pack(entry, entryScore));
    float minAccepted = Float.NEGATIVE_INFINITY;
    if (accepted(entry, exclude, exFrom, exTo)) {
      results.offer(entry, entryScore);
      minAccepted = results.threshold();
    }
    while (candidateCount > 0) {
      long top = popCandidate();
      if (TopK.unpackScore(top) < minAccepted) {
        break;
      }
      int c = TopK.unpackIndex(top);
      int count = 0;
      for (int p = offsets[c], end = offsets[c + 1]; p < end; p++) {
        int f = nbrs[p];
        if (visited[f] != stamp) {
          visited[f] = stamp;
          gathered[count++] = f;
        }
      }
      ops.dotRows(query, queryOff, data, dim, gathered, count, gatheredScores);
      for (int g = 0; g < count; g++) {
        float s = gatheredScores[g];
        if (s > minAccepted) {
          int f = gathered[g];
          pushCandidate(TopK.pack(f, s));
          if (accepted(f, exclude, exFrom, exTo)) {
            results.offer(f, s);
            minAccepted = results.threshold();
          }
        }
      }
    }
  }

  private static boolean accepted(int row, int[] exclude, int exFrom, int exTo) {
    return exFrom == exTo || Arrays.binarySearch(exclude, exFrom, exTo, row) < 0;
  }

  private void nextStamp() {
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(visited, 0);
      stamp = 1;
    }
  }

  private void pushCandidate(long packed) {
    if (candidateCount == candidates.length) {
      candidates = Arrays.copyOf(candidates, 2 * candidateCount);
    }
    long[] h = candidates;
    int i = candidateCount++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (h[parent] >= packed) {
        break;
      }
      h[i] = h[parent];
      i = parent;
    }
    h[i] = packed;
  }

  private long popCandidate() {
    long[] h = candidates;
    long top = h[0];
    long x = h[--candidateCount];
    int size = candidateCount;
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && h[right] > h[child]) {
        child = right;
      }
      if (x >= h[child]) {
        break;
      }
      h[i] = h[child];
      i = child;
    }
    if (size > 0) {
      h[i] = x;
    }
    return top;
  }
}
