package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InteractionsTest {
  @Test
  void fromPairsSortsRowsAndSumsRepeatedPairs() {
    int[] users = {2, 0, 0, 2, 0, 2};
    int[] items = {7, 9, 2, 0, 7, 7};
    float[] weights = {1, 1, 1, 1, 1, 2};
    long[] times = {5, 1, 2, 3, 4, 9};
    Interactions m = Interactions.fromPairs(3, 10, users, items, weights, times, 6);
    assertArrayEquals(new int[] {0, 3, 3, 5}, m.rowStarts());
    assertArrayEquals(new int[] {2, 7, 9, 0, 7}, m.cols());
    assertArrayEquals(new float[] {1, 1, 1, 1, 3}, m.weights());
    assertArrayEquals(new long[] {2, 4, 1, 3, 9}, m.times());
    assertTrue(m.contains(2, 7));
    assertFalse(m.contains(1, 7));
  }

  @Test
  void transposeIsSortedAndRoundTrips() {
    Interactions m =
        Interactions.fromPairs(3, 4, new int[] {0, 0, 2, 1}, new int[] {3, 1, 1, 0}, null, null, 4);
    Interactions t = m.transpose();
    assertEquals(4, t.numRows());
    assertArrayEquals(new int[] {0, 1, 3, 3, 4}, t.rowStarts());
    assertArrayEquals(new int[] {1, 0, 2, 0}, t.cols());
    assertArrayEquals(m.cols(), t.transpose().cols());
    assertArrayEquals(new long[] {1, 2, 0, 1}, m.colCounts());
  }

  @Test
  void rejectsPairsOutsideTheShape() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Interactions.fromPairs(2, 2, new int[] {0, 2}, new int[] {0, 0}, null, null, 2));
    assertEquals("pair 1 (2, 0) is outside 2 x 2", e.getMessage());
  }
}
