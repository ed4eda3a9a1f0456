package org.totalrecall.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.totalrecall.testkit.Fixtures;

/**
 * The SIMD kernels against the scalar reference at every lane boundary and at non-zero offsets,
 * plus invariants that hold for any implementation ({@link VectorOps#best()} is whichever the run
 * selected, so the suite checks the scalar path under {@code -Dtotalrecall.vectorOps=scalar}).
 */
class VectorOpsTest {
  private static final VectorOps SCALAR = new ScalarVectorOps();
  private static final VectorOps PANAMA = VectorOpsProvider.panamaOrNull();
  private static final VectorOps BEST = VectorOps.best();

  /** Every lane-count boundary for 4, 8 and 16 lanes, plus a long prime length. */
  static IntStream lengths() {
    return IntStream.concat(
        IntStream.rangeClosed(1, 17), IntStream.of(31, 32, 33, 63, 64, 65, 127, 128, 129, 1021));
  }

  private static void assumePanama() {
    assumeTrue(PANAMA != null, "needs --add-modules jdk.incubator.vector");
  }

  /** Tolerance for a sum of len products of values in [-1, 1): float rounding grows with len. */
  private static float sumTolerance(int len) {
    return 1e-5f * len + 1e-6f;
  }

  @ParameterizedTest
  @MethodSource("lengths")
  void panamaDotMatchesScalarAtAnyOffset(int len) {
    assumePanama();
    SplittableRandom rng = new SplittableRandom(len);
    float[] a = Fixtures.randomFloats(rng, len + 3);
    float[] b = Fixtures.randomFloats(rng, len + 5);
    assertEquals(SCALAR.dot(a, 3, b, 5, len), PANAMA.dot(a, 3, b, 5, len), sumTolerance(len));
    assertEquals(SCALAR.dot(a, 0, b, 0, len), PANAMA.dot(a, 0, b, 0, len), sumTolerance(len));
  }

