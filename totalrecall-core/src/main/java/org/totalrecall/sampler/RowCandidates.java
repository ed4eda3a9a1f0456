package org.totalrecall.sampler;

import org.totalrecall.util.Checks;

/**
 * The candidates of one step in the {@link CandidateLayout#PER_ROW} layout, filled by a {@link
 * RowSampler}: for each of {@code rows} positives, {@code width} (user, item) pairs, the first the
 * positive itself and the others its negatives, each with the log-probability with which the
 * sampler drew it (0 for the positive), and the positive's example weight. Entry {@code k} of row
 * {@code r} is at {@code r·width + k}. Dense indices.
 *
 * <p>A reusable buffer sized once per worker; not thread-safe. The accessors return the live
 * storage.
 */
public final class RowCandidates {
  private final int maxRows;
  private final int width;
  private final int[] users;
  private final int[] items;
  private final float[] logQ;
  private final float[] weights;
  private int rows;

  /**
   * @param maxRows the most positives per step
   * @param width 1 + negatives per positive
   */
  public RowCandidates(int maxRows, int width) {
    Checks.positive("maxRows", maxRows);
    Checks.positive("width", width);
    this.maxRows = maxRows;
    this.width = width;
    int n = Math.multiplyExact(maxRows, width);
    this.users = new int[n];
    this.items = new int[n];
    this.logQ = new float[n];
    this.weights = new float[maxRows];
  }

  /**
   * Checks one {@link RowSampler#sample} call against this buffer: its width is the sampler's and
   * rows [from, from + size) fit the positives' arrays (and the weights, if given) and this buffer.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  public void checkCall(
      int samplerWidth, int[] users, int[] items, float[] weights, int from, int size) {
    if (width != samplerWidth) {
      throw new IllegalArgumentException(
          "out must have width " + samplerWidth + " (1 + negatives), got " + width);
    }
    if (size < 0
        || size > maxRows
        || from < 0
        || from + size > users.length
        || from + size > items.length
        || (weights != null && from + size > weights.length)) {
      throw new IllegalArgumentException(
          "rows [" + from + ", " + (from + size) + ") do not fit the arrays or out");
    }
  }

  /** Sets the number of rows filled. */
  public void setRows(int rows) {
    if (rows < 0 || rows > maxRows) {
      throw new IllegalArgumentException("rows must be in [0, " + maxRows + "], got " + rows);
    }
    this.rows = rows;
  }

  public int rows() {
    return rows;
  }

  public int maxRows() {
    return maxRows;
  }

  /** 1 + negatives per positive. */
  public int width() {
    return width;
  }

  /** User of each candidate pair; live storage. */
  public int[] users() {
    return users;
  }

  /** Item of each candidate pair; live storage. */
  public int[] items() {
    return items;
  }

  /** log Q of each candidate (0 for the positives); live storage. */
  public float[] logQ() {
    return logQ;
  }

  /** Example weight of each row; live storage. */
  public float[] weights() {
    return weights;
  }
}
