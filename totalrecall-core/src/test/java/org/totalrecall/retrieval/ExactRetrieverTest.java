package org.totalrecall.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.ScalarVectorOps;
import org.totalrecall.linalg.VectorOps;

class ExactRetrieverTest {
  private static final long SEED = 4_242L;

  /** Entries in {-1, -0.5, 0, 0.5, 1}: every dot product is exact in float, so ties are real. */
  static EmbeddingTable quantized(int rows, int dim, SplittableRandom rng) {
    float[] d = new float[rows * dim];
    for (int i = 0; i < d.length; i++) {
      d[i] = (rng.nextInt(5) - 2) * 0.5f;
    }
    return new EmbeddingTable(rows, dim, d);
  }

  /** Each (query, candidate) pair excluded with probability p. */
  static Interactions randomExclusions(
      int numQueries, int numCandidates, double p, SplittableRandom rng) {
    int[] rows = new int[numQueries * numCandidates];
    int[] cols = new int[rows.length];
    int count = 0;
    for (int q = 0; q < numQueries; q++) {
      for (int c = 0; c < numCandidates; c++) {
        if (rng.nextDouble() < p) {
          rows[count] = q;
          cols[count] = c;
          count++;
        }
      }
    }
    return Interactions.fromPairs(numQueries, numCandidates, rows, cols, null, null, count);
  }

  /** Scalar scoring of every candidate, full sort (score down, index up), first k not excluded. */
  static Neighbors bruteForce(
      EmbeddingTable queries, int query, EmbeddingTable candidates, int k, Interactions exclude) {
    ScalarVectorOps scalar = new ScalarVectorOps();
    int n = candidates.rows();
    float[] scores = new float[n];
    for (int c = 0; c < n; c++) {
      scores[c] =
          scalar.dot(
              queries.data(),
              queries.offset(query),
              candidates.data(),
              candidates.offset(c),
              candidates.dim());
    }
    int[] order = TopKTest.fullSortOrder(scores);
    int[] idx = new int[Math.min(k, n)];
    float[] sc = new float[idx.length];
    int r = 0;
    for (int c : order) {
      if (r == idx.length) {
        break;
      }
      if (exclude != null && exclude.contains(query, c)) {
        continue;
      }
      idx[r] = c;
      sc[r] = scores[c];
      r++;
    }
    return new Neighbors(Arrays.copyOf(idx, r), Arrays.copyOf(sc, r));
  }

  static void assertSameNeighbors(Neighbors expected, Neighbors actual, String where) {
    assertArrayEquals(expected.indices(), actual.indices(), where);
    assertArrayEquals(expected.scores(), actual.scores(), where);
  }

  @Test
  void searchAllMatchesBruteForceOnOddSizesWithAndWithoutExclusion() {
    System.out.println("ExactRetrieverTest seed " + SEED);
    SplittableRandom rng = new SplittableRandom(SEED);
    int[][] shapes = {
      {1, 1, 1}, {5, 7, 3}, {64, 513, 17}, {130, 1100, 64}, {65, 33, 65}, {3, 600, 16}
    };
    for (int[] shape : shapes) {
      int m = shape[0];
      int n = shape[1];
      int dim = shape[2];
      EmbeddingTable queries = quantized(m, dim, rng);
      EmbeddingTable candidates = quantized(n, dim, rng);
      Interactions exclude = randomExclusions(m, n, 0.3, rng);
      int kAll = n + 5;
      Neighbors[] expectedPlain = new Neighbors[m];
      Neighbors[] expectedExcluded = new Neighbors[m];
      for (int q = 0; q < m; q++) {
        expectedPlain[q] = bruteForce(queries, q, candidates, kAll, null);
        expectedExcluded[q] = bruteForce(queries, q, candidates, kAll, exclude);
      }
      for (VectorOps ops : new VectorOps[] {new ScalarVectorOps(), VectorOps.best()}) {
        ExactRetriever retriever = new ExactRetriever(candidates, 2, ops);
        for (int k : new int[] {1, 10, kAll}) {
          Neighbors[] plain = retriever.searchAll(queries, 0, m, k, null);
          Neighbors[] excluded = retriever.searchAll(queries, 0, m, k, exclude);
          for (int q = 0; q < m; q++) {
            String where =
                ops.name() + " m=" + m + " n=" + n + " dim=" + dim + " k=" + k + " query " + q;
            assertSameNeighbors(prefix(expectedPlain[q], k), plain[q], where);
            assertSameNeighbors(prefix(expectedExcluded[q], k), excluded[q], where + " excluding");
          }
        }
      }
    }
  }

