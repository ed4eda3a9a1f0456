package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.Cholesky;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.Scorer;
import org.totalrecall.testkit.Fixtures;

/**
 * The pairwise square loss by alternating least squares against eq. 42 written out pair by pair (no
 * Gramian, no z): the reported loss is J, a user half-step is the exact minimiser of the user's
 * pairs, and the item half-steps (block Jacobi with the exact line search) never raise J and reach
 * the joint minimiser over every item at once.
 */
class PairwiseSquareAlsSolverTest {
  static final int USERS = IalsSolverTest.USERS;
  static final int ITEMS = IalsSolverTest.ITEMS;
  static final int DIM = IalsSolverTest.DIM;

  static TrainConfig config(PairwiseSquareSpec spec, float l2, int threads) {
    return TrainConfig.defaults()
        .withScorer(Scorer.Kind.DOT)
        .withDim(DIM)
        .withMethod(spec, new AllItemsSamplerSpec())
        .withL2(l2)
        .withThreads(threads);
  }

  static PairwiseSquareAlsSolver solver(
      Interactions m,
      PairwiseSquareSpec spec,
      TrainConfig config,
      EmbeddingTable users,
      EmbeddingTable items) {
    return (PairwiseSquareAlsSolver) spec.createSolver(m, config, users, items, VectorOps.best());
  }

  static double score(EmbeddingTable users, int u, EmbeddingTable items, int i) {
    double y = 0;
    for (int k = 0; k < DIM; k++) {
      y += (double) users.get(u, k) * items.get(i, k);
    }
    return y;
  }

  /**
   * J = (1/N) Σ_{(u,i) ∈ S} Σ_j (ŷ_ui − ŷ_uj − 1)² + λ Σ max(1, n_r)‖row‖², every pair written out.
   */
  static double bruteForceJ(Interactions m, EmbeddingTable users, EmbeddingTable items, double l2) {
    double j = 0;
    for (int u = 0; u < USERS; u++) {
      for (int q = m.start(u); q < m.end(u); q++) {
        int i = m.cols()[q];
        for (int k = 0; k < ITEMS; k++) {
          double e = score(users, u, items, i) - score(users, u, items, k) - 1;
          j += e * e / ITEMS;
        }
      }
      j += l2 * Math.max(1, m.rowLength(u)) * norm2(users, u);
    }
    Interactions t = m.transpose();
    for (int i = 0; i < ITEMS; i++) {
      j += l2 * Math.max(1, t.rowLength(i)) * norm2(items, i);
    }
    return j;
  }

  static double norm2(EmbeddingTable t, int r) {
    double s = 0;
    for (int k = 0; k < DIM; k++) {
      s += (double) t.get(r, k) * t.get(r, k);
    }
    return s;
  }

