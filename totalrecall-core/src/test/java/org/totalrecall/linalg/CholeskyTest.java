package org.totalrecall.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CholeskyTest {
  @Test
  void solvesAHandComputedSystem() {
    // A = [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]]; A x = (2, 5) has x = (−0.5, 2)
    double[] a = {4, 2, 2, 3};
    double[] b = {2, 5};
    Cholesky.solveInPlace(a, b, 2);
    assertEquals(-0.5, b[0], 1e-15);
    assertEquals(2.0, b[1], 1e-15);
    assertEquals(2.0, a[0], 0.0);
    assertEquals(1.0, a[2], 0.0);
    assertEquals(Math.sqrt(2), a[3], 1e-15);
  }

  @ParameterizedTest(name = "d={0}")
  @ValueSource(ints = {1, 3, 16, 64})
  void residualOfARandomSpdSystemIsAtRounding(int d) {
    SplittableRandom rng = new SplittableRandom(d);
    double[] m = new double[d * d];
    for (int i = 0; i < m.length; i++) {
      m[i] = rng.nextDouble() * 2 - 1;
    }
    double[] a = new double[d * d]; // Mᵀ M + 0.1 I: symmetric positive definite
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = i == j ? 0.1 : 0;
        for (int k = 0; k < d; k++) {
          s += m[k * d + i] * m[k * d + j];
        }
        a[i * d + j] = s;
      }
    }
    double[] b = new double[d];
    for (int i = 0; i < d; i++) {
      b[i] = rng.nextDouble();
    }
    double[] x = b.clone();
    Cholesky.solveInPlace(a.clone(), x, d);
    for (int i = 0; i < d; i++) {
      double ax = 0;
      for (int j = 0; j < d; j++) {
        ax += a[i * d + j] * x[j];
      }
      assertEquals(b[i], ax, 1e-9, "row " + i);
    }
  }

  @Test
  void anIndefiniteMatrixIsRefusedNamingThePivot() {
    double[] a = {1, 2, 2, 1}; // eigenvalues 3 and −1
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Cholesky.solveInPlace(a, new double[] {1, 1}, 2));
    assertTrue(e.getMessage().contains("pivot 1"), e.getMessage());
  }
}
