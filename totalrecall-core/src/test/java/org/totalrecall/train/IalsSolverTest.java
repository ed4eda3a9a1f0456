package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.Scorer;

/**
 * iALS against its definition on small dense cases: a half-step equals the minimiser of the row's
 * full weighted least-squares problem over every item (no Gramian trick: each unobserved pair
 * written out), conjugate gradient converges to it, and the reported loss equals L summed pair by
 * pair (the Gramian identity Σ_u Σ_i ⟨w_u, h_i⟩² = ⟨G_users, G_items⟩).
 */
class IalsSolverTest {
  static final int USERS = 7;
  static final int ITEMS = 9;
  static final int DIM = 4;

  /** A small matrix with weights, so that confidence varies. */
  static Interactions data() {
    int[] u = {0, 0, 0, 1, 1, 2, 3, 3, 3, 3, 4, 5, 5, 6, 6, 6};
    int[] i = {0, 3, 8, 1, 3, 5, 0, 2, 4, 7, 6, 1, 8, 2, 3, 5};
    float[] w = {1, 2, 5, 1, 1, 3, 1, 1, 2, 1, 4, 1, 1, 2, 1, 1};
    return Interactions.fromPairs(USERS, ITEMS, u, i, w, null, u.length);
  }

  static TrainConfig config(IalsSpec spec, float l2) {
    return TrainConfig.defaults()
        .withScorer(Scorer.Kind.DOT)
        .withDim(DIM)
        .withMethod(spec, new AllItemsSamplerSpec())
        .withL2(l2)
        .withThreads(1);
  }

  /**
   * argmin_x Σ_i w_i (⟨x, y_i⟩ − t_i)² + λ‖x‖² over every item, by the normal equations in double.
   */
  static double[] bruteForceRow(
      Interactions m, int user, EmbeddingTable items, IalsSpec spec, double lambda) {
    double[] a = new double[DIM * DIM];
    double[] b = new double[DIM];
    for (int k = 0; k < DIM; k++) {
      a[k * DIM + k] = lambda;
    }
    for (int item = 0; item < ITEMS; item++) {
      int p = -1;
      for (int q = m.start(user); q < m.end(user); q++) {
        if (m.cols()[q] == item) {
          p = q;
        }
      }
      // observed: c(ŷ − 1)² + α0 ŷ²; unobserved: α0 ŷ²  →  weight c + α0 with target c/(c + α0), or
      // α0 with 0
      double c = p < 0 ? 0 : spec.confidence(m.weight(p));
      double weight = c + spec.unobservedWeight();
      double target = c / weight;
      for (int r = 0; r < DIM; r++) {
        double yr = items.get(item, r);
        b[r] += weight * target * yr;
        for (int s = 0; s < DIM; s++) {
          a[r * DIM + s] += weight * yr * items.get(item, s);
        }
      }
    }
    org.totalrecall.linalg.Cholesky.solveInPlace(a, b, DIM);
    return b;
  }

