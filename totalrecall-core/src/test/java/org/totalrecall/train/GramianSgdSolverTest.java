package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.Scorer;
import org.totalrecall.testkit.Fixtures;

/** SGD with the Gramian trick (survey Algorithm 5): eq. 34 against finite differences of eq. 33, and eq. 41's estimates. */
class GramianSgdSolverTest {
  @Test
  void exampleGradientMatchesFiniteDifferencesOfEquation33() {
    int d = 5;
    SplittableRandom rng = new SplittableRandom(2);
    float[] w = Fixtures.randomFloats(rng, d);
    float[] h = Fixtures.randomFloats(rng, d);
    float[] gramUsers = symmetric(rng, d);
    float[] gramItems = symmetric(rng, d);
    float c = 1.7f;
    float su = 0.3f;
    float si = 0.05f;
    float l2 = 0.02f;
    float[] gu = new float[d];
    float[] gi = new float[d];
    VectorOps ops = VectorOps.best();
    GramianSgdSolver.lossAndGradient(w, 0, h, 0, c, su, si, gramUsers, gramItems, l2, gu, gi, ops, d);
    float[][] rows = {w, h};
    float[][] grads = {gu, gi};
    for (int side = 0; side < 2; side++) {
      for (int k = 0; k < d; k++) {
        float keep = rows[side][k];
        double eps = 1e-3;
        rows[side][k] = (float) (keep + eps);
        double up = GramianSgdSolver.lossAndGradient(w, 0, h, 0, c, su, si, gramUsers, gramItems, l2, new float[d],
            new float[d], ops, d) + 0.5 * l2 * sq(rows[side]);
        rows[side][k] = (float) (keep - eps);
        double down = GramianSgdSolver.lossAndGradient(w, 0, h, 0, c, su, si, gramUsers, gramItems, l2, new float[d],
            new float[d], ops, d) + 0.5 * l2 * sq(rows[side]);
        rows[side][k] = keep;
        double numeric = (up - down) / (2 * eps);
        assertEquals(numeric, grads[side][k], 2e-3 * (1 + Math.abs(numeric)), (side == 0 ? "user" : "item") + " dim " + k);
      }
    }
  }

  /** A symmetric matrix (a Gramian's shape): the gradient of ½ xᵀGx is Gx only for symmetric G. */
  private static float[] symmetric(SplittableRandom rng, int d) {
    float[] g = new float[d * d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        float v = (float) rng.nextDouble();
        g[a * d + b] = v;
        g[b * d + a] = v;
      }
    }
    return g;
  }

  private static double sq(float[] x) {
    double s = 0;
    for (float v : x) {
      s += (double) v * v;
    }
    return s;
  }

  /** Started exact, the estimates stay near the true Gramians when the tables move slowly (eq. 41's fixed point). */
  @Test
  void gramianEstimatesTrackTheExactGramians() {
    Interactions data = Fixtures.checkerboardWithoutDiagonal(30);
    int d = 6;
    TrainConfig config = TrainConfig.defaults().withScorer(Scorer.Kind.DOT).withDim(d)
        .withMethod(new GramianSgdSpec(0f, false, 1f, 0.1f), new AllItemsSamplerSpec()).withThreads(1)
        .withOptimizer(OptimizerKind.SGD).withLearningRate(0.002f).withEpochs(3);
    SplittableRandom rng = new SplittableRandom(5);
    EmbeddingTable users = EmbeddingTable.gaussian(30, d, 0.3f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(30, d, 0.3f, rng);
    GramianSgdSolver solver = new GramianSgdSolver(data, config, new GramianSgdSpec(0f, false, 1f, 0.1f), users, items,
        VectorOps.best());
    long global = 0;
    for (int epoch = 1; epoch <= 3; epoch++) {
      int steps = solver.beginEpoch(epoch);
      for (int s = 0; s < steps; s++) {
        solver.step(0, epoch, s, ++global);
      }
    }
    float[][] est = solver.gramianEstimates();
    EmbeddingTable[] tables = {users, items};
    for (int side = 0; side < 2; side++) {
      double err = 0;
      double norm = 0;
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          double exact = 0;
          for (int r = 0; r < 30; r++) {
            exact += (double) tables[side].get(r, a) * tables[side].get(r, b);
          }
          err += (est[side][a * d + b] - exact) * (est[side][a * d + b] - exact);
          norm += exact * exact;
        }
      }
      assertEquals(0, Math.sqrt(err / norm), 0.1, (side == 0 ? "users" : "items") + ": relative Frobenius error");
    }
  }
}
