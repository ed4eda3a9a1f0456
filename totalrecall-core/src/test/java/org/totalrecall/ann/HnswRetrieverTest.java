package org.totalrecall.ann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.retrieval.ExactRetriever;
import org.totalrecall.retrieval.Neighbors;

/** The HNSW retriever's contract against exact search on random data, its file and its refusals. */
class HnswRetrieverTest {
  static final int N = 4000;
  static final int DIM = 24;

  /** Vectors around 40 random centres (clustered, as trained embeddings are), norms varying. */
  static EmbeddingTable clustered(int n, int dim, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[][] centres = new float[40][dim];
    for (float[] c : centres) {
      for (int k = 0; k < dim; k++) {
        c[k] = (float) rng.nextGaussian();
      }
    }
    EmbeddingTable t = new EmbeddingTable(n, dim);
    for (int r = 0; r < n; r++) {
      float[] c = centres[rng.nextInt(centres.length)];
      float scale = (float) (0.5 + rng.nextDouble());
      for (int k = 0; k < dim; k++) {
        t.data()[t.offset(r) + k] = scale * (c[k] + 0.5f * (float) rng.nextGaussian());
      }
    }
    return t;
  }

  static double recallAt(Neighbors[] exact, Neighbors[] approx) {
    long hit = 0;
    long total = 0;
    for (int q = 0; q < exact.length; q++) {
      java.util.Set<Integer> truth = new java.util.HashSet<>();
      for (int idx : exact[q].indices()) {
        truth.add(idx);
      }
      for (int idx : approx[q].indices()) {
        hit += truth.contains(idx) ? 1 : 0;
      }
      total += truth.size();
    }
    return hit / (double) total;
  }

  @Test
  void recallAgainstExactSearchIsHighAndRisesWithEf() {
    EmbeddingTable items = clustered(N, DIM, 1);
    EmbeddingTable queries = clustered(300, DIM, 2);
    HnswIndex index = HnswIndex.build(items, 16, 100, 42, VectorOps.best());
    Neighbors[] exact =
        new ExactRetriever(items, 2).searchAll(queries, 0, queries.rows(), 10, null);
    double low =
        recallAt(
            exact,
            new HnswRetriever(items, index, 10, 2).searchAll(queries, 0, queries.rows(), 10, null));
    double high =
        recallAt(
            exact,
            new HnswRetriever(items, index, 200, 2)
                .searchAll(queries, 0, queries.rows(), 10, null));
    assertTrue(high >= 0.95, "recall@10 at ef 200: " + high);
    assertTrue(high >= low, "recall falls with ef: " + low + " -> " + high);
  }

  /**
   * Our walk is Lucene's {@code HnswGraphSearcher} algorithm over the same graph: on the same
   * queries, with and without exclusions, both find the same rows (Lucene compares scaled scores,
   * which can merge near-equal dot products, so a rare near-tie may differ).
   */
  @Test
  void theWalkFindsWhatLucenesSearcherFinds() throws IOException {
    EmbeddingTable items = clustered(N, DIM, 5);
    EmbeddingTable queries = clustered(200, DIM, 6);
    HnswIndex index = HnswIndex.build(items, 16, 100, 42, VectorOps.best());
    int[] exclude = {3, 17, 40, 41, 42, 99, 500, 1000, 2500, 3999};
    for (int ef : new int[] {10, 40}) {
      HnswRetriever ours = new HnswRetriever(items, index, ef, 1);
      long same = 0;
      long total = 0;
      for (int q = 0; q < queries.rows(); q++) {
        boolean excluding = q % 2 == 1;
        TopKnnCollector collector = new TopKnnCollector(ef, Integer.MAX_VALUE);
        org.apache.lucene.util.Bits accept =
            excluding
                ? new org.apache.lucene.util.Bits() {
                  @Override
                  public boolean get(int i) {
                    return java.util.Arrays.binarySearch(exclude, i) < 0;
                  }

                  @Override
                  public int length() {
                    return N;
                  }
                }
                : null;
        HnswGraphSearcher.search(
            new TableScorers.Query(items, VectorOps.best(), queries.data(), queries.offset(q)),
            collector,
            index.view(),
            accept);
        java.util.Set<Integer> lucene = new java.util.HashSet<>();
        for (ScoreDoc d : collector.topDocs().scoreDocs) {
          lucene.add(d.doc);
        }
        Neighbors mine =
            excluding
                ? ours.search(queries.data(), queries.offset(q), ef, exclude, 0, exclude.length)
                : ours.search(queries.data(), queries.offset(q), ef, null, 0, 0);
        for (int idx : mine.indices()) {
          same += lucene.contains(idx) ? 1 : 0;
          assertTrue(!excluding || java.util.Arrays.binarySearch(exclude, idx) < 0);
        }
        total += lucene.size();
      }
      assertTrue(same >= 0.995 * total, "ef " + ef + ": " + same + " of " + total + " rows agree");
    }
  }

  @Test
  void aBatchSearchEqualsOneQueryAtATime() {
    EmbeddingTable items = clustered(N, DIM, 7);
    EmbeddingTable queries = clustered(150, DIM, 8);
    HnswRetriever r =
        new HnswRetriever(items, HnswIndex.build(items, 8, 50, 1, VectorOps.best()), 20, 2);
    Neighbors[] batch = r.searchAll(queries, 0, queries.rows(), 10, null);
    for (int q = 0; q < queries.rows(); q++) {
      Neighbors one = r.search(queries.data(), queries.offset(q), 10, null, 0, 0);
      assertArrayEquals(batch[q].indices(), one.indices(), "query " + q);
      assertArrayEquals(batch[q].scores(), one.scores(), "query " + q);
    }
  }