  /** dotRows equals dot row by row, bit for bit, in both implementations, at any width. */
  @ParameterizedTest
  @MethodSource("lengths")
  void dotRowsEqualsDotOfEachRowBitForBit(int len) {
    SplittableRandom rng = new SplittableRandom(50 + len);
    int n = 23;
    float[] table = Fixtures.randomFloats(rng, n * len);
    float[] q = Fixtures.randomFloats(rng, len + 3);
    int[] rows = {7, 0, 22, 3, 3, 19, 11, 1, 5, 14, 2}; // 11: two blocks of four and a tail
    for (VectorOps ops :
        PANAMA == null ? new VectorOps[] {SCALAR} : new VectorOps[] {SCALAR, PANAMA}) {
      float[] out = new float[rows.length];
      ops.dotRows(q, 3, table, len, rows, rows.length, out);
      for (int j = 0; j < rows.length; j++) {
        assertEquals(
            Float.floatToIntBits(ops.dot(q, 3, table, rows[j] * len, len)),
            Float.floatToIntBits(out[j]),
            ops.name() + " row " + rows[j]);
        assertEquals(SCALAR.dot(q, 3, table, rows[j] * len, len), out[j], sumTolerance(len));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("lengths")
  void panamaAxpyMatchesScalarAndLeavesNeighboursAlone(int len) {
    assumePanama();
    SplittableRandom rng = new SplittableRandom(100 + len);
    float[] x = Fixtures.randomFloats(rng, len + 2);
    float[] y = Fixtures.randomFloats(rng, len + 7);
    float[] expected = y.clone();
    float[] actual = y.clone();
    SCALAR.axpy(-0.75f, x, 2, expected, 4, len);
    PANAMA.axpy(-0.75f, x, 2, actual, 4, len);
    for (int i = 0; i < y.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6f, "len " + len + ", index " + i);
    }
    assertEquals(y[3], actual[3], 0f, "entry before the range changed");
    assertEquals(y[4 + len], actual[4 + len], 0f, "entry after the range changed");
  }

  @ParameterizedTest
  @MethodSource("lengths")
  void panamaScaleMatchesScalar(int len) {
    assumePanama();
    SplittableRandom rng = new SplittableRandom(200 + len);
    float[] x = Fixtures.randomFloats(rng, len + 3);
    float[] expected = x.clone();
    float[] actual = x.clone();
    SCALAR.scale(1.5f, expected, 1, len);
    PANAMA.scale(1.5f, actual, 1, len);
    for (int i = 0; i < x.length; i++) {
      assertEquals(expected[i], actual[i], 0f, "len " + len + ", index " + i);
    }
  }

  @ParameterizedTest
  @MethodSource("lengths")
  void panamaMaxMatchesScalarWhereverTheMaximumIs(int len) {
    assumePanama();
    SplittableRandom rng = new SplittableRandom(300 + len);
    float[] x = Fixtures.randomFloats(rng, len + 2);
    for (int at = 0; at < len; at += Math.max(1, len / 7)) {
      float[] y = x.clone();
      y[1 + at] = 5f;
      assertEquals(5f, PANAMA.max(y, 1, len), 0f, "max at " + at + " of " + len);
      assertEquals(SCALAR.max(y, 1, len), PANAMA.max(y, 1, len), 0f);
    }
    assertEquals(SCALAR.max(x, 1, len), PANAMA.max(x, 1, len), 0f);
  }

  @ParameterizedTest
  @MethodSource("lengths")
  void panamaCountAtLeastMatchesScalarWithTiesInfinitiesAndNaN(int len) {
    assumePanama();
    SplittableRandom rng = new SplittableRandom(350 + len);
    float[] x = new float[len + 3];
    for (int i = 0; i < x.length; i++) {
      int kind = rng.nextInt(10);
      x[i] =
          kind == 0 ? Float.NEGATIVE_INFINITY : kind == 1 ? Float.NaN : rng.nextInt(5) - 2; // ties
    }
    x[0] = 100f; // outside the range: must not count
    float[] thresholds = {
      -3f,
      -2f,
      -1f,
      0f,
      -0f,
      1f,
      2f,
      3f,
      Float.NEGATIVE_INFINITY,
      Float.POSITIVE_INFINITY,
      Float.NaN
    };
    for (float t : thresholds) {
      int expected = 0;
      for (int i = 1; i <= len; i++) {
        if (x[i] >= t) {
          expected++;
        }
      }
      assertEquals(
          expected, SCALAR.countAtLeast(x, 1, len, t), "scalar, threshold " + t + ", len " + len);
      assertEquals(
          expected, PANAMA.countAtLeast(x, 1, len, t), "panama, threshold " + t + ", len " + len);
    }
  }

  @ParameterizedTest
  @MethodSource("lengths")
  void panamaExpShiftSumMatchesMathExpToRelativeOneInAMillion(int len) {
    assumePanama();
    SplittableRandom rng = new SplittableRandom(400 + len);
    float[] x = new float[len + 1];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextDouble() * 40 - 30); // exp over [-30 - shift, 10 - shift)
    }
    float[] expected = x.clone();
    float[] actual = x.clone();
    float sumScalar = SCALAR.expShiftSum(expected, 1, len, 2.5f);
    float sumPanama = PANAMA.expShiftSum(actual, 1, len, 2.5f);
    for (int i = 1; i <= len; i++) {
      double exact = Math.exp((double) (x[i] - 2.5f));
      assertEquals(exact, actual[i], 1e-6 * exact, "exp at " + i + " of x = " + x[i]);
    }
    assertEquals(x[0], actual[0], 0f, "entry before the range changed");
    assertEquals(sumScalar, sumPanama, 1e-6f * len * Math.abs(sumScalar));
  }

  @Test
  void expShiftSumOfTheMaximumGivesASoftmaxDenominatorAtLeastOne() {
    SplittableRandom rng = new SplittableRandom(7);
    float[] x = Fixtures.randomFloats(rng, 100);
    float max = BEST.max(x, 0, x.length);
    float sum = BEST.expShiftSum(x, 0, x.length, max);
    assertTrue(sum >= 1f && sum <= x.length, "sum " + sum);
    assertEquals(
        1f, BEST.max(x, 0, x.length), 1e-6f, "exp(max - max) must be the largest entry, 1");
  }

