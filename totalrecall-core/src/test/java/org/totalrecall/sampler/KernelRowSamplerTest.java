package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * The quadratic-kernel sampler (Blanc &amp; Rendle 2018): log Q against q written out, and the
 * draws against it.
 */
class KernelRowSamplerTest {
  private static double[] exact(EmbeddingTable users, EmbeddingTable items, int u, double alpha) {
    int n = items.rows();
    double[] q = new double[n];
    double z = 0;
    for (int j = 0; j < n; j++) {
      double o = 0;
      for (int k = 0; k < items.dim(); k++) {
        o += users.get(u, k) * items.get(j, k);
      }
      q[j] = alpha * o * o + 1;
      z += q[j];
    }
    for (int j = 0; j < n; j++) {
      q[j] /= z;
    }
    return q;
  }

  @Test
  void logQIsTheExactKernelProbabilityAndDrawsFollowIt() {
    // 37 items in leaves of 4 (an uneven tree), d = 3; user 0 has no training items (no redraws)
    int n = 37;
    SplittableRandom init = new SplittableRandom(3);
    EmbeddingTable items = EmbeddingTable.gaussian(n, 3, 0.7f, init);
    EmbeddingTable users = EmbeddingTable.gaussian(2, 3, 1f, init);
    Interactions train = Interactions.fromPairs(2, n, new int[] {1}, new int[] {0}, null, null, 1);
    double alpha = 5;
    KernelRowSampler s =
        (KernelRowSampler)
            new KernelRowSampler(train, users, items, 8, alpha, 4, VectorOps.best()).forWorker();
    s.beginEpoch(1);
    double[] q = exact(users, items, 0, alpha);
    for (int j = 0; j < n; j++) {
      assertEquals(q[j], s.probability(0, j), 1e-6 * q[j], "q(" + j + ")");
    }
    RowCandidates out = new RowCandidates(1, 9);
    SplittableRandom rng = new SplittableRandom(7);
    long[] counts = new long[n];
    int rows = 20_000;
    for (int r = 0; r < rows; r++) {
      s.sample(new int[] {0}, new int[] {5}, null, 0, 1, rng, out);
      for (int k = 1; k < 9; k++) {
        int j = out.items()[k];
        counts[j]++;
        assertEquals(Math.log(q[j]), out.logQ()[k], 1e-5, "log Q of item " + j);
      }
    }
    ChiSquare.assertFits("kernel sampler", counts, q, 8L * rows);
  }

  @Test
  void theTreeIsASnapshotRebuiltEachEpoch() {
    EmbeddingTable items = new EmbeddingTable(3, 1, new float[] {1f, 0f, 0f});
    EmbeddingTable users = new EmbeddingTable(1, 1, new float[] {1f});
    Interactions train = Interactions.fromPairs(1, 3, new int[0], new int[0], null, null, 0);
    KernelRowSampler s = new KernelRowSampler(train, users, items, 1, 10, 1, VectorOps.best());
    s.beginEpoch(1);
    assertEquals(11.0 / 13, s.probability(0, 0), 1e-9);
    items.data()[2] = 2f; // the table moves; the tree keeps the epoch's snapshot
    assertEquals(11.0 / 13, s.probability(0, 0), 1e-9);
    s.beginEpoch(1);
    assertEquals(11.0 / 13, s.probability(0, 0), 1e-9, "the same epoch is not rebuilt");
    s.beginEpoch(2);
    assertEquals(11.0 / 53, s.probability(0, 0), 1e-9); // 11 / (11 + 1 + 41)
    assertThrows(
        IllegalArgumentException.class,
        () -> new KernelRowSampler(train, users, items, 1, 0, 1, VectorOps.best()));
  }
}