  static Neighbors prefix(Neighbors all, int k) {
    int n = Math.min(k, all.size());
    return new Neighbors(Arrays.copyOf(all.indices(), n), Arrays.copyOf(all.scores(), n));
  }

  @Test
  void searchAllOnGaussianTablesAgreesWithBruteForceUpToRounding() {
    SplittableRandom rng = new SplittableRandom(SEED + 1);
    EmbeddingTable queries = EmbeddingTable.gaussian(97, 48, 1f, rng);
    EmbeddingTable candidates = EmbeddingTable.gaussian(1031, 48, 1f, rng);
    Neighbors[] got = new ExactRetriever(candidates, 2).searchAll(queries, 0, 97, 20, null);
    ScalarVectorOps scalar = new ScalarVectorOps();
    for (int q = 0; q < 97; q++) {
      Neighbors expected = bruteForce(queries, q, candidates, 20, null);
      assertEquals(20, got[q].size());
      for (int r = 0; r < 20; r++) {
        float exact =
            scalar.dot(
                queries.data(),
                queries.offset(q),
                candidates.data(),
                candidates.offset(got[q].index(r)),
                48);
        assertEquals(
            exact,
            got[q].score(r),
            1e-4f,
            "score of the returned index, query " + q + " rank " + r);
        assertEquals(
            expected.score(r), got[q].score(r), 1e-4f, "score at rank " + r + " of query " + q);
      }
    }
  }

  @Test
  void resultsAreIdenticalForOneTwoAndThreeThreads() {
    SplittableRandom rng = new SplittableRandom(SEED + 2);
    EmbeddingTable queries = EmbeddingTable.gaussian(300, 32, 1f, rng);
    EmbeddingTable candidates = EmbeddingTable.gaussian(900, 32, 1f, rng);
    Interactions exclude = randomExclusions(300, 900, 0.05, rng);
    Neighbors[] one = new ExactRetriever(candidates, 1).searchAll(queries, 0, 300, 15, exclude);
    for (int threads : new int[] {2, 3}) {
      Neighbors[] many =
          new ExactRetriever(candidates, threads).searchAll(queries, 0, 300, 15, exclude);
      for (int q = 0; q < 300; q++) {
        assertSameNeighbors(one[q], many[q], threads + " threads, query " + q);
      }
    }
  }

  @Test
  void searchOfOneQueryMatchesBruteForceAndSkipsTheExcludedSlice() {
    SplittableRandom rng = new SplittableRandom(SEED + 3);
    EmbeddingTable queries = quantized(20, 24, rng);
    EmbeddingTable candidates = quantized(777, 24, rng);
    Interactions exclude = randomExclusions(20, 777, 0.2, rng);
    ExactRetriever retriever = new ExactRetriever(candidates, 1);
    for (int q = 0; q < 20; q++) {
      Neighbors got =
          retriever.search(
              queries.data(),
              queries.offset(q),
              12,
              exclude.cols(),
              exclude.start(q),
              exclude.end(q));
      assertSameNeighbors(bruteForce(queries, q, candidates, 12, exclude), got, "query " + q);
      Neighbors all = retriever.search(queries.data(), queries.offset(q), 12, null, 0, 0);
      assertSameNeighbors(
          bruteForce(queries, q, candidates, 12, null), all, "query " + q + " without exclusion");
    }
  }