  @ParameterizedTest
  @MethodSource("lengths")
  void dotOfAVectorWithItselfIsItsSquaredNorm(int len) {
    SplittableRandom rng = new SplittableRandom(500 + len);
    float[] v = Fixtures.randomFloats(rng, len);
    double sq = 0;
    for (float f : v) {
      sq += (double) f * f;
    }
    assertEquals(sq, BEST.dot(v, 0, v, 0, len), 1e-5 * sq + 1e-6);
  }

  @ParameterizedTest
  @MethodSource("lengths")
  void orthogonalVectorsHaveZeroDot(int len) {
    // a holds the even positions, b the odd ones: disjoint supports are orthogonal exactly.
    SplittableRandom rng = new SplittableRandom(600 + len);
    float[] a = Fixtures.randomFloats(rng, len);
    float[] b = Fixtures.randomFloats(rng, len);
    for (int i = 0; i < len; i++) {
      if (i % 2 == 0) {
        b[i] = 0f;
      } else {
        a[i] = 0f;
      }
    }
    assertEquals(0f, BEST.dot(a, 0, b, 0, len), 0f);
  }

  static IntStream gemmSizes() {
    return IntStream.of(1, 3, 4, 5, 15, 16, 17, 33, 64, 65);
  }

  /** The shapes (m, n, dim) of the gemm tests: every size for each axis, others varied with it. */
  static int[][] gemmShapes() {
    int[] s = gemmSizes().toArray();
    int[][] shapes = new int[s.length * s.length][];
    int q = 0;
    for (int x = 0; x < s.length; x++) {
      for (int y = 0; y < s.length; y++) {
        shapes[q++] = new int[] {s[x], s[y], s[(x + y) % s.length]};
      }
    }
    return shapes;
  }

