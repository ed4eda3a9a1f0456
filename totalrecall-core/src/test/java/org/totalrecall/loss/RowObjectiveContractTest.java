package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link RowObjective} must satisfy; each objective's test extends this and supplies the
 * objective and its loss written out directly in double precision (the reference).
 *
 * <p>The central check: on seeded random blocks (K negatives per row, K in {0, 1, 4, 16}, with and
 * without example weights and logQ) the loss equals the reference and every gradient entry equals
 * the reference's central finite difference. Blocks are drawn away from kinks (a subclass rejects
 * rows with a score within {@link #KINK_GAP} of one), so the difference quotient sees one smooth
 * piece.
 */
abstract class RowObjectiveContractTest {
  /** No score of a random block lies closer than this to a kink of a piecewise loss. */
  static final double KINK_GAP = 1e-3;

  /** A fresh objective under test. */
  abstract RowObjective create();

  /** The loss of the block written out directly, in double precision, from the formula. */
  abstract double reference(double[] s, int rows, int width, float[] logQ, float[] weights);

  /**
   * The function whose derivative the gradient at {@code scores} must be: the reference itself,
   * unless the objective holds some quantity constant in its gradient (importance weights), in
   * which case the subclass freezes it at {@code scores}.
   */
  Reference referenceAt(float[] scores, int rows, int width, float[] logQ) {
    return this::reference;
  }

  /** One random score; uniform in [−3, 3] unless the objective needs another range. */
  float drawScore(SplittableRandom rng) {
    return (float) (rng.nextDouble() * 6 - 3);
  }

  /** Whether the row at {@code off} is at least {@link #KINK_GAP} from every kink. */
  boolean awayFromKinks(float[] scores, int off, int width) {
    return true;
  }

  /** Whether the objective requires logQ (cases without it are skipped). */
  boolean needsLogQ() {
    return false;
  }

  /** The magnitude of the scores in the stability test. */
  float hugeScore() {
    return 1e4f;
  }

  static Stream<Arguments> blocks() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (int k : new int[] {0, 1, 4, 16}) {
      for (boolean weighted : new boolean[] {false, true}) {
        for (boolean withLogQ : new boolean[] {false, true}) {
          b.add(Arguments.of(k, weighted, withLogQ));
        }
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "K={0} weighted={1} logQ={2}")
  @MethodSource("blocks")
  void gradientMatchesCentralFiniteDifferences(
      int numNegatives, boolean weighted, boolean withLogQ) {
    assumeTrue(withLogQ || !needsLogQ(), "this objective needs logQ");
    long seed =
        1000L * numNegatives
            + (weighted ? 10 : 0)
            + (withLogQ ? 1 : 0)
            + getClass().getName().hashCode();
    var rng = new SplittableRandom(seed);
    int rows = 6;
    int width = 1 + numNegatives;
    float[] scores = randomScores(rng, rows, width);
    float[] logQ = withLogQ ? randomLogQ(rng, rows, width) : null;
    float[] weights = weighted ? randomWeights(rng, rows) : null;
    assertMatchesReference(
        create(),
        referenceAt(scores, rows, width, logQ),
        scores,
        rows,
        width,
        logQ,
        weights,
        "seed " + seed);
  }

  @Test
  void nullWeightsActAsUnitWeights() {
    var rng = new SplittableRandom(21L);
    int rows = 5;
    int width = 5;
    float[] scores = randomScores(rng, rows, width);
    float[] logQ = randomLogQ(rng, rows, width);
    float[] ones = new float[rows];
    Arrays.fill(ones, 1f);
    float[] gradNull = new float[rows * width];
    float[] gradOnes = new float[rows * width];
    RowObjective objective = create();
    double lossNull = objective.lossAndGradient(scores, rows, width, logQ, null, gradNull);
    double lossOnes = objective.lossAndGradient(scores, rows, width, logQ, ones, gradOnes);
    assertEquals(lossOnes, lossNull, 0.0);
    assertArrayEquals(gradOnes, gradNull, 0f);
  }

  @Test
  void eachRowIsIndependentOfTheOthers() {
    // the block's loss is the sum of its rows' losses, and each row's gradient is its own
    var rng = new SplittableRandom(22L);
    int rows = 7;
    int width = 6;
    float[] scores = randomScores(rng, rows, width);
    float[] logQ = randomLogQ(rng, rows, width);
    float[] weights = randomWeights(rng, rows);
    RowObjective objective = create();
    float[] grad = new float[rows * width];
    double total = objective.lossAndGradient(scores, rows, width, logQ, weights, grad);
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      float[] rowGrad = new float[width];
      sum +=
          objective.lossAndGradient(
              Arrays.copyOfRange(scores, r * width, (r + 1) * width),
              1,
              width,
              Arrays.copyOfRange(logQ, r * width, (r + 1) * width),
              new float[] {weights[r]},
              rowGrad);
      assertArrayEquals(
          rowGrad, Arrays.copyOfRange(grad, r * width, (r + 1) * width), 0f, "row " + r);
    }
    assertEquals(sum, total, 1e-12 * Math.max(1, Math.abs(total)));
  }

  @Test
  void hugeScoresGiveFiniteLossAndGradient() {
    // every sign pattern of (positive, negative, negative) at ±huge, and extreme log q
    float big = hugeScore();
    int rows = 8;
    int width = 3;
    float[] scores = new float[rows * width];
    float[] logQ = new float[rows * width];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < width; k++) {
        scores[r * width + k] = ((r >> k) & 1) == 0 ? big : -big;
        logQ[r * width + k] = (r & 1) == 0 ? -1e4f : -1e-6f;
      }
    }
    float[] grad = new float[rows * width];
    double loss = create().lossAndGradient(scores, rows, width, logQ, null, grad);
    assertTrue(Double.isFinite(loss) && loss >= 0, "loss " + loss);
    for (int i = 0; i < grad.length; i++) {
      assertTrue(Float.isFinite(grad[i]), "grad[" + i + "] = " + grad[i]);
    }
  }

  @Test
  void zeroRowsGiveZeroLoss() {
    float[] logQ = needsLogQ() ? new float[0] : null;
    assertEquals(0.0, create().lossAndGradient(new float[0], 0, 5, logQ, null, new float[0]), 0.0);
  }

  @Test
  void rejectsBlocksThatDoNotFitTheArrays() {
    RowObjective objective = create();
    float[] logQ = new float[6];
    assertThrows(
        IllegalArgumentException.class,
        () -> objective.lossAndGradient(new float[5], 2, 3, logQ, null, new float[6]));
    assertThrows(
        IllegalArgumentException.class,
        () -> objective.lossAndGradient(new float[6], 2, 3, logQ, null, new float[5]));
    assertThrows(
        IllegalArgumentException.class,
        () -> objective.lossAndGradient(new float[6], 2, 3, new float[5], null, new float[6]));
    assertThrows(
        IllegalArgumentException.class,
        () -> objective.lossAndGradient(new float[6], 2, 3, logQ, new float[1], new float[6]));
    assertThrows(
        IllegalArgumentException.class,
        () -> objective.lossAndGradient(new float[6], 2, 0, logQ, null, new float[6]));
    assertThrows(
        IllegalArgumentException.class,
        () -> objective.lossAndGradient(new float[6], -1, 3, logQ, null, new float[6]));
    assertThrows(
        IllegalArgumentException.class,
        () -> objective.lossAndGradient(null, 2, 3, logQ, null, new float[6]));
  }

  @Test
  void allocatesNothingPerCall() {
    var threads = ManagementFactory.getThreadMXBean();
    assumeTrue(
        threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
    var counter = (com.sun.management.ThreadMXBean) threads;
    assumeTrue(
        counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled());
    var rng = new SplittableRandom(23L);
    int rows = 8;
    int width = 17;
    float[] scores = randomScores(rng, rows, width);
    float[] logQ = randomLogQ(rng, rows, width);
    float[] weights = randomWeights(rng, rows);
    float[] grad = new float[rows * width];
    RowObjective objective = create();
    double sink = 0;
    for (int i = 0; i < 5_000; i++) { // warm up: class loading and compilation allocate
      sink += objective.lossAndGradient(scores, rows, width, logQ, weights, grad);
    }
    long thread = Thread.currentThread().threadId();
    long before = counter.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 10_000; i++) {
      sink += objective.lossAndGradient(scores, rows, width, logQ, weights, grad);
    }
    long allocated = counter.getThreadAllocatedBytes(thread) - before;
    assertTrue(Double.isFinite(sink));
    // 16 bytes per call would already be 160 KB: this bound only absorbs the counter's own noise
    assertTrue(allocated < 16_384, allocated + " bytes over 10,000 calls");
  }

  /** rows × width random scores; rows near a kink are drawn again. */
  final float[] randomScores(SplittableRandom rng, int rows, int width) {
    float[] scores = new float[rows * width];
    for (int r = 0; r < rows; r++) {
      int off = r * width;
      do {
        for (int k = 0; k < width; k++) {
          scores[off + k] = drawScore(rng);
        }
      } while (!awayFromKinks(scores, off, width));
    }
    return scores;
  }

  /**
   * Log-probabilities of drawing each negative in [log 1e-4, log 0.5]; column 0 is NaN (unused).
   */
  static float[] randomLogQ(SplittableRandom rng, int rows, int width) {
    float[] logQ = new float[rows * width];
    for (int r = 0; r < rows; r++) {
      logQ[r * width] = Float.NaN; // the contract says column 0 is unused: NaN would show if read
      for (int k = 1; k < width; k++) {
        logQ[r * width + k] = (float) Math.log(1e-4 + rng.nextDouble() * 0.5);
      }
    }
    return logQ;
  }

  /** Example weights in [0.2, 3]. */
  static float[] randomWeights(SplittableRandom rng, int rows) {
    float[] w = new float[rows];
    for (int r = 0; r < rows; r++) {
      w[r] = (float) (0.2 + rng.nextDouble() * 2.8);
    }
    return w;
  }

  /** A loss written out directly in double precision. */
  interface Reference {
    double loss(double[] s, int rows, int width, float[] logQ, float[] weights);
  }

  /**
   * Asserts that the objective's loss equals the reference's and that each gradient entry equals
   * the reference's central difference with step 1e−5 (the gradient is stored in float, so to ~1e−7
   * relative). The gradient array starts full of stale values, which must be overwritten.
   */
  static void assertMatchesReference(
      RowObjective objective,
      Reference reference,
      float[] scores,
      int rows,
      int width,
      float[] logQ,
      float[] weights,
      String context) {
    float[] grad = new float[rows * width];
    Arrays.fill(grad, 123f);
    double loss = objective.lossAndGradient(scores, rows, width, logQ, weights, grad);
    double[] s = new double[rows * width];
    for (int i = 0; i < s.length; i++) {
      s[i] = scores[i];
    }
    double expected = reference.loss(s, rows, width, logQ, weights);
    assertEquals(expected, loss, 1e-9 * Math.max(1, Math.abs(expected)), "loss, " + context);
    assertTrue(loss >= 0, "loss " + loss + ", " + context);
    double h = 1e-5;
    for (int i = 0; i < s.length; i++) {
      double keep = s[i];
      s[i] = keep + h;
      double up = reference.loss(s, rows, width, logQ, weights);
      s[i] = keep - h;
      double down = reference.loss(s, rows, width, logQ, weights);
      s[i] = keep;
      double numeric = (up - down) / (2 * h);
      assertEquals(
          numeric,
          grad[i],
          1e-6 * Math.max(1, Math.abs(numeric)),
          "d/ds at row " + i / width + ", column " + i % width + ", " + context);
    }
  }

  /** The weight of row r: 1 when weights is null. */
  static double weight(float[] weights, int r) {
    return weights == null ? 1 : weights[r];
  }
}
