package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.totalrecall.linalg.ScalarVectorOps;
import org.totalrecall.linalg.VectorOps;

class InfoNceLossTest {
  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (InfoNceLoss.Direction d : InfoNceLoss.Direction.values()) {
      for (boolean logQ : new boolean[] {false, true}) {
        for (VectorOps ops : new VectorOps[] {new ScalarVectorOps(), VectorOps.best()}) {
          b.add(Arguments.of(d, logQ, ops));
        }
      }
    }
    return b.build();
  }

  /** The loss of eq. 3 written out directly in double precision, one term at a time. */
  static double reference(
      InfoNceLoss.Direction dir,
      double[] s,
      int n,
      int rows,
      int cols,
      float[] rowQ,
      float[] colQ) {
    double loss = 0;
    if (dir != InfoNceLoss.Direction.I2U) {
      double t = 0;
      for (int b = 0; b < n; b++) {
        double z = 0;
        for (int j = 0; j < cols; j++) {
          z += Math.exp(s[b * cols + j] - (colQ == null ? 0 : colQ[j]));
        }
        t += -(s[b * cols + b] - (colQ == null ? 0 : colQ[b])) + Math.log(z);
      }
      loss += t / n;
    }
    if (dir != InfoNceLoss.Direction.U2I) {
      double t = 0;
      for (int b = 0; b < n; b++) {
        double z = 0;
        for (int r = 0; r < rows; r++) {
          z += Math.exp(s[r * cols + b] - (rowQ == null ? 0 : rowQ[r]));
        }
        t += -(s[b * cols + b] - (rowQ == null ? 0 : rowQ[b])) + Math.log(z);
      }
      loss += t / n;
    }
    return loss;
  }

  @ParameterizedTest(name = "{0} logQ={1} {2}")
  @MethodSource("cases")
  void gradientMatchesCentralFiniteDifferences(
      InfoNceLoss.Direction dir, boolean logQ, VectorOps ops) {
    long seed = 7L + 31L * dir.name().hashCode() + (logQ ? 1 : 0);
    var rng = new SplittableRandom(seed);
    // square for the in-batch case; u2i also gets extra item columns, i2u extra user rows
    int n = 6;
    int rows = dir == InfoNceLoss.Direction.I2U ? 9 : n;
    int cols = dir == InfoNceLoss.Direction.U2I ? 11 : n;
    float[] scores = new float[rows * cols];
    for (int k = 0; k < scores.length; k++) {
      scores[k] = (float) (rng.nextDouble() * 6 - 3);
    }
    float[] rowQ = logQ ? logProbabilities(rng, rows) : null;
    float[] colQ = logQ ? logProbabilities(rng, cols) : null;
    BatchObjective loss = new InfoNceLoss(dir, ops);
    float[] grad = new float[rows * cols];
    float value = loss.lossAndGradient(scores, n, rows, cols, rowQ, colQ, grad);
    double[] s = new double[scores.length];
    for (int k = 0; k < s.length; k++) {
      s[k] = scores[k];
    }
    assertEquals(reference(dir, s, n, rows, cols, rowQ, colQ), value, 1e-4, "seed " + seed);
    double h = 1e-4;
    for (int k = 0; k < s.length; k++) {
      double keep = s[k];
      s[k] = keep + h;
      double up = reference(dir, s, n, rows, cols, rowQ, colQ);
      s[k] = keep - h;
      double down = reference(dir, s, n, rows, cols, rowQ, colQ);
      s[k] = keep;
      assertEquals((up - down) / (2 * h), grad[k], 2e-5, "entry " + k + ", seed " + seed);
    }
  }

  private static float[] logProbabilities(SplittableRandom rng, int n) {
    float[] q = new float[n];
    for (int k = 0; k < n; k++) {
      q[k] = (float) Math.log(rng.nextDouble() * 0.5 + 0.01);
    }
    return q;
  }

  @Test
  void biDirectionalWithExtraCandidatesMatchesFiniteDifferences() {
    // the fused one-exponential path with extra user rows and extra item columns
    for (VectorOps ops : new VectorOps[] {new ScalarVectorOps(), VectorOps.best()}) {
      var rng = new SplittableRandom(11L);
      int n = 5;
      int rows = 8;
      int cols = 10;
      float[] scores = new float[rows * cols];
      for (int k = 0; k < scores.length; k++) {
        scores[k] = (float) (rng.nextDouble() * 6 - 3);
      }
      float[] rowQ = logProbabilities(rng, rows);
      float[] colQ = logProbabilities(rng, cols);
      float[] grad = new float[rows * cols];
      float value =
          new InfoNceLoss(InfoNceLoss.Direction.BOTH, ops)
              .lossAndGradient(scores, n, rows, cols, rowQ, colQ, grad);
      double[] s = new double[scores.length];
      for (int k = 0; k < s.length; k++) {
        s[k] = scores[k];
      }
      assertEquals(
          reference(InfoNceLoss.Direction.BOTH, s, n, rows, cols, rowQ, colQ), value, 1e-4);
      double h = 1e-4;
      for (int k = 0; k < s.length; k++) {
        double keep = s[k];
        s[k] = keep + h;
        double up = reference(InfoNceLoss.Direction.BOTH, s, n, rows, cols, rowQ, colQ);
        s[k] = keep - h;
        double down = reference(InfoNceLoss.Direction.BOTH, s, n, rows, cols, rowQ, colQ);
        s[k] = keep;
        assertEquals((up - down) / (2 * h), grad[k], 2e-5, "entry " + k + " with " + ops.name());
      }
    }
  }

  /**
   * Row b's u2i softmax over a multiset: Σ_j m_bj exp(s_bj − log q_j) against its positive, written
   * out in double precision with the multiplicities as counts (a column drawn twice is two terms),
   * plus the plain i2u term for BOTH.
   */
  static double multisetReference(
      InfoNceLoss.Direction dir,
      double[] s,
      int n,
      int cols,
      float[] rowQ,
      float[] colQ,
      int[] counts) {
    double t = 0;
    for (int b = 0; b < n; b++) {
      double z = 0;
      for (int j = 0; j < cols; j++) {
        int m = j == b ? 1 : counts[b * cols + j];
        for (int copy = 0; copy < m; copy++) {
          z += Math.exp(s[b * cols + j] - (colQ == null ? 0 : colQ[j]));
        }
      }
      t += -(s[b * cols + b] - (colQ == null ? 0 : colQ[b])) + Math.log(z);
    }
    double loss = t / n;
    if (dir == InfoNceLoss.Direction.BOTH) {
      loss += reference(InfoNceLoss.Direction.I2U, s, n, n, cols, rowQ, colQ);
    }
    return loss;
  }

  @ParameterizedTest(name = "{0} logQ={1} {2}")
  @MethodSource("cases")
  void rowMultiplicitiesCountColumnsAndMatchFiniteDifferences(
      InfoNceLoss.Direction dir, boolean logQ, VectorOps ops) {
    InfoNceLoss loss = new InfoNceLoss(dir, ops);
    if (dir == InfoNceLoss.Direction.I2U) {
      assertThrows(
          UnsupportedOperationException.class,
          () ->
              loss.lossAndGradient(new float[4], 2, 2, 2, null, null, new float[4], new float[4]));
      return;
    }
    var rng = new SplittableRandom(23L + (logQ ? 1 : 0));
    int n = 6;
    float[] scores = new float[n * n];
    for (int k = 0; k < scores.length; k++) {
      scores[k] = (float) (rng.nextDouble() * 6 - 3);
    }
    float[] rowQ = logQ ? logProbabilities(rng, n) : null;
    float[] colQ = logQ ? logProbabilities(rng, n) : null;
    int[] counts = new int[n * n];
    float[] logM = new float[n * n];
    for (int b = 0; b < n; b++) {
      for (int j = 0; j < n; j++) {
        int m = j == b ? 1 : rng.nextInt(4); // 0 drops the column, 3 counts it three times
        counts[b * n + j] = m;
        logM[b * n + j] = j == b ? 0f : m == 0 ? Float.NEGATIVE_INFINITY : (float) Math.log(m);
      }
    }
    float[] grad = new float[n * n];
    float value = loss.lossAndGradient(scores, n, n, n, rowQ, colQ, logM, grad);
    double[] s = new double[scores.length];
    for (int k = 0; k < s.length; k++) {
      s[k] = scores[k];
    }
    assertEquals(multisetReference(dir, s, n, n, rowQ, colQ, counts), value, 1e-4);
    double h = 1e-4;
    for (int k = 0; k < s.length; k++) {
      double keep = s[k];
      s[k] = keep + h;
      double up = multisetReference(dir, s, n, n, rowQ, colQ, counts);
      s[k] = keep - h;
      double down = multisetReference(dir, s, n, n, rowQ, colQ, counts);
      s[k] = keep;
      assertEquals((up - down) / (2 * h), grad[k], 2e-5, "entry " + k);
    }
    // multiplicity 1 everywhere is the plain loss
    float[] plainGrad = new float[n * n];
    float plain = loss.lossAndGradient(scores, n, n, n, rowQ, colQ, plainGrad);
    float ones = loss.lossAndGradient(scores, n, n, n, rowQ, colQ, new float[n * n], grad);
    assertEquals(plain, ones, 1e-5);
    for (int k = 0; k < grad.length; k++) {
      assertEquals(plainGrad[k], grad[k], 1e-6, "entry " + k);
    }
  }

  @Test
  void fusedBiDirectionalEqualsTheSumOfTheTwoSoftmaxTermsAtBatchSize() {
    // cosine-like scores (|φ| <= 1/τ = 9) and realistic log q: the fused path is taken
    var rng = new SplittableRandom(3L);
    int n = 256;
    float[] scores = new float[n * n];
    for (int k = 0; k < scores.length; k++) {
      scores[k] = (float) (rng.nextDouble() * 18 - 9);
    }
    float[] rowQ = new float[n];
    float[] colQ = new float[n];
    for (int k = 0; k < n; k++) {
      rowQ[k] = (float) Math.log(1e-6 + rng.nextDouble() * 3e-3);
      colQ[k] = (float) Math.log(1e-6 + rng.nextDouble() * 3e-3);
    }
    VectorOps ops = VectorOps.best();
    float[] both = new float[n * n];
    float[] u2i = new float[n * n];
    float[] i2u = new float[n * n];
    float lossBoth =
        new InfoNceLoss(InfoNceLoss.Direction.BOTH, ops)
            .lossAndGradient(scores, n, n, n, rowQ, colQ, both);
    float lossU2i =
        new InfoNceLoss(InfoNceLoss.Direction.U2I, ops)
            .lossAndGradient(scores, n, n, n, rowQ, colQ, u2i);
    float lossI2u =
        new InfoNceLoss(InfoNceLoss.Direction.I2U, ops)
            .lossAndGradient(scores, n, n, n, rowQ, colQ, i2u);
    assertEquals(lossU2i + lossI2u, lossBoth, 1e-5 * Math.abs(lossBoth));
    for (int k = 0; k < both.length; k++) {
      assertEquals(u2i[k] + i2u[k], both[k], 1e-7 + 1e-4 * Math.abs(both[k]), "entry " + k);
    }
  }

  /**
   * The i2u term alone takes the one-exponential path at batch size (with extra user rows, as mixed
   * negatives give) and, when the spread is too wide, the per-softmax path; both must equal the
   * double-precision loss and gradient written out directly.
   */
  @ParameterizedTest(name = "scale={0}")
  @org.junit.jupiter.params.provider.ValueSource(doubles = {9, 400})
  void i2uAloneMatchesTheDoublePrecisionReference(double scale) {
    var rng = new SplittableRandom(11L);
    int n = 256;
    int rows = n + 40;
    int cols = n;
    double[] s = new double[rows * cols];
    float[] scores = new float[rows * cols];
    for (int k = 0; k < scores.length; k++) {
      scores[k] = (float) ((rng.nextDouble() * 2 - 1) * scale);
      s[k] = scores[k];
    }
    float[] rowQ = new float[rows];
    for (int r = 0; r < rows; r++) {
      rowQ[r] = (float) Math.log(1e-6 + rng.nextDouble() * 3e-3);
    }
    float[] grad = new float[rows * cols];
    java.util.Arrays.fill(grad, 123f); // stale values must not survive
    float loss =
        new InfoNceLoss(InfoNceLoss.Direction.I2U, VectorOps.best())
            .lossAndGradient(scores, n, rows, cols, rowQ, null, grad);
    double expected = reference(InfoNceLoss.Direction.I2U, s, n, rows, cols, rowQ, null);
    assertEquals(expected, loss, 1e-5 * Math.max(1, Math.abs(expected)));
    for (int c = 0; c < cols; c++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < rows; r++) {
        max = Math.max(max, s[r * cols + c] - rowQ[r]);
      }
      double z = 0;
      for (int r = 0; r < rows; r++) {
        z += Math.exp(s[r * cols + c] - rowQ[r] - max);
      }
      for (int r = 0; r < rows; r++) {
        double g = (Math.exp(s[r * cols + c] - rowQ[r] - max) / z - (r == c ? 1 : 0)) / n;
        assertEquals(
            g, grad[r * cols + c], 1e-7 + 1e-4 * Math.abs(g), "entry (" + r + ", " + c + ")");
      }
    }
  }

  @Test
  void largeScoresStayFinite() {
    // a stable softmax must not overflow at |φ| = 1/τ with a small temperature
    int n = 4;
    float[] scores = new float[n * n];
    for (int k = 0; k < scores.length; k++) {
      scores[k] = (k % 3 == 0) ? 500f : -500f;
    }
    float[] grad = new float[n * n];
    float loss =
        new InfoNceLoss(InfoNceLoss.Direction.BOTH, VectorOps.best())
            .lossAndGradient(scores, n, n, n, null, null, grad);
    assertEquals(true, Float.isFinite(loss), "loss " + loss);
    for (float g : grad) {
      assertEquals(true, Float.isFinite(g));
    }
  }

  @Test
  void perfectSeparationHasNearZeroLossAndUniformScoresHaveLogB() {
    int n = 8;
    float[] uniform = new float[n * n];
    float[] grad = new float[n * n];
    BatchObjective loss = new InfoNceLoss(InfoNceLoss.Direction.BOTH, VectorOps.best());
    assertEquals(2 * Math.log(n), loss.lossAndGradient(uniform, n, n, n, null, null, grad), 1e-5);
    float[] diag = new float[n * n];
    for (int b = 0; b < n; b++) {
      diag[b * n + b] = 50f;
    }
    assertEquals(0.0, loss.lossAndGradient(diag, n, n, n, null, null, grad), 1e-5);
  }

  @Test
  void rejectsMorePositivesThanCandidates() {
    BatchObjective loss = new InfoNceLoss(InfoNceLoss.Direction.U2I, VectorOps.best());
    assertThrows(
        IllegalArgumentException.class,
        () -> loss.lossAndGradient(new float[6], 3, 3, 2, null, null, new float[6]));
  }
}
