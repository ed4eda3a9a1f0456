package org.totalrecall.linalg;

/**
 * The numeric kernels every hot loop goes through. Stateless and thread-safe. Vectors are addressed
 * as (array, offset, length) so rows of a flat row-major table are used without copying. Matrices
 * are row-major with the stated leading dimension.
 *
 * <p>Two implementations: {@link ScalarVectorOps}, the obviously-correct reference, and {@code
 * org.totalrecall.simd.PanamaVectorOps} (Vector API), chosen at startup by {@link #best()}; {@code
 * -Dtotalrecall.vectorOps=scalar|panama|auto} forces a choice.
 */
public interface VectorOps {
  /** Returns Σ a[aOff + i] · b[bOff + i] for i in [0, len). */
  float dot(float[] a, int aOff, float[] b, int bOff, int len);

  /**
   * out[j] = Σ_i q[qOff + i] · b[rows[j]·dim + i] for j in [0, count): the query's dot products
   * with the listed rows of a row-major table of width {@code dim} (a graph node's neighbours).
   * Each out[j] is bit for bit what {@link #dot} returns for that row. (A Panama version scoring
   * four rows per pass, the query loaded once, measured no faster on the HNSW walk and was
   * dropped.)
   */
  default void dotRows(
      float[] q, int qOff, float[] b, int dim, int[] rows, int count, float[] out) {
    for (int j = 0; j < count; j++) {
      out[j] = dot(q, qOff, b, rows[j] * dim, dim);
    }
  }

  /** y[yOff + i] += alpha · x[xOff + i] for i in [0, len). */
  void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len);

  /** x[xOff + i] *= alpha for i in [0, len). */
  void scale(float alpha, float[] x, int xOff, int len);

  /**
   * C = A · Bᵀ: for i in [0, m), j in [0, n): {@code c[cOff + i·ldc + j] = Σ_k a[aOff + i·dim + k]
   * · b[bOff + j·dim + k]}. A is m × dim and B is n × dim, both row-major with stride dim (rows of
   * embedding tables). C is overwritten.
   */
  void gemmAbt(
      float[] a,
      int aOff,
      int m,
      float[] b,
      int bOff,
      int n,
      int dim,
      float[] c,
      int cOff,
      int ldc);

  /**
   * C = A · B: for i in [0, m), j in [0, n): {@code c[cOff + i·n + j] = Σ_k a[aOff + i·inner + k] ·
   * b[bOff + k·n + j]}. A is m × inner and B is inner × n, both row-major. C (m × n, row-major) is
   * overwritten.
   */
  void gemmAb(
      float[] a, int aOff, int m, int inner, float[] b, int bOff, int n, float[] c, int cOff);

  /** Returns max x[xOff + i] for i in [0, len); len must be > 0. */
  float max(float[] x, int xOff, int len);

  /**
   * Returns #{i in [0, len) : x[xOff + i] ≥ threshold}, the number of entries at or above the
   * threshold. NaN entries never count (and a NaN threshold counts nothing); −∞ entries count only
   * for a −∞ threshold. Exact: every implementation returns the same integer.
   */
  int countAtLeast(float[] x, int xOff, int len, float threshold);

  /**
   * x[xOff + i] = exp(x[xOff + i] − shift) for i in [0, len) and returns their sum (the softmax
   * denominator when shift is the row maximum).
   */
  float expShiftSum(float[] x, int xOff, int len, float shift);

  /** A short name for logs: "scalar" or "panama(…)". */
  String name();

  /** The implementation chosen at startup; see {@link VectorOpsProvider}. */
  static VectorOps best() {
    return VectorOpsProvider.BEST;
  }
}
