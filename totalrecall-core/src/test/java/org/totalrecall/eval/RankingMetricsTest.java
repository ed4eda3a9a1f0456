package org.totalrecall.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.ItemCategories;

class RankingMetricsTest {
  private static final double EPS = 1e-12;
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  @Test
  void pessimisticRankCountsTiesAgainstTheRelevantCandidate() {
    // relevant = position 0 (0.5); competitors with score >= 0.5: position 1 (0.9) and position 2
    // (0.5 tie)
    float[] scores = {0.5f, 0.9f, 0.5f, 0.1f};
    assertEquals(3, RankingMetrics.pessimisticRank(scores, 0, 4, 0));
    // the same array at an offset: position 3 (0.1) is beaten by all three others
    float[] padded = {7f, 7f, 0.5f, 0.9f, 0.5f, 0.1f};
    assertEquals(4, RankingMetrics.pessimisticRank(padded, 2, 4, 3));
  }

  @Test
  void excludedCandidatesAtMinusInfinityNeverCompete() {
    float[] scores = {Float.NEGATIVE_INFINITY, 0.2f, Float.NEGATIVE_INFINITY, 0.3f};
    assertEquals(2, RankingMetrics.pessimisticRank(scores, 0, 4, 1)); // only 0.3 beats 0.2
  }

  @Test
  void allEqualScoresGiveTheWorstRank() {
    float[] scores = new float[100];
    Arrays.fill(scores, 0.25f);
    int rank = RankingMetrics.pessimisticRank(scores, 0, 100, 37);
    assertEquals(100, rank); // all 99 others tie, so all count against it
    int[] ranks = {rank};
    assertEquals(0.0, RankingMetrics.hitRate(ranks, 0, 1, 10));
    assertEquals(0.0, RankingMetrics.ndcg(ranks, 0, 1, 10));
    assertEquals(
        0.5, RankingMetrics.auc(scores, relevantAt(100, 37), 100), EPS); // 99 ties, each 1/2
  }

  @Test
  void singleRelevantAtRankThree() {
    int[] ranks = {3};
    assertEquals(0.0, RankingMetrics.hitRate(ranks, 0, 1, 2));
    assertEquals(1.0, RankingMetrics.hitRate(ranks, 0, 1, 3));
    assertEquals(1.0, RankingMetrics.recall(ranks, 0, 1, 5));
    assertEquals(
        1.0 / 5, RankingMetrics.precision(ranks, 0, 1, 5), EPS); // over N, not min(N, |R|) = 1
    assertEquals(0.5, RankingMetrics.ndcg(ranks, 0, 1, 5), EPS); // 1 / log2(3 + 1) = 1/2
    assertEquals(1.0 / 3, RankingMetrics.reciprocalRank(ranks, 0, 1, 5), EPS);
    assertEquals(0.0, RankingMetrics.reciprocalRank(ranks, 0, 1, 2));
    assertEquals(
        1.0 / 3, RankingMetrics.averagePrecision(ranks, 0, 1, 5), EPS); // P@3 = 1/3, / min(1, 5)
    // F1 = 2 · 0.2 · 1 / 1.2 = 1/3
    assertEquals(1.0 / 3, RankingMetrics.f1(0.2, 1.0), EPS);
  }

  @Test
  void threeRelevantAtRanksOneThreeSeven() {
    int[] ranks = {1, 3, 7};
    // top-5 holds ranks 1 and 3
    assertEquals(2, RankingMetrics.hits(ranks, 0, 3, 5));
    assertEquals(2.0 / 3, RankingMetrics.recall(ranks, 0, 3, 5), EPS);
    assertEquals(2.0 / 5, RankingMetrics.precision(ranks, 0, 3, 5), EPS);
    // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) + 1/log2(4) = 1.5 + 1/log2(3)
    assertEquals(1.5 / (1.5 + 1 / LOG2_3), RankingMetrics.ndcg(ranks, 0, 3, 5), EPS);
    // AP@5 = (P@1 + P@3) / min(3, 5) = (1 + 2/3) / 3 = 5/9
    assertEquals(5.0 / 9, RankingMetrics.averagePrecision(ranks, 0, 3, 5), EPS);
    assertEquals(1.0, RankingMetrics.reciprocalRank(ranks, 0, 3, 5));
    // F1 = 2 · (2/5) · (2/3) / (2/5 + 2/3) = (8/15) / (16/15) = 1/2
    assertEquals(0.5, RankingMetrics.f1(2.0 / 5, 2.0 / 3), EPS);
    assertEquals(0.0, RankingMetrics.f1(0, 0));
  }

  @Test
  void averagePrecisionDividesByNWhenThereAreMoreRelevantThanN() {
    int[] ranks = {1, 2, 5, 6};
    // N = 2: (P@1 + P@2) / min(4, 2) = (1 + 1) / 2 = 1
    assertEquals(1.0, RankingMetrics.averagePrecision(ranks, 0, 4, 2), EPS);
    // N = 3: still two hits, (1 + 1) / min(4, 3) = 2/3
    assertEquals(2.0 / 3, RankingMetrics.averagePrecision(ranks, 0, 4, 3), EPS);
    // N = 6: (1 + 1 + 3/5 + 4/6) / 4 = 3.2666.../4
    assertEquals((1 + 1 + 0.6 + 4.0 / 6) / 4, RankingMetrics.averagePrecision(ranks, 0, 4, 6), EPS);
    // NDCG@2: DCG = 1 + 1/log2(3) = IDCG over min(4, 2) = 2 positions
    assertEquals(1.0, RankingMetrics.ndcg(ranks, 0, 4, 2), EPS);
  }

