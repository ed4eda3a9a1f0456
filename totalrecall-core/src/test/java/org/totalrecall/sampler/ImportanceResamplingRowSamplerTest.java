package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.loss.WarpLoss;

/**
 * AdaSIR's pools (paper 002, Algorithm 1) against the paper's statements: the resampling weights of
 * line 5 written out by hand, the merge of lines 9–10, the pool marginal approaching the softmax
 * (Theorem 3.1, Lemma 3.2) for both proposals, and the rank estimate of eq. 2.
 */
class ImportanceResamplingRowSamplerTest {
  private static final VectorOps OPS = VectorOps.best();

  /** One user; item j has the one-dimensional vector v[j], so its score is v[j]. */
  private static EmbeddingTable items(double... scores) {
    float[] v = new float[scores.length];
    for (int j = 0; j < v.length; j++) {
      v[j] = (float) scores[j];
    }
    return new EmbeddingTable(v.length, 1, v);
  }

  private static ImportanceResamplingRowSampler sampler(
      Interactions train,
      EmbeddingTable items,
      int pool,
      NegativeDistribution q,
      boolean rankWeighted,
      long seed) {
    EmbeddingTable users = new EmbeddingTable(train.numUsers(), 1, filled(train.numUsers(), 1f));
    return new ImportanceResamplingRowSampler(
        train,
        users,
        items,
        1,
        pool,
        q,
        rankWeighted ? WarpLoss::rankWeight : null,
        false,
        1f,
        seed,
        OPS);
  }

