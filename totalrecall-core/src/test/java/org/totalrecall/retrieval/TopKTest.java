package org.totalrecall.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TopKTest {
  /** Indices 0..n-1 sorted by score descending, ties by index ascending: the reference order. */
  static int[] fullSortOrder(float[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (x, y) -> {
          int c = Float.compare(scores[y], scores[x]);
          return c != 0 ? c : Integer.compare(x, y);
        });
    int[] out = new int[order.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i];
    }
    return out;
  }

  @Test
  void keepsTheSameTopAsAFullSortWithManyTiesInAnyOfferOrder() {
    long seed = 20_241_128L;
    System.out.println("TopKTest seed " + seed);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rng.nextInt(300);
      int k = 1 + rng.nextInt(40);
      float[] scores = new float[n];
      int levels = 1 + rng.nextInt(8); // few distinct values: many ties
      for (int i = 0; i < n; i++) {
        scores[i] = (rng.nextInt(levels) - levels / 2) * 0.25f;
        if (rng.nextInt(10) == 0) {
          scores[i] = -scores[i] - 0f; // includes -0.0 next to 0.0
        }
      }
      int[] offerOrder = new int[n];
      for (int i = 0; i < n; i++) {
        offerOrder[i] = i;
      }
      for (int i = n - 1; i > 0; i--) { // Fisher-Yates shuffle
        int j = rng.nextInt(i + 1);
        int t = offerOrder[i];
        offerOrder[i] = offerOrder[j];
        offerOrder[j] = t;
      }
      TopK top = new TopK(k);
      for (int i : offerOrder) {
        top.offer(i, scores[i]);
      }
      Neighbors got = top.drain();
      int[] expected = Arrays.copyOf(fullSortOrder(scores), Math.min(k, n));
      assertArrayEquals(expected, got.indices(), "trial " + trial + " n=" + n + " k=" + k);
      for (int r = 0; r < got.size(); r++) {
        assertEquals(scores[got.index(r)], got.score(r), 0f);
      }
      assertEquals(0, top.size(), "drain empties the heap");
    }
  }

  @Test
  void orderTreatsNegativeZeroAsBelowPositiveZeroAndHandlesInfinities() {
    TopK top = new TopK(4);
    top.offer(0, 0f);
    top.offer(1, -0f);
    top.offer(2, Float.NEGATIVE_INFINITY);
    top.offer(3, Float.POSITIVE_INFINITY);
    Neighbors got = top.drain();
    assertArrayEquals(new int[] {3, 0, 1, 2}, got.indices());
  }

  @Test
  void thresholdIsMinusInfinityUntilFullThenTheWorstHeldScore() {
    TopK top = new TopK(3);
    top.offer(5, 1f);
    top.offer(6, 3f);
    assertEquals(Float.NEGATIVE_INFINITY, top.threshold());
    top.offer(7, 2f);
    assertEquals(1f, top.threshold());
    top.offer(8, 0.5f); // below the threshold: ignored
    assertEquals(1f, top.threshold());
    top.offer(9, 2.5f);
    assertEquals(2f, top.threshold());
    top.clear();
    assertEquals(0, top.size());
    assertEquals(Float.NEGATIVE_INFINITY, top.threshold());
  }

  @Test
  void equalScoreWithSmallerIndexReplacesTheWorst() {
    TopK top = new TopK(2);
    top.offer(10, 1f);
    top.offer(11, 1f);
    top.offer(3, 1f);
    assertArrayEquals(new int[] {3, 10}, top.drain().indices());
  }

  @Test
  void packingRoundTripsIndexAndScore() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int t = 0; t < 1000; t++) {
      int index = rng.nextInt(Integer.MAX_VALUE);
      float score = Float.intBitsToFloat(rng.nextInt());
      if (Float.isNaN(score)) {
        continue;
      }
      long packed = TopK.pack(index, score);
      assertEquals(index, TopK.unpackIndex(packed));
      assertEquals(Float.floatToIntBits(score), Float.floatToIntBits(TopK.unpackScore(packed)));
    }
  }

  @Test
  void rejectsANonPositiveK() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TopK(0));
    assertEquals("k must be > 0, got 0", e.getMessage());
  }
}