  @Test
  void reportedLossIsEquation42SummedPairByPair() {
    Interactions m = IalsSolverTest.data();
    SplittableRandom rng = new SplittableRandom(4);
    EmbeddingTable users = EmbeddingTable.gaussian(USERS, DIM, 0.5f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(ITEMS, DIM, 0.5f, rng);
    float l2 = 0.03f;
    PairwiseSquareSpec spec = PairwiseSquareSpec.defaults();
    PairwiseSquareAlsSolver solver = solver(m, spec, config(spec, l2, 1), users, items);
    double expected = bruteForceJ(m, users, items, l2) / m.size();
    assertEquals(expected, solver.loss(), 1e-5 * expected, "J of the initial tables");
    solver.beginEpoch(1);
    solver.step(0, 1, 0, 1);
    float reported = solver.step(0, 1, 1, 2);
    expected = bruteForceJ(m, users, items, l2) / m.size();
    assertEquals(expected, reported, 1e-5 * expected, "J after an epoch");
  }

  /**
   * argmin_x of user u's pairs: (1/N) Σ_{i ∈ I_u} Σ_j (⟨x, h_i − h_j⟩ − 1)² + λ_u‖x‖², by the
   * normal equations.
   */
  static double[] bruteForceUser(Interactions m, int u, EmbeddingTable items, double lambda) {
    double[] a = new double[DIM * DIM];
    double[] b = new double[DIM];
    for (int k = 0; k < DIM; k++) {
      a[k * DIM + k] = lambda;
    }
    for (int q = m.start(u); q < m.end(u); q++) {
      int i = m.cols()[q];
      for (int j = 0; j < ITEMS; j++) {
        double[] diff = new double[DIM];
        for (int k = 0; k < DIM; k++) {
          diff[k] = (double) items.get(i, k) - items.get(j, k);
        }
        for (int r = 0; r < DIM; r++) {
          b[r] += diff[r] / ITEMS;
          for (int s = 0; s < DIM; s++) {
            a[r * DIM + s] += diff[r] * diff[s] / ITEMS;
          }
        }
      }
    }
    Cholesky.solveInPlace(a, b, DIM);
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"als-cholesky", "als"})
  void aUserHalfStepSolvesEachUserExactly(String kind) {
    // DIM conjugate-gradient steps solve a DIM × DIM system exactly (to rounding)
    PairwiseSquareSpec spec =
        kind.equals("als")
            ? new PairwiseSquareSpec(PairwiseSquareSpec.Method.ALS, DIM)
            : new PairwiseSquareSpec(PairwiseSquareSpec.Method.ALS_CHOLESKY, 3);
    Interactions m = IalsSolverTest.data();
    SplittableRandom rng = new SplittableRandom(5);
    EmbeddingTable users = EmbeddingTable.gaussian(USERS, DIM, 0.3f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(ITEMS, DIM, 0.3f, rng);
    float l2 = 0.02f;
    PairwiseSquareAlsSolver solver = solver(m, spec, config(spec, l2, 1), users, items);
    solver.beginEpoch(1);
    solver.step(0, 1, 0, 1);
    for (int u = 0; u < USERS; u++) {
      double[] expected = bruteForceUser(m, u, items, l2 * Math.max(1, m.rowLength(u)));
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
   * The joint minimiser of J over every item vector at once (users fixed): J is a sum of squares of
   * affine functions of the stacked items, so its normal equations are written out pair by pair.
   */
  static double[] bruteForceItems(Interactions m, EmbeddingTable users, double l2) {
    int n = ITEMS * DIM;
    double[] a = new double[n * n];
    double[] b = new double[n];
    Interactions t = m.transpose();
    for (int i = 0; i < ITEMS; i++) {
      for (int k = 0; k < DIM; k++) {
        a[(i * DIM + k) * n + i * DIM + k] = l2 * Math.max(1, t.rowLength(i));
      }
    }
    double[] g = new double[n];
    for (int u = 0; u < USERS; u++) {
      for (int q = m.start(u); q < m.end(u); q++) {
        int i = m.cols()[q];
        for (int j = 0; j < ITEMS; j++) {
          java.util.Arrays.fill(g, 0);
          for (int k = 0; k < DIM; k++) { // the pair's residual is ⟨g, vec(H)⟩ − 1
            g[i * DIM + k] += users.get(u, k);
            g[j * DIM + k] -= users.get(u, k);
          }
          for (int r = 0; r < n; r++) {
            if (g[r] == 0) {
              continue;
            }
            b[r] += g[r] / ITEMS;
            for (int s = 0; s < n; s++) {
              a[r * n + s] += g[r] * g[s] / ITEMS;
            }
          }
        }
      }
    }
    Cholesky.solveInPlace(a, b, n);
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"als-cholesky", "als"})
  void itemHalfStepsNeverRaiseTheLossAndReachTheJointMinimiser(String kind) {
    PairwiseSquareSpec spec =
        kind.equals("als")
            ? PairwiseSquareSpec.defaults()
            : new PairwiseSquareSpec(PairwiseSquareSpec.Method.ALS_CHOLESKY, 3);
    Interactions m = IalsSolverTest.data();
    SplittableRandom rng = new SplittableRandom(6);
    EmbeddingTable users = EmbeddingTable.gaussian(USERS, DIM, 0.8f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(ITEMS, DIM, 0.8f, rng);
    float l2 = 0.01f;
    TrainConfig itemsOnly = config(spec, l2, 1).withUpdate(new SidedUpdateSpec(false, true));
    PairwiseSquareAlsSolver solver = solver(m, spec, itemsOnly, users, items);
    double previous = solver.loss();
    for (int epoch = 1; epoch <= 300; epoch++) {
      solver.beginEpoch(epoch);
      solver.step(0, epoch, 0, 2L * epoch - 1);
      double now = solver.step(0, epoch, 1, 2L * epoch);
      assertTrue(
          now <= previous * (1 + 1e-6),
          "J rose in item step " + epoch + ": " + previous + " -> " + now);
      previous = now;
    }
    double[] expected = bruteForceItems(m, users, l2);
    for (int i = 0; i < ITEMS; i++) {
      for (int k = 0; k < DIM; k++) {
        assertEquals(
            expected[i * DIM + k],
            items.get(i, k),
            2e-3 * (1 + Math.abs(expected[i * DIM + k])),
            kind + " item " + i + " dim " + k);
      }
    }
  }

  @Test
  void aRunIsBitwiseTheSameOnOneAndTwoThreads() {
    Interactions m = Fixtures.checkerboardWithoutDiagonal(40);
    float[][] result = new float[2][];
    for (int threads = 1; threads <= 2; threads++) {
      SplittableRandom rng = new SplittableRandom(7);
      EmbeddingTable users = EmbeddingTable.gaussian(m.numRows(), DIM, 0.3f, rng);
      EmbeddingTable items = EmbeddingTable.gaussian(m.numCols(), DIM, 0.3f, rng);
      PairwiseSquareSpec spec = PairwiseSquareSpec.defaults();
      PairwiseSquareAlsSolver solver = solver(m, spec, config(spec, 0.01f, threads), users, items);
      for (int epoch = 1; epoch <= 3; epoch++) {
        solver.beginEpoch(epoch);
        solver.step(0, epoch, 0, 2L * epoch - 1);
        solver.step(0, epoch, 1, 2L * epoch);
      }
      solver.close();
      result[threads - 1] = items.data().clone();
    }
    assertArrayEquals(result[0], result[1]);
  }
}