  @Test
  void panamaGemmAbtMatchesScalarOnOddShapesWithOffsetsAndPaddedRows() {
    assumePanama();
    long seed = 8_675_309L;
    System.out.println("gemmAbt seed " + seed);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int[] shape : gemmShapes()) {
      int m = shape[0];
      int n = shape[1];
      int dim = shape[2];
      int ldc = n + 3;
      float[] a = Fixtures.randomFloats(rng, 2 + m * dim);
      float[] b = Fixtures.randomFloats(rng, 5 + n * dim);
      float[] expected = Fixtures.randomFloats(rng, 1 + m * ldc);
      float[] actual = expected.clone();
      SCALAR.gemmAbt(a, 2, m, b, 5, n, dim, expected, 1, ldc);
      PANAMA.gemmAbt(a, 2, m, b, 5, n, dim, actual, 1, ldc);
      String where = " for m=" + m + ", n=" + n + ", dim=" + dim;
      for (int p = 0; p < expected.length; p++) {
        assertEquals(expected[p], actual[p], sumTolerance(dim), "C entry " + p + where);
      }
    }
  }

  @Test
  void panamaGemmAbMatchesScalarOnOddShapesWithOffsets() {
    assumePanama();
    long seed = 31_337L;
    System.out.println("gemmAb seed " + seed);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int[] shape : gemmShapes()) {
      int m = shape[0];
      int n = shape[1];
      int inner = shape[2];
      float[] a = Fixtures.randomFloats(rng, 3 + m * inner);
      float[] b = Fixtures.randomFloats(rng, 1 + inner * n);
      float[] expected = Fixtures.randomFloats(rng, 4 + m * n + 2);
      float[] actual = expected.clone();
      SCALAR.gemmAb(a, 3, m, inner, b, 1, n, expected, 4);
      PANAMA.gemmAb(a, 3, m, inner, b, 1, n, actual, 4);
      String where = " for m=" + m + ", n=" + n + ", inner=" + inner;
      for (int p = 0; p < expected.length; p++) {
        assertEquals(expected[p], actual[p], sumTolerance(inner), "C entry " + p + where);
      }
    }
  }

  @Test
  void gemmAbtEntriesAreDotProductsOfRows() {
    SplittableRandom rng = new SplittableRandom(11);
    int m = 9;
    int n = 37;
    int dim = 24;
    float[] a = Fixtures.randomFloats(rng, m * dim);
    float[] b = Fixtures.randomFloats(rng, n * dim);
    float[] c = new float[m * n];
    BEST.gemmAbt(a, 0, m, b, 0, n, dim, c, 0, n);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < dim; k++) {
          s += (double) a[i * dim + k] * b[j * dim + k];
        }
        assertEquals(s, c[i * n + j], sumTolerance(dim), "C[" + i + ", " + j + "]");
      }
    }
  }

  @Test
  void gemmAbOfTheIdentityReturnsB() {
    SplittableRandom rng = new SplittableRandom(12);
    int n = 40;
    int inner = 21;
    float[] identity = new float[inner * inner];
    for (int k = 0; k < inner; k++) {
      identity[k * inner + k] = 1f;
    }
    float[] b = Fixtures.randomFloats(rng, inner * n);
    float[] c = new float[inner * n];
    BEST.gemmAb(identity, 0, inner, inner, b, 0, n, c, 0);
    for (int p = 0; p < b.length; p++) {
      assertEquals(b[p], c[p], 0f, "entry " + p);
    }
  }

  @Test
  void gemmAbtIsSafeToCallFromManyThreadsAtOnce() throws InterruptedException {
    // The Panama gemmAbt packs into a per-thread scratch panel: concurrent calls must not mix.
    int threads = 4;
    int m = 20;
    int n = 70;
    int dim = 48;
    float[][] as = new float[threads][];
    float[][] expected = new float[threads][];
    float[][] actual = new float[threads][];
    float[] b = Fixtures.randomFloats(new SplittableRandom(13), n * dim);
    for (int t = 0; t < threads; t++) {
      as[t] = Fixtures.randomFloats(new SplittableRandom(100 + t), m * dim);
      expected[t] = new float[m * n];
      actual[t] = new float[m * n];
      SCALAR.gemmAbt(as[t], 0, m, b, 0, n, dim, expected[t], 0, n);
    }
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers[t] =
          new Thread(
              () -> {
                for (int rep = 0; rep < 20; rep++) {
                  BEST.gemmAbt(as[id], 0, m, b, 0, n, dim, actual[id], 0, n);
                }
              });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    for (int t = 0; t < threads; t++) {
      for (int p = 0; p < m * n; p++) {
        assertEquals(
            expected[t][p], actual[t][p], sumTolerance(dim), "thread " + t + ", entry " + p);
      }
    }
  }

  @Test
  void providerChoosesTheRequestedImplementation() {
    assertInstanceOf(ScalarVectorOps.class, VectorOpsProvider.choose("scalar"));
    assertEquals("scalar", VectorOpsProvider.choose("scalar").name());
    VectorOps auto = VectorOpsProvider.choose("auto");
    if (PANAMA != null) {
      assertEquals(PANAMA.getClass(), auto.getClass());
      assertEquals(
          "org.totalrecall.simd.PanamaVectorOps",
          VectorOpsProvider.choose("panama").getClass().getName());
      assertTrue(auto.name().startsWith("panama("), auto.name());
    } else {
      assertInstanceOf(ScalarVectorOps.class, auto);
      assertThrows(IllegalStateException.class, () -> VectorOpsProvider.choose("panama"));
    }
  }

  @Test
  void providerRejectsAnUnknownModeNamingTheChoices() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> VectorOpsProvider.choose("bogus"));
    assertEquals(
        "totalrecall.vectorOps must be auto, scalar or panama; got 'bogus'", e.getMessage());
  }

  @Test
  void bestFollowsTheSystemProperty() {
    String mode = System.getProperty("totalrecall.vectorOps", "auto");
    VectorOps expected = VectorOpsProvider.choose(mode);
    assertEquals(expected.getClass(), VectorOps.best().getClass(), "totalrecall.vectorOps=" + mode);
  }
}