  @Test
  void returnsFewerThanKWhenExclusionLeavesFewerCandidates() {
    SplittableRandom rng = new SplittableRandom(SEED + 4);
    EmbeddingTable queries = quantized(2, 8, rng);
    EmbeddingTable candidates = quantized(6, 8, rng);
    // Query 0 excludes candidates 0..3, query 1 excludes all six.
    Interactions exclude =
        Interactions.fromPairs(
            2,
            6,
            new int[] {0, 0, 0, 0, 1, 1, 1, 1, 1, 1},
            new int[] {0, 1, 2, 3, 0, 1, 2, 3, 4, 5},
            null,
            null,
            10);
    Neighbors[] got = new ExactRetriever(candidates, 1).searchAll(queries, 0, 2, 5, exclude);
    assertEquals(2, got[0].size());
    assertEquals(
        Arrays.asList(4, 5),
        Arrays.asList(Arrays.stream(got[0].indices()).sorted().boxed().toArray()));
    assertEquals(0, got[1].size());
  }

  @Test
  void searchAllOverASubrangeIndexesExclusionsByQueryRow() {
    SplittableRandom rng = new SplittableRandom(SEED + 5);
    EmbeddingTable queries = quantized(150, 16, rng);
    EmbeddingTable candidates = quantized(200, 16, rng);
    Interactions exclude = randomExclusions(150, 200, 0.5, rng);
    Neighbors[] got = new ExactRetriever(candidates, 2).searchAll(queries, 70, 141, 7, exclude);
    assertEquals(71, got.length);
    for (int q = 70; q < 141; q++) {
      assertSameNeighbors(
          bruteForce(queries, q, candidates, 7, exclude), got[q - 70], "query " + q);
    }
  }

  @Test
  void forEachTopKCallsTheConsumerOncePerQuery() {
    SplittableRandom rng = new SplittableRandom(SEED + 6);
    EmbeddingTable queries = quantized(333, 16, rng);
    EmbeddingTable candidates = quantized(50, 16, rng);
    AtomicIntegerArray calls = new AtomicIntegerArray(333);
    new ExactRetriever(candidates, 3)
        .forEachTopK(
            queries,
            10,
            333,
            4,
            null,
            (query, indices, scores, count) -> {
              calls.incrementAndGet(query);
              assertEquals(4, count);
              assertTrue(scores[0] >= scores[count - 1]);
            });
    for (int q = 0; q < 333; q++) {
      assertEquals(q < 10 ? 0 : 1, calls.get(q), "calls for query " + q);
    }
  }

  @Test
  void aConsumerExceptionIsRethrownAfterTheWorkersStop() {
    SplittableRandom rng = new SplittableRandom(SEED + 7);
    EmbeddingTable queries = quantized(500, 8, rng);
    EmbeddingTable candidates = quantized(40, 8, rng);
    IllegalStateException boom = new IllegalStateException("consumer failed on query 77");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                new ExactRetriever(candidates, 2)
                    .forEachTopK(
                        queries,
                        0,
                        500,
                        3,
                        null,
                        (query, i, s, c) -> {
                          if (query == 77) {
                            throw boom;
                          }
                        }));
    assertSame(boom, thrown);
  }

  @Test
  void anEmptyCandidateTableGivesEmptyLists() {
    EmbeddingTable queries = quantized(3, 4, new SplittableRandom(1));
    Neighbors[] got =
        new ExactRetriever(new EmbeddingTable(0, 4), 1).searchAll(queries, 0, 3, 5, null);
    for (Neighbors n : got) {
      assertNotNull(n);
      assertEquals(0, n.size());
    }
  }

  @Test
  void rejectsMismatchedDimsRangesAndExclusionShapes() {
    EmbeddingTable candidates = quantized(10, 4, new SplittableRandom(1));
    ExactRetriever retriever = new ExactRetriever(candidates, 1);
    IllegalArgumentException dims =
        assertThrows(
            IllegalArgumentException.class,
            () -> retriever.searchAll(new EmbeddingTable(2, 5), 0, 2, 1, null));
    assertEquals("queries have dim 5 but candidates have dim 4", dims.getMessage());
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> retriever.searchAll(new EmbeddingTable(2, 4), 0, 3, 1, null));
    Interactions wrongShape = Interactions.fromPairs(2, 9, new int[0], new int[0], null, null, 0);
    assertThrows(
        IllegalArgumentException.class,
        () -> retriever.searchAll(new EmbeddingTable(2, 4), 0, 2, 1, wrongShape));
    assertThrows(
        IllegalArgumentException.class,
        () -> retriever.searchAll(new EmbeddingTable(2, 4), 0, 2, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new ExactRetriever(candidates, 0));
  }
}