  @Test
  void aBuildOnTwoThreadsIsAsGood() {
    EmbeddingTable items = clustered(N, DIM, 1);
    EmbeddingTable queries = clustered(300, DIM, 2);
    HnswIndex index = HnswIndex.build(items, 16, 100, 42, VectorOps.best(), 2);
    assertEquals(N, index.size());
    Neighbors[] exact =
        new ExactRetriever(items, 2).searchAll(queries, 0, queries.rows(), 10, null);
    double recall =
        recallAt(
            exact,
            new HnswRetriever(items, index, 200, 2)
                .searchAll(queries, 0, queries.rows(), 10, null));
    assertTrue(recall >= 0.95, "recall@10 at ef 200 of a two-thread build: " + recall);
  }

  @Test
  void scoresAreExactInnerProductsBestFirst() {
    EmbeddingTable items = clustered(500, DIM, 3);
    HnswRetriever r =
        new HnswRetriever(items, HnswIndex.build(items, 8, 50, 1, VectorOps.best()), 50, 1);
    float[] q = items.row(17);
    Neighbors n = r.search(q, 0, 10, null, 0, 0);
    assertEquals(10, n.size());
    for (int k = 0; k < n.size(); k++) {
      float dot = VectorOps.best().dot(q, 0, items.data(), items.offset(n.index(k)), DIM);
      assertEquals(dot, n.score(k), 1e-6f);
      if (k > 0) {
        assertTrue(n.score(k) <= n.score(k - 1));
      }
    }
  }

  @Test
  void excludedCandidatesAreNeverReturnedAndKStillAre() {
    EmbeddingTable items = clustered(1000, DIM, 4);
    HnswRetriever r =
        new HnswRetriever(items, HnswIndex.build(items, 16, 100, 1, VectorOps.best()), 100, 1);
    float[] q = items.row(5);
    Neighbors plain = r.search(q, 0, 10, null, 0, 0);
    int[] exclude = plain.indices().clone(); // exclude the whole first answer
    java.util.Arrays.sort(exclude);
    Neighbors next = r.search(q, 0, 10, exclude, 0, exclude.length);
    assertEquals(10, next.size());
    for (int idx : next.indices()) {
      assertTrue(java.util.Arrays.binarySearch(exclude, idx) < 0, "returned excluded " + idx);
    }
    // the batch path excludes per query the same way
    Interactions ex =
        Interactions.fromPairs(
            1, items.rows(), new int[exclude.length], exclude, null, null, exclude.length);
    EmbeddingTable one = new EmbeddingTable(1, DIM, q.clone());
    Neighbors batch = r.searchAll(one, 0, 1, 10, ex)[0];
    assertArrayEquals(next.indices(), batch.indices());
  }

  @Test
  void theFileRoundTripsAndCorruptionIsRefused(@TempDir Path dir) throws IOException {
    EmbeddingTable items = clustered(800, DIM, 5);
    HnswIndex index = HnswIndex.build(items, 12, 60, 3, VectorOps.best());
    Path file = dir.resolve("items.hnsw");
    index.write(file);
    HnswIndex back = HnswIndex.read(file);
    assertEquals(index.links(), back.links());
    EmbeddingTable queries = clustered(50, DIM, 6);
    for (int q = 0; q < queries.rows(); q++) {
      Neighbors a =
          new HnswRetriever(items, index, 40, 1)
              .search(queries.data(), queries.offset(q), 5, null, 0, 0);
      Neighbors b =
          new HnswRetriever(items, back, 40, 1)
              .search(queries.data(), queries.offset(q), 5, null, 0, 0);
      assertArrayEquals(a.indices(), b.indices(), "query " + q);
    }
    byte[] bytes = Files.readAllBytes(file);
    for (int pos : new int[] {3, 40, bytes.length / 2, bytes.length - 3}) {
      byte[] bad = bytes.clone();
      bad[pos] ^= 0x10;
      Files.write(file, bad);
      IOException e = assertThrows(IOException.class, () -> HnswIndex.read(file), "flip at " + pos);
      assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    assertTrue(
        assertThrows(IndexFormatException.class, () -> HnswIndex.read(file))
            .getMessage()
            .contains("truncated"));
  }

  @Test
  void anIndexOfOtherVectorsIsRefused() {
    EmbeddingTable items = clustered(300, DIM, 7);
    HnswIndex index = HnswIndex.build(items, 8, 40, 1, VectorOps.best());
    EmbeddingTable other = clustered(300, DIM, 8);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new HnswRetriever(other, index, 10, 1))
            .getMessage()
            .contains("another model"));
    EmbeddingTable smaller = clustered(299, DIM, 7);
    assertThrows(IllegalArgumentException.class, () -> new HnswRetriever(smaller, index, 10, 1));
  }

  @Test
  void theBuildIsReproducibleFromItsSeed() {
    EmbeddingTable items = clustered(600, DIM, 9);
    HnswIndex a = HnswIndex.build(items, 8, 40, 11, VectorOps.best());
    HnswIndex b = HnswIndex.build(items, 8, 40, 11, VectorOps.best());
    assertEquals(a.links(), b.links());
    assertEquals(a.graphBytes(), b.graphBytes());
  }
}