  @ParameterizedTest(name = "{0} alpha={1} log={2} nu={3}")
  @CsvSource({
    "cholesky, 0, false, 1",
    "cholesky, 0.7, false, 0",
    "cholesky, 2, true, 1",
    "cg, 0.7, false, 1",
    "cg, 2, true, 0"
  })
  void aHalfStepSolvesEachUserRowExactly(String kind, float alpha, boolean log, float nu) {
    boolean cholesky = kind.equals("cholesky");
    IalsSpec spec =
        new IalsSpec(
            alpha,
            log,
            0.5f,
            0.3f,
            nu,
            cholesky ? IalsSpec.RowSolver.CHOLESKY : IalsSpec.RowSolver.CG,
            cholesky ? 3 : DIM); // d CG steps: exact
    float l2 = 0.05f;
    Interactions m = data();
    SplittableRandom rng = new SplittableRandom(3);
    EmbeddingTable users = EmbeddingTable.gaussian(USERS, DIM, 0.3f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(ITEMS, DIM, 0.3f, rng);
    IalsSolver solver = new IalsSolver(m, config(spec, l2), spec, users, items, VectorOps.best());
    solver.beginEpoch(1);
    solver.step(0, 1, 0, 1);
    for (int u = 0; u < USERS; u++) {
      double lambda = l2 * Math.pow(m.rowLength(u) + spec.unobservedWeight() * ITEMS, nu);
      double[] expected = bruteForceRow(m, u, items, spec, lambda);
      for (int k = 0; k < DIM; k++) {
        assertEquals(
            expected[k],
            users.get(u, k),
            2e-4 * (1 + Math.abs(expected[k])),
            kind + " user " + u + " dim " + k);
      }
    }
  }

  /**
   * Coordinate descent (iCD): each coordinate step is the exact minimiser, and sweeps converge to
   * the row's solution.
   */
  @Test
  void coordinateDescentMinimisesEachCoordinateAndConvergesToTheRowSolution() {
    IalsSpec spec = new IalsSpec(0.7f, false, 1f, 0.3f, 1f, IalsSpec.RowSolver.CD, 3);
    float l2 = 0.05f;
    Interactions m = data();
    SplittableRandom rng = new SplittableRandom(8);
    EmbeddingTable users = EmbeddingTable.gaussian(USERS, DIM, 0.3f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(ITEMS, DIM, 0.3f, rng);
    TrainConfig usersOnly = config(spec, l2).withUpdate(new SidedUpdateSpec(true, false));
    IalsSolver solver = new IalsSolver(m, usersOnly, spec, users, items, VectorOps.best());
    solver.beginEpoch(1);
    solver.step(0, 1, 0, 1); // one sweep
    for (int u = 0; u < USERS; u++) {
      // the last coordinate was minimised with every other one at its final value: its derivative
      // is 0
      double lambda = l2 * (m.rowLength(u) + spec.unobservedWeight() * ITEMS);
      double g = lambda * users.get(u, DIM - 1);
      for (int i = 0; i < ITEMS; i++) {
        double c = 0;
        for (int q = m.start(u); q < m.end(u); q++) {
          c += m.cols()[q] == i ? spec.confidence(m.weight(q)) : 0;
        }
        double y = 0;
        for (int k = 0; k < DIM; k++) {
          y += (double) users.get(u, k) * items.get(i, k);
        }
        g += (c * (y - 1) + spec.unobservedWeight() * y) * items.get(i, DIM - 1);
      }
      assertEquals(0, g, 1e-5, "derivative of user " + u + "'s last coordinate after its step");
    }
    for (int sweep = 2; sweep <= 400; sweep++) {
      solver.step(0, sweep, 0, sweep);
    }
    for (int u = 0; u < USERS; u++) {
      double lambda = l2 * (m.rowLength(u) + spec.unobservedWeight() * ITEMS);
      double[] expected = bruteForceRow(m, u, items, spec, lambda);
      for (int k = 0; k < DIM; k++) {
        assertEquals(
            expected[k], users.get(u, k), 1e-4, "user " + u + " dim " + k + " after 400 sweeps");
      }
    }
  }

  @Test
  void threeWarmStartedCgStepsPerIterationApproachTheExactSolver() {
    Interactions m = data();
    // tables are unique only up to a rotation of the factor space (WR (HR)ᵀ = WHᵀ, same L2):
    // compare scores
    double[][] result = new double[2][];
    for (int run = 0; run < 2; run++) {
      IalsSpec spec =
          new IalsSpec(
              1f,
              false,
              1f,
              0.2f,
              0f,
              run == 0 ? IalsSpec.RowSolver.CHOLESKY : IalsSpec.RowSolver.CG,
              3);
      SplittableRandom rng = new SplittableRandom(9);
      EmbeddingTable users = EmbeddingTable.gaussian(USERS, DIM, 0.3f, rng);
      EmbeddingTable items = EmbeddingTable.gaussian(ITEMS, DIM, 0.3f, rng);
      IalsSolver solver =
          new IalsSolver(m, config(spec, 0.1f), spec, users, items, VectorOps.best());
      for (int epoch = 1; epoch <= 40; epoch++) {
        solver.beginEpoch(epoch);
        solver.step(0, epoch, 0, 2L * epoch - 1);
        solver.step(0, epoch, 1, 2L * epoch);
      }
      result[run] = new double[USERS * ITEMS];
      for (int u = 0; u < USERS; u++) {
        for (int i = 0; i < ITEMS; i++) {
          for (int k = 0; k < DIM; k++) {
            result[run][u * ITEMS + i] += (double) users.get(u, k) * items.get(i, k);
          }
        }
      }
    }
    for (int k = 0; k < USERS * ITEMS; k++) {
      assertEquals(
          result[0][k], result[1][k], 1e-3, "score of user " + k / ITEMS + ", item " + k % ITEMS);
    }
  }

  @Test
  void reportedLossIsTheSquareLossSummedPairByPair() {
    IalsSpec spec = new IalsSpec(0.5f, false, 1f, 0.25f, 1f, IalsSpec.RowSolver.CHOLESKY, 3);
    float l2 = 0.02f;
    Interactions m = data();
    SplittableRandom rng = new SplittableRandom(4);
    EmbeddingTable users = EmbeddingTable.gaussian(USERS, DIM, 0.3f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(ITEMS, DIM, 0.3f, rng);
    IalsSolver solver = new IalsSolver(m, config(spec, l2), spec, users, items, VectorOps.best());
    solver.beginEpoch(1);
    solver.step(0, 1, 0, 1);
    float reported = solver.step(0, 1, 1, 2);
    Interactions t = m.transpose();
    double loss = 0;
    for (int u = 0; u < USERS; u++) {
      for (int i = 0; i < ITEMS; i++) {
        double y = 0;
        for (int k = 0; k < DIM; k++) {
          y += (double) users.get(u, k) * items.get(i, k);
        }
        loss += spec.unobservedWeight() * y * y;
        for (int q = m.start(u); q < m.end(u); q++) {
          if (m.cols()[q] == i) {
            loss += spec.confidence(m.weight(q)) * (y - 1) * (y - 1);
          }
        }
      }
      loss += l2 * (m.rowLength(u) + spec.unobservedWeight() * ITEMS) * norm2(users, u);
    }
    for (int i = 0; i < ITEMS; i++) {
      loss += l2 * (t.rowLength(i) + spec.unobservedWeight() * USERS) * norm2(items, i);
    }
    assertEquals(loss / m.size(), reported, 1e-5 * loss / m.size());
  }

  private static double norm2(EmbeddingTable t, int r) {
    double s = 0;
    for (int k = 0; k < t.dim(); k++) {
      s += (double) t.get(r, k) * t.get(r, k);
    }
    return s;
  }

  @Test
  void twoThreadsGiveTheSameTablesAsOne() {
    Interactions m = org.totalrecall.testkit.Fixtures.checkerboardWithoutDiagonal(40);
    float[][] out = new float[2][];
    for (int t = 1; t <= 2; t++) {
      TrainConfig c = config(IalsSpec.defaults(), 0.01f).withDim(8).withEpochs(3).withThreads(t);
      out[t - 1] = Trainer.train(m, null, null, c, null, null).model().itemTable().data();
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(out[0], out[1]);
  }
}
