package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.Scorer;
import org.totalrecall.testkit.Fixtures;

/**
 * SGD with the Gramian trick (survey Algorithm 5): eq. 34 against finite differences of eq. 33, and
 * eq. 41's estimates.
 */
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
    GramianSgdSolver.lossAndGradient(
        w, 0, h, 0, c, su, si, gramUsers, gramItems, l2, gu, gi, ops, d);
    float[][] rows = {w, h};
    float[][] grads = {gu, gi};
    for (int side = 0; side < 2; side++) {
      for (int k = 0; k < d; k++) {
        float keep = rows[side][k];
        double eps = 1e-3;
        rows[side][k] = (float) (keep + eps);
        double up =
            GramianSgdSolver.lossAndGradient(
                    w,
                    0,
                    h,
                    0,
                    c,
                    su,
                    si,
                    gramUsers,
                    gramItems,
                    l2,
                    new float[d],
                    new float[d],
                    ops,
                    d)
                + 0.5 * l2 * sq(rows[side]);
        rows[side][k] = (float) (keep - eps);
        double down =
            GramianSgdSolver.lossAndGradient(
                    w,
                    0,
                    h,
                    0,
                    c,
                    su,
                    si,
                    gramUsers,
                    gramItems,
                    l2,
                    new float[d],
                    new float[d],
                    ops,
                    d)
                + 0.5 * l2 * sq(rows[side]);
        rows[side][k] = keep;
        double numeric = (up - down) / (2 * eps);
        assertEquals(
            numeric,
            grads[side][k],
            2e-3 * (1 + Math.abs(numeric)),
            (side == 0 ? "user" : "item") + " dim " + k);
      }
    }
  }

  @Test
  void pairwiseGradientMatchesFiniteDifferencesOfItsLoss() {
    int d = 4;
    SplittableRandom rng = new SplittableRandom(7);
    float[] w = Fixtures.randomFloats(rng, d);
    float[] h = Fixtures.randomFloats(rng, d);
    float[] z = Fixtures.randomFloats(rng, d);
    float[] gramUsers = symmetric(rng, d);
    float[] gramItems = symmetric(rng, d);
    float numItems = 7f;
    float si = 0.25f;
    float l2 = 0.03f;
    float[] gu = new float[d];
    float[] gi = new float[d];
    VectorOps ops = VectorOps.best();
    GramianSgdSolver.pairwiseLossAndGradient(
        w, 0, h, 0, numItems, si, gramUsers, gramItems, z, l2, gu, gi, ops, d);
    float[][] rows = {w, h};
    float[][] grads = {gu, gi};
    for (int side = 0; side < 2; side++) {
      for (int k = 0; k < d; k++) {
        float keep = rows[side][k];
        double eps = 1e-3;
        rows[side][k] = (float) (keep + eps);
        double up =
            GramianSgdSolver.pairwiseLossAndGradient(
                    w,
                    0,
                    h,
                    0,
                    numItems,
                    si,
                    gramUsers,
                    gramItems,
                    z,
                    l2,
                    new float[d],
                    new float[d],
                    ops,
                    d)
                + 0.5 * l2 * sq(rows[side]);
        rows[side][k] = (float) (keep - eps);
        double down =
            GramianSgdSolver.pairwiseLossAndGradient(
                    w,
                    0,
                    h,
                    0,
                    numItems,
                    si,
                    gramUsers,
                    gramItems,
                    z,
                    l2,
                    new float[d],
                    new float[d],
                    ops,
                    d)
                + 0.5 * l2 * sq(rows[side]);
        rows[side][k] = keep;
        double numeric = (up - down) / (2 * eps);
        assertEquals(
            numeric,
            grads[side][k],
            2e-3 * (1 + Math.abs(numeric)),
            (side == 0 ? "user" : "item") + " dim " + k);
      }
    }
  }

  /**
   * Eq. 44 summed over a small dense case equals eq. 42 summed pair by pair (the Gramian form is
   * exact).
   */
  @Test
  void equation44EqualsThePairwiseSumOfEquation42() {
    Interactions m = IalsSolverTest.data();
    int d = 3;
    SplittableRandom rng = new SplittableRandom(11);
    EmbeddingTable users = EmbeddingTable.gaussian(m.numUsers(), d, 0.5f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(m.numItems(), d, 0.5f, rng);
    double direct = 0;
    double gramianForm = 0;
    double[] z = new double[d];
    for (int j = 0; j < m.numItems(); j++) {
      for (int k = 0; k < d; k++) {
        z[k] += items.get(j, k);
      }
    }
    for (int u = 0; u < m.numUsers(); u++) {
      for (int q = m.start(u); q < m.end(u); q++) {
        int i = m.cols()[q];
        double yi = dot(users, u, items, i);
        for (int j = 0; j < m.numItems(); j++) {
          double diff = yi - dot(users, u, items, j) - 1;
          direct += diff * diff;
        }
        double wz = 0;
        for (int k = 0; k < d; k++) {
          wz += users.get(u, k) * z[k];
        }
        gramianForm += m.numItems() * (yi - 1) * (yi - 1) - 2 * (yi - 1) * wz;
        for (int j = 0; j < m.numItems(); j++) {
          double yj = dot(users, u, items, j);
          gramianForm += yj * yj; // ⟨Σ_u n_u w wᵀ, Σ_j h hᵀ⟩ = Σ_S Σ_j ŷ_uj²
        }
      }
    }
    assertEquals(direct, gramianForm, 1e-9 * direct);
  }

  private static double dot(EmbeddingTable a, int r, EmbeddingTable b, int c) {
    double s = 0;
    for (int k = 0; k < a.dim(); k++) {
      s += (double) a.get(r, k) * b.get(c, k);
    }
    return s;
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

  /**
   * Started exact, the estimates stay near the true Gramians when the tables move slowly (eq. 41's
   * fixed point).
   */
  @Test
  void gramianEstimatesTrackTheExactGramians() {
    Interactions data = Fixtures.checkerboardWithoutDiagonal(30);
    int d = 6;
    TrainConfig config =
        TrainConfig.defaults()
            .withScorer(Scorer.Kind.DOT)
            .withDim(d)
            .withMethod(new GramianSgdSpec(0f, false, 1f, 0.1f), new AllItemsSamplerSpec())
            .withThreads(1)
            .withOptimizer(OptimizerKind.SGD)
            .withLearningRate(0.002f)
            .withEpochs(3);
    SplittableRandom rng = new SplittableRandom(5);
    EmbeddingTable users = EmbeddingTable.gaussian(30, d, 0.3f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(30, d, 0.3f, rng);
    GramianSgdSolver solver =
        new GramianSgdSolver(
            data, config, new GramianSgdSpec(0f, false, 1f, 0.1f), users, items, VectorOps.best());
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
      assertEquals(
          0,
          Math.sqrt(err / norm),
          0.1,
          (side == 0 ? "users" : "items") + ": relative Frobenius error");
    }
  }
}