  private static float[] filled(int n, float value) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, value);
    return a;
  }

  /** Samples one row of (user, item) so that the user's pool is built for the current epoch. */
  private static RowCandidates touch(RowSampler s, int user, int item, SplittableRandom rng) {
    RowCandidates out = new RowCandidates(1, s.width());
    s.sample(new int[] {user}, new int[] {item}, null, 0, 1, rng, out);
    return out;
  }

  @Test
  void poolWeightsAreTheNormalisedResamplingWeightsOfLine5() {
    // scores 0, ln 2, ln 4 under a uniform proposal: w_i = e^{s_i} / Σ_{j∈K} e^{s_j} = {1,2,4}_i /
    // (n0 + 2 n1 + 4 n2)
    Interactions train =
        Interactions.fromPairs(2, 4, new int[] {0, 1}, new int[] {3, 3}, null, null, 2);
    EmbeddingTable items = items(0, Math.log(2), Math.log(4), 0);
    ImportanceResamplingRowSampler s =
        sampler(train, items, 12, NegativeDistribution.uniformItems(train), true, 5);
    touch(s, 0, 3, new SplittableRandom(1));
    int[] k = java.util.Arrays.copyOfRange(s.poolProposals(0), 0, 12);
    double denominator = 0;
    for (int j : k) {
      assertFalse(j == 3, "the user's training item is never in K_c");
      denominator += new double[] {1, 2, 4}[j];
    }
    int[] pool = s.poolItems(0);
    float[] logW = s.poolLogWeights(0);
    Set<Integer> inK = new HashSet<>();
    for (int j : k) {
      inK.add(j);
    }
    for (int t = 0; t < pool.length; t++) {
      assertTrue(inK.contains(pool[t]), "R'_c is drawn from K_c");
      assertEquals(
          Math.log(new double[] {1, 2, 4}[pool[t]] / denominator), logW[t], 1e-6, "entry " + t);
    }
  }

  @Test
  void theMergeKeepsAUniformHalfOfBothPoolsWithTheirWeights() {
    int users = 60;
    int pool = 40;
    int[] us = new int[users];
    int[] is = new int[users];
    for (int u = 0; u < users; u++) {
      us[u] = u;
      is[u] = 0;
    }
    Interactions train = Interactions.fromPairs(users, 30, us, is, null, null, users);
    double[] scores = new double[30];
    for (int j = 0; j < 30; j++) {
      scores[j] = Math.sin(j);
    }
    EmbeddingTable items = items(scores);
    ImportanceResamplingRowSampler s =
        sampler(train, items, pool, NegativeDistribution.uniformItems(train), false, 9);
    SplittableRandom rng = new SplittableRandom(2);
    Set<Long>[] before = newSets(users);
    for (int u = 0; u < users; u++) {
      touch(s, u, 0, rng);
      addEntries(before[u], s.poolItems(u), s.poolLogWeights(u));
    }
    for (int j = 0; j < 30; j++) {
      items.data()[j] *= 3; // the model moves: epoch 2's weights differ from epoch 1's
    }
    s.beginEpoch(2);
    long kept = 0;
    for (int u = 0; u < users; u++) {
      touch(s, u, 0, rng);
      int[] now = s.poolItems(u);
      float[] logW = s.poolLogWeights(u);
      assertEquals(pool, now.length);
      for (int t = 0; t < pool; t++) {
        if (before[u].contains(key(now[t], logW[t]))) {
          kept++;
        } else {
          // a fresh entry: its weight is proportional to e^{3 sin j} (the new scores), up to the
          // user's normaliser
          assertEquals(0, now[t] == 0 ? 1 : 0, "never the positive");
        }
      }
    }
    // P of 2P drawn without replacement: P/2 old entries per user on average (hypergeometric, sd
    // √(P/8) each)
    double share = kept / (double) (users * pool);
    assertEquals(0.5, share, 0.03, "share of entries kept from the previous pool");
  }

  @SuppressWarnings("unchecked") // a generic array: Set<Long>[] cannot be created directly
  private static Set<Long>[] newSets(int n) {
    Set<Long>[] sets = (Set<Long>[]) new Set<?>[n];
    for (int i = 0; i < n; i++) {
      sets[i] = new HashSet<>();
    }
    return sets;
  }

  private static void addEntries(Set<Long> set, int[] items, float[] logW) {
    for (int t = 0; t < items.length; t++) {
      set.add(key(items[t], logW[t]));
    }
  }

  private static long key(int item, float logW) {
    return ((long) item << 32) | (Float.floatToIntBits(logW) & 0xffffffffL);
  }

  @Test
  void poolDrawsApproachTheSoftmaxFromEitherProposal() {
    // 1 user with items 0 and 1 in training; 10 others. Theorem 3.1: with a large pool the pool's
    // frequencies are the softmax over the non-training items, whatever the proposal.
    int n = 12;
    int[] users = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
    int[] its = {0, 1, 2, 2, 2, 3, 3, 4, 5, 6};
    Interactions train = Interactions.fromPairs(2, n, users, its, null, null, users.length);
    double[] scores = new double[n];
    for (int j = 0; j < n; j++) {
      scores[j] = 1.5 * Math.cos(0.7 * j);
    }
    EmbeddingTable items = items(scores);
    double[] softmax = new double[n];
    double z = 0;
    for (int j = 2; j < n; j++) {
      z += Math.exp(scores[j]);
    }
    for (int j = 2; j < n; j++) {
      softmax[j] = Math.exp(scores[j]) / z;
    }
    for (NegativeDistribution q :
        new NegativeDistribution[] {
          NegativeDistribution.uniformItems(train),
          NegativeDistribution.logPopularity(train.colCounts())
        }) {
      ImportanceResamplingRowSampler s = sampler(train, items, 2_000, q, false, 11);
      SplittableRandom rng = new SplittableRandom(3);
      long[] counts = new long[n];
      long draws = 0;
      for (int epoch = 1; epoch <= 100; epoch++) {
        s.beginEpoch(epoch);
        for (int r = 0; r < 400; r++) {
          counts[touch(s, 0, 0, rng).items()[1]]++;
          draws++;
        }
      }
      double tv = 0;
      for (int j = 0; j < n; j++) {
        tv += Math.abs(counts[j] / (double) draws - softmax[j]);
      }
      tv /= 2;
      assertEquals(0, counts[0] + counts[1], "training items are never drawn, " + q);
      if (q.isUniform()) {
        assertTrue(tv < 0.02, "total variation " + tv + " from the softmax, " + q);
      } else {
        // log-popularity gives items 7..11 (no training pairs) probability 0: SIR cannot reach them
        double unreachable = 0;
        for (int j = 7; j < n; j++) {
          unreachable += softmax[j];
          assertEquals(0, counts[j], "item " + j + " has q = 0");
        }
        double reachable = 0;
        for (int j = 2; j < 7; j++) {
          reachable += Math.abs(counts[j] / (double) draws - softmax[j] / (1 - unreachable));
        }
        assertTrue(
            reachable / 2 < 0.02,
            "total variation " + reachable / 2 + " from the softmax over q > 0, " + q);
      }
    }
  }

  @Test
  void adasirWEstimatesTheRankByEq2AndWeightsTheRow() {
    // 201 items: item 0 is the user's positive (score 0); items 1..100 score +1, items 101..200
    // score −1.
    // The positive's rank among all items is 101; eq. 2 with a pool of 20,000 estimates it within a
    // few.
    int n = 201;
    double[] scores = new double[n];
    for (int j = 1; j < n; j++) {
      scores[j] = j <= 100 ? 1 : -1;
    }
    Interactions train = Interactions.fromPairs(1, n, new int[] {0}, new int[] {0}, null, null, 1);
    ImportanceResamplingRowSampler s =
        sampler(train, items(scores), 20_000, NegativeDistribution.uniformItems(train), true, 13);
    RowCandidates out = new RowCandidates(1, 2);
    s.sample(new int[] {0}, new int[] {0}, new float[] {2f}, 0, 1, new SplittableRandom(4), out);
    int rank = s.estimatedRank(0, 0);
    assertEquals(101, rank, 4, "eq. 2's estimate of rank 101");
    assertEquals(
        (float) (2 * WarpLoss.rankWeight(rank)), out.weights()[0], 1e-5f, "weight × J(rank)");
    // the best item is estimated at rank 1, J(1) = 1
    assertEquals(1, s.estimatedRank(0, 1));
  }

  @Test
  void i2uPoolsOfUsersApproachTheSoftmaxOverUsersForAnItem() {
    // the transposed problem: item 0's pool holds users, scored by the user's 1-d vector (the
    // item's is 1)
    int n = 9;
    int[] us = {0, 1, 2};
    int[] is = {0, 0, 1};
    Interactions train = Interactions.fromPairs(n, 2, us, is, null, null, 3);
    float[] u = new float[n];
    double z = 0;
    for (int v = 0; v < n; v++) {
      u[v] = (float) Math.sin(v);
      z += v < 2 ? 0 : Math.exp(u[v]);
    }
    EmbeddingTable users = new EmbeddingTable(n, 1, u);
    EmbeddingTable items = new EmbeddingTable(2, 1, new float[] {1f, 1f});
    ImportanceResamplingRowSampler s =
        new ImportanceResamplingRowSampler(
            train,
            users,
            items,
            true,
            1,
            2_000,
            NegativeDistribution.uniformUsers(train),
            null,
            false,
            1f,
            3,
            OPS);
    SplittableRandom rng = new SplittableRandom(8);
    RowCandidates out = new RowCandidates(1, 2);
    long[] counts = new long[n];
    long draws = 0;
    for (int epoch = 1; epoch <= 50; epoch++) {
      s.beginEpoch(epoch);
      for (int r = 0; r < 400; r++) {
        s.sample(us, is, null, 0, 1, rng, out);
        assertEquals(0, out.items()[1], "an i2u negative keeps the row's item");
        counts[out.users()[1]]++;
        draws++;
      }
    }
    double tv = 0;
    for (int v = 0; v < n; v++) {
      double p = v < 2 ? 0 : Math.exp(u[v]) / z;
      tv += Math.abs(counts[v] / (double) draws - p);
    }
    assertTrue(
        tv / 2 < 0.02, "total variation " + tv / 2 + " from the softmax over the item's non-users");
  }

  @Test
  void aUserPoolDependsOnlyOnTheSeedEpochAndModel() {
    Interactions train = SamplerFixtures.train();
    EmbeddingTable items = EmbeddingTable.gaussian(10, 1, 1f, new SplittableRandom(5));
    ImportanceResamplingRowSampler a =
        sampler(train, items, 50, NegativeDistribution.uniformItems(train), false, 21);
    ImportanceResamplingRowSampler b =
        sampler(train, items, 50, NegativeDistribution.uniformItems(train), false, 21);
    ImportanceResamplingRowSampler c =
        sampler(train, items, 50, NegativeDistribution.uniformItems(train), false, 22);
    touch(a, 2, 0, new SplittableRandom(1));
    touch(
        b.forWorker(),
        2,
        0,
        new SplittableRandom(99)); // another worker, another row stream: the same pool
    touch(c, 2, 0, new SplittableRandom(1));
    assertArrayEquals(a.poolItems(2), b.poolItems(2));
    assertArrayEquals(a.poolLogWeights(2), b.poolLogWeights(2));
    assertFalse(
        java.util.Arrays.equals(a.poolItems(2), c.poolItems(2)), "another seed, another pool");
  }

  @Test
  void workersShareThePoolsAndBuildEachOncePerEpoch() throws Exception {
    int users = 400;
    int[] us = new int[users * 3];
    int[] is = new int[users * 3];
    for (int p = 0; p < us.length; p++) {
      us[p] = p / 3;
      is[p] = (p * 7) % 50;
    }
    Interactions train = Interactions.fromPairs(users, 50, us, is, null, null, us.length);
    EmbeddingTable items = EmbeddingTable.gaussian(50, 1, 1f, new SplittableRandom(6));
    ImportanceResamplingRowSampler shared =
        sampler(train, items, 64, NegativeDistribution.uniformItems(train), false, 3);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] threads = new Thread[2];
    for (int w = 0; w < threads.length; w++) {
      RowSampler mine = shared.forWorker();
      long seed = w;
      threads[w] =
          new Thread(
              () -> {
                try {
                  SplittableRandom rng = new SplittableRandom(seed);
                  RowCandidates out = new RowCandidates(64, mine.width());
                  for (int step = 0; step < 200; step++) {
                    int from = (int) ((step * 64L) % (us.length - 64));
                    mine.sample(us, is, null, from, 64, rng, out);
                    for (int r = 0; r < 64; r++) {
                      int u = out.users()[r * 2];
                      if (train.contains(u, out.items()[r * 2 + 1])) {
                        throw new AssertionError("a training item of user " + u + " was drawn");
                      }
                    }
                  }
                } catch (Throwable t) {
                  failure.set(t);
                }
              });
    }
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    // a pool built concurrently equals the one a lone sampler builds from the same (unchanged)
    // model
    ImportanceResamplingRowSampler alone =
        sampler(train, items, 64, NegativeDistribution.uniformItems(train), false, 3);
    touch(alone, 17, us[51], new SplittableRandom(0));
    assertArrayEquals(alone.poolItems(17), shared.poolItems(17));
  }

  @Test
  void aDrawAllocatesNothing() {
    Interactions train = SamplerFixtures.train();
    EmbeddingTable items = EmbeddingTable.gaussian(10, 1, 1f, new SplittableRandom(5));
    RowSampler s =
        sampler(train, items, 32, NegativeDistribution.uniformItems(train), true, 1).forWorker();
    RowCandidates out = new RowCandidates(12, 2);
    SplittableRandom rng = new SplittableRandom(1);
    for (int e = 1; e <= 2_000; e++) { // warm up, rebuilding the pools each time
      s.beginEpoch(e);
      s.sample(SamplerFixtures.USERS, SamplerFixtures.ITEMS, null, 0, 12, rng, out);
    }
    long before = SamplerFixtures.allocatedBytes();
    for (int e = 2_001; e <= 4_000; e++) {
      s.beginEpoch(e);
      s.sample(SamplerFixtures.USERS, SamplerFixtures.ITEMS, null, 0, 12, rng, out);
    }
    long after = SamplerFixtures.allocatedBytes();
    if (before >= 0) {
      assertTrue(
          after - before < 4_096, (after - before) + " bytes over 2,000 pool rebuilds and draws");
    }
  }

  @Test
  void refusesBadArguments() {
    Interactions train = SamplerFixtures.train();
    EmbeddingTable items = EmbeddingTable.gaussian(10, 1, 1f, new SplittableRandom(5));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            sampler(
                train, items, 10, NegativeDistribution.logPopularity(train.colCounts()), true, 1),
        "AdaSIR-W needs a uniform proposal");
    assertThrows(
        IllegalArgumentException.class,
        () -> sampler(train, items, 0, NegativeDistribution.uniformItems(train), false, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> sampler(train, items, 10, NegativeDistribution.uniform(7), false, 1));
  }
}
