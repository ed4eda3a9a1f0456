package org.totalrecall.linalg;

/**
 * Solves a small dense symmetric positive-definite system A x = b by the Cholesky factorisation A =
 * L·Lᵀ (Golub &amp; Van Loan sec. 4.2, the column-oriented gaxpy form: one division per column),
 * then forward and back substitution. Double precision; A is d × d row-major and only its lower
 * triangle (j ≤ i) is read. Allocation-free and stateless.
 */
public final class Cholesky {
  private Cholesky() {}

  /**
   * Overwrites the lower triangle of {@code a} with L and {@code b} with x.
   *
   * @throws IllegalArgumentException if A is not positive definite (a pivot ≤ 0 or NaN), naming the
   *     pivot
   */
  public static void solveInPlace(double[] a, double[] b, int d) {
    for (int j = 0; j < d; j++) { // column j of L: its pivot, then every entry below it
      final int jo = j * d;
      double pivot = a[jo + j];
      for (int k = 0; k < j; k++) {
        pivot -= a[jo + k] * a[jo + k];
      }
      if (!(pivot > 0)) {
        throw new IllegalArgumentException(
            "matrix is not positive definite: pivot " + j + " is " + pivot);
      }
      final double ljj = Math.sqrt(pivot);
      a[jo + j] = ljj;
      final double inv = 1.0 / ljj;
      for (int i = j + 1; i < d; i++) {
        final int io = i * d;
        double sum = a[io + j];
        for (int k = 0; k < j; k++) {
          sum -= a[io + k] * a[jo + k];
        }
        a[io + j] = sum * inv;
      }
    }
    // L y = b
    for (int i = 0; i < d; i++) {
      final int io = i * d;
      double sum = b[i];
      for (int k = 0; k < i; k++) {
        sum -= a[io + k] * b[k];
      }
      b[i] = sum / a[io + i];
    }
    // Lᵀ x = y
    for (int i = d - 1; i >= 0; i--) {
      double sum = b[i];
      for (int k = i + 1; k < d; k++) {
        sum -= a[k * d + i] * b[k];
      }
      b[i] = sum / a[i * d + i];
    }
  }
}
