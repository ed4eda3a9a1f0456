package org.totalrecall.eval;

import org.totalrecall.data.Interactions;

/**
 * Set operations on {@link Interactions} used by the splits. Stateless; results are new matrices.
 */
final class InteractionSets {
  private InteractionSets() {}

  /** The interactions at the positions p of {@code data.cols()} with {@code keep[p] == want}. */
  static Interactions select(Interactions data, boolean[] keep, boolean want) {
    int n = 0;
    for (int p = 0; p < keep.length; p++) {
      if (keep[p] == want) {
        n++;
      }
    }
    int rows = data.numRows();
    int[] start = new int[rows + 1];
    int[] cols = new int[n];
    float[] weights = data.weights() == null ? null : new float[n];
    long[] times = data.times() == null ? null : new long[n];
    int out = 0;
    for (int r = 0; r < rows; r++) {
      for (int p = data.start(r); p < data.end(r); p++) {
        if (keep[p] == want) {
          cols[out] = data.cols()[p];
          if (weights != null) {
            weights[out] = data.weights()[p];
          }
          if (times != null) {
            times[out] = data.times()[p];
          }
          out++;
        }
      }
      start[r + 1] = out;
    }
    return new Interactions(rows, data.numCols(), start, cols, weights, times);
  }

  /**
   * The union of two matrices of the same shape (pairs in both are merged as by {@link
   * Interactions#fromPairs}). Weights and timestamps are kept only if both have them.
   */
  static Interactions union(Interactions a, Interactions b) {
    if (b == null) {
      return a;
    }
    if (a.numRows() != b.numRows() || a.numCols() != b.numCols()) {
      throw new IllegalArgumentException(
          "cannot join a "
              + a.numRows()
              + " x "
              + a.numCols()
              + " matrix with a "
              + b.numRows()
              + " x "
              + b.numCols()
              + " one");
    }
    int n = a.size() + b.size();
    int[] rows = new int[n];
    int[] cols = new int[n];
    boolean withWeights = a.weights() != null && b.weights() != null;
    boolean withTimes = a.times() != null && b.times() != null;
    float[] weights = withWeights ? new float[n] : null;
    long[] times = withTimes ? new long[n] : null;
    int k = 0;
    for (Interactions m : new Interactions[] {a, b}) {
      for (int r = 0; r < m.numRows(); r++) {
        for (int p = m.start(r); p < m.end(r); p++) {
          rows[k] = r;
          cols[k] = m.cols()[p];
          if (withWeights) {
            weights[k] = m.weights()[p];
          }
          if (withTimes) {
            times[k] = m.times()[p];
          }
          k++;
        }
      }
    }
    return Interactions.fromPairs(a.numRows(), a.numCols(), rows, cols, weights, times, n);
  }

  /** Number of pairs of {@code a} also in {@code b} (same shape). */
  static long overlap(Interactions a, Interactions b) {
    long n = 0;
    int rows = Math.min(a.numRows(), b.numRows());
    for (int r = 0; r < rows; r++) {
      for (int p = a.start(r); p < a.end(r); p++) {
        int c = a.cols()[p];
        if (c < b.numCols() && b.contains(r, c)) {
          n++;
        }
      }
    }
    return n;
  }

  /** The first pair of {@code a} also in {@code b} as {row, col}, or null. */
  static int[] firstShared(Interactions a, Interactions b) {
    int rows = Math.min(a.numRows(), b.numRows());
    for (int r = 0; r < rows; r++) {
      for (int p = a.start(r); p < a.end(r); p++) {
        int c = a.cols()[p];
        if (c < b.numCols() && b.contains(r, c)) {
          return new int[] {r, c};
        }
      }
    }
    return null;
  }

  /** An empty matrix of the given shape. */
  static Interactions empty(int rows, int cols) {
    return new Interactions(rows, cols, new int[rows + 1], new int[0], null, null);
  }
}
