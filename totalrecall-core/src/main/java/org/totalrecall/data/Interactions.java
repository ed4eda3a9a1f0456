package org.totalrecall.data;

import java.util.Arrays;

/**
 * An implicit-feedback matrix in compressed sparse row form: for each user (dense index) the items
 * (dense indices, strictly increasing) it interacted with, with an optional weight and an optional
 * timestamp per interaction. {@link #transpose()} gives the same data by item (rows are items,
 * columns users), built once and cached.
 *
 * <pre>
 *   rowStart: [0, 3, 3, 5]            row r spans cols[rowStart[r] .. rowStart[r+1])
 *   cols:     [2, 7, 9, 0, 7]         user 0 -> items 2, 7, 9; user 1 -> none; user 2 -> 0, 7
 *   weights:  [1, 1, 2, 1, 1] or null (every weight 1)
 *   times:    [...]           or null (no timestamps)
 * </pre>
 *
 * <p>Immutable once built. The arrays returned by the accessors are the internal ones, shared for
 * speed: callers must not modify them. Safe to share between threads.
 */
public final class Interactions {
  private final int numRows;
  private final int numCols;
  private final int[] rowStart;
  private final int[] cols;
  private final float[] weights;
  private final long[] times;
  private volatile Interactions transposed;

  /**
   * Wraps CSR arrays (not copied). Validates shapes, ranges and the strictly increasing order of
   * each row's columns.
   */
  public Interactions(
      int numRows, int numCols, int[] rowStart, int[] cols, float[] weights, long[] times) {
    if (numRows < 0 || numCols < 0) {
      throw new IllegalArgumentException(
          "numRows and numCols must be >= 0, got " + numRows + ", " + numCols);
    }
    if (rowStart.length != numRows + 1 || rowStart[0] != 0 || rowStart[numRows] != cols.length) {
      throw new IllegalArgumentException(
          "rowStart must have numRows + 1 entries from 0 to cols.length");
    }
    if (weights != null && weights.length != cols.length) {
      throw new IllegalArgumentException("weights must have one entry per interaction");
    }
    if (times != null && times.length != cols.length) {
      throw new IllegalArgumentException("times must have one entry per interaction");
    }
    for (int r = 0; r < numRows; r++) {
      int prev = -1;
      if (rowStart[r + 1] < rowStart[r]) {
        throw new IllegalArgumentException("rowStart must be non-decreasing at row " + r);
      }
      for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
        int c = cols[p];
        if (c <= prev || c >= numCols) {
          throw new IllegalArgumentException(
              "row " + r + ": columns must be strictly increasing and < " + numCols + ", got " + c);
        }
        prev = c;
      }
    }
    this.numRows = numRows;
    this.numCols = numCols;
    this.rowStart = rowStart;
    this.cols = cols;
    this.weights = weights;
    this.times = times;
  }

  /**
   * Builds the matrix from {@code count} (row, col) pairs in any order. Pairs that repeat are
   * combined into one interaction whose weight is the sum and whose timestamp is the latest;
   * callers that must report or reject duplicates do so before calling (see the readers).
   *
   * @param weights per-pair weights or null (all 1)
   * @param times per-pair timestamps or null
   */
  public static Interactions fromPairs(
      int numRows,
      int numCols,
      int[] rows,
      int[] colsIn,
      float[] weights,
      long[] times,
      int count) {
    int[] rowStart = new int[numRows + 1];
    for (int n = 0; n < count; n++) {
      int r = rows[n];
      int c = colsIn[n];
      if (r < 0 || r >= numRows || c < 0 || c >= numCols) {
        throw new IllegalArgumentException(
            "pair " + n + " (" + r + ", " + c + ") is outside " + numRows + " x " + numCols);
      }
      rowStart[r + 1]++;
    }
    for (int r = 0; r < numRows; r++) {
      rowStart[r + 1] += rowStart[r];
    }
    // Bucket pair indices by row (a stable counting sort), then sort each row by column.
    int[] order = new int[count];
    int[] fill = Arrays.copyOf(rowStart, numRows);
    for (int n = 0; n < count; n++) {
      order[fill[rows[n]]++] = n;
    }
    long[] keys = new long[count];
    for (int p = 0; p < count; p++) {
      int n = order[p];
      keys[p] = ((long) colsIn[n] << 32) | n;
    }
    int[] outStart = new int[numRows + 1];
    int[] outCols = new int[count];
    float[] outWeights = weights == null ? null : new float[count];
    long[] outTimes = times == null ? null : new long[count];
    int out = 0;
    for (int r = 0; r < numRows; r++) {
      Arrays.sort(keys, rowStart[r], rowStart[r + 1]);
      int prevCol = -1;
      for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
        int c = (int) (keys[p] >>> 32);
        int n = (int) keys[p];
        if (c == prevCol) {
          if (outWeights != null) {
            outWeights[out - 1] += weights[n];
          }
          if (outTimes != null) {
            outTimes[out - 1] = Math.max(outTimes[out - 1], times[n]);
          }
          continue;
        }
        outCols[out] = c;
        if (outWeights != null) {
          outWeights[out] = weights[n];
        }
        if (outTimes != null) {
          outTimes[out] = times[n];
        }
        out++;
        prevCol = c;
      }
      outStart[r + 1] = out;
    }
    if (out < count) {
      outCols = Arrays.copyOf(outCols, out);
      outWeights = outWeights == null ? null : Arrays.copyOf(outWeights, out);
      outTimes = outTimes == null ? null : Arrays.copyOf(outTimes, out);
    }
    return new Interactions(numRows, numCols, outStart, outCols, outWeights, outTimes);
  }

  /** Number of rows (users, or items for a transposed matrix). */
  public int numRows() {
    return numRows;
  }

  /** Number of columns (items, or users for a transposed matrix). */
  public int numCols() {
    return numCols;
  }

  /** Alias of {@link #numRows()} for the user-by-item orientation. */
  public int numUsers() {
    return numRows;
  }

  /** Alias of {@link #numCols()} for the user-by-item orientation. */
  public int numItems() {
    return numCols;
  }

  /** Total number of (distinct) interactions. */
  public int size() {
    return cols.length;
  }

  /** Start of row {@code r} in {@link #cols()}. */
  public int start(int r) {
    return rowStart[r];
  }

  /** End (exclusive) of row {@code r} in {@link #cols()}. */
  public int end(int r) {
    return rowStart[r + 1];
  }

  /** Number of interactions in row {@code r}. */
  public int rowLength(int r) {
    return rowStart[r + 1] - rowStart[r];
  }

  /** True if row {@code r} contains column {@code c} (binary search). */
  public boolean contains(int r, int c) {
    return Arrays.binarySearch(cols, rowStart[r], rowStart[r + 1], c) >= 0;
  }

  /** The row offsets, length numRows + 1. Shared: do not modify. */
  public int[] rowStarts() {
    return rowStart;
  }

  /** The column indices, row after row, increasing within a row. Shared: do not modify. */
  public int[] cols() {
    return cols;
  }

  /** Per-interaction weights, or null if every weight is 1. Shared: do not modify. */
  public float[] weights() {
    return weights;
  }

  /** Per-interaction timestamps, or null if the data had none. Shared: do not modify. */
  public long[] times() {
    return times;
  }

  /** Weight of the interaction at position {@code p} of {@link #cols()}. */
  public float weight(int p) {
    return weights == null ? 1f : weights[p];
  }

  /** Number of interactions per column (item popularity for the user-by-item orientation). */
  public long[] colCounts() {
    long[] counts = new long[numCols];
    for (int c : cols) {
      counts[c]++;
    }
    return counts;
  }

  /** Number of interactions per row. */
  public long[] rowCounts() {
    long[] counts = new long[numRows];
    for (int r = 0; r < numRows; r++) {
      counts[r] = (long) rowStart[r + 1] - rowStart[r];
    }
    return counts;
  }

  /** The same interactions by column: rows become columns. Built on first call, then cached. */
  public Interactions transpose() {
    Interactions t = transposed;
    if (t == null) {
      synchronized (this) {
        t = transposed;
        if (t == null) {
          t = buildTranspose();
          t.transposed = this;
          transposed = t;
        }
      }
    }
    return t;
  }

  private Interactions buildTranspose() {
    int n = cols.length;
    int[] tStart = new int[numCols + 1];
    for (int c : cols) {
      tStart[c + 1]++;
    }
    for (int c = 0; c < numCols; c++) {
      tStart[c + 1] += tStart[c];
    }
    int[] fill = Arrays.copyOf(tStart, numCols);
    int[] tCols = new int[n];
    float[] tWeights = weights == null ? null : new float[n];
    long[] tTimes = times == null ? null : new long[n];
    // Rows are visited in increasing order, so each transposed row comes out sorted.
    for (int r = 0; r < numRows; r++) {
      for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
        int q = fill[cols[p]]++;
        tCols[q] = r;
        if (tWeights != null) {
          tWeights[q] = weights[p];
        }
        if (tTimes != null) {
          tTimes[q] = times[p];
        }
      }
    }
    return new Interactions(numCols, numRows, tStart, tCols, tWeights, tTimes);
  }
}