  @Test
  void tiedRelevantCandidatesShareTheWorseRank() {
    // Two relevant (positions 0 and 1) tie at 0.5 with nothing above: each counts the other, rank
    // 2.
    float[] scores = {0.5f, 0.5f, 0.1f};
    int r0 = RankingMetrics.pessimisticRank(scores, 0, 3, 0);
    int r1 = RankingMetrics.pessimisticRank(scores, 0, 3, 1);
    assertEquals(2, r0);
    assertEquals(2, r1);
    int[] ranks = {r0, r1};
    // both in top 2: AP@2 = (2 · P@2) / 2 = (2 · 2/2) / 2 = 1; MRR = 1/2; NDCG = (2/log2 3) / (1 +
    // 1/log2 3)
    assertEquals(1.0, RankingMetrics.averagePrecision(ranks, 0, 2, 2), EPS);
    assertEquals(0.5, RankingMetrics.reciprocalRank(ranks, 0, 2, 2), EPS);
    assertEquals((2 / LOG2_3) / (1 + 1 / LOG2_3), RankingMetrics.ndcg(ranks, 0, 2, 2), EPS);
    assertEquals(0.0, RankingMetrics.hitRate(ranks, 0, 2, 1));
  }

  @Test
  void aucCountsTiesAsOneHalf() {
    // relevant 0.5 vs irrelevant {0.5, 0.2, 0.9}: 0.2 correct (1), 0.5 tie (1/2), 0.9 wrong (0) →
    // 1.5 / 3
    float[] scores = {0.5f, 0.5f, 0.2f, 0.9f};
    assertEquals(0.5, RankingMetrics.auc(scores, relevantAt(4, 0), 4), EPS);
    // two relevant {0.5, 0.9} vs irrelevant {0.5, 0.2}: 0.5→(1/2 + 1), 0.9→(1 + 1) = 3.5 of 4 pairs
    boolean[] rel = {true, false, false, true};
    assertEquals(3.5 / 4, RankingMetrics.auc(scores, rel, 4), EPS);
    // the counting form: twiceCorrect = 2·below + tied = 2·3 + 1 = 7 over 2 · (2 · 2) = 8
    assertEquals(7.0 / 8, RankingMetrics.auc(7, 2, 4), EPS);
    assertTrue(Double.isNaN(RankingMetrics.auc(0, 3, 3))); // no irrelevant candidate, no pair
  }

  @Test
  void accumulatorAveragesOverQueriesAndCountsDiversity(@TempDir Path tmp) throws IOException {
    long[] popularity = {10, 5, 0, 1};
    // item 0: a; item 1: b; item 2: a, b; item 3: c
    ItemCategories cats =
        EvalFixtures.categories(tmp, IdIndex.identity(4), new String[] {"a", "b", "a|b", "c"});
    MetricAccumulator acc = new MetricAccumulator(new int[] {1, 2}, 4, popularity, cats);
    // query A: one relevant at rank 1, top list [0, 2]; query B: one relevant at rank 3, top list
    // [1, 2]
    acc.addQuery(new int[] {1}, 0, 1, 2 * 3, 4, new int[] {0, 2}, 0, 2);
    acc.addQuery(new int[] {9, 3}, 1, 1, 2 * 1, 4, new int[] {7, 1, 2}, 1, 2);
    Map<String, Double> m = acc.metrics();
    assertEquals(0.5, m.get("hr@1"), EPS); // (1 + 0) / 2
    assertEquals(0.5, m.get("hr@2"), EPS);
    assertEquals(0.25, m.get("precision@2"), EPS); // (1/2 + 0) / 2
    assertEquals(0.5, m.get("ndcg@2"), EPS);
    // AUC: A = 6 / (2 · 3) = 1; B = 2 / (2 · 3) = 1/3; mean 2/3
    assertEquals(2.0 / 3, m.get("auc"), EPS);
    assertEquals(2.0, m.get("distinct@1"), EPS); // {0, 1}
    assertEquals(3.0, m.get("distinct@2"), EPS); // {0, 1, 2}
    assertEquals(0.75, m.get("coverage@2"), EPS);
    assertEquals(2.0, m.get("distinctCategories@1"), EPS); // a (item 0), b (item 1)
    assertEquals(2.0, m.get("distinctCategories@2"), EPS); // item 2 adds a, b again
    // AvgPopularity@1: (10/10 + 5/10) / 2 = 0.75; @2: (10 + 0 + 5 + 0) / 10 / 4 = 0.375
    assertEquals(0.75, m.get("avgPopularity@1"), EPS);
    assertEquals(0.375, m.get("avgPopularity@2"), EPS);
    assertEquals(2, acc.queries());
  }

  @Test
  void accumulatorRejectsBadCutoffs() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new MetricAccumulator(new int[] {5, 5}, 3, null, null));
    assertThrows(
        IllegalArgumentException.class, () -> new MetricAccumulator(new int[] {0}, 3, null, null));
  }

  private static boolean[] relevantAt(int len, int position) {
    boolean[] r = new boolean[len];
    r[position] = true;
    return r;
  }
}
