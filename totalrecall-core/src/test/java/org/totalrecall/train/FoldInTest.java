package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.testkit.Fixtures;

/**
 * Fold-in: the iALS closed form is one exact user half-step, OneBP's is eq. 6, and the generic one
 * finds the trained top items.
 */
class FoldInTest {
  static final int N = 40;

  private static int[] row(Interactions m, int u) {
    return Arrays.copyOfRange(m.cols(), m.start(u), m.end(u));
  }

  @Test
  void ialsFoldInIsTheExactUserHalfStepAgainstTheTrainedItems() {
    Interactions data = Fixtures.checkerboardWithoutDiagonal(N);
    IalsSpec spec = new IalsSpec(0f, false, 1f, 0.2f, 1f, IalsSpec.RowSolver.CHOLESKY, 3);
    TrainConfig config =
        TrainConfig.defaults()
            .withScorer(Scorer.Kind.DOT)
            .withDim(8)
            .withMethod(spec, new AllItemsSamplerSpec())
            .withL2(0.01f)
            .withEpochs(5)
            .withThreads(1);
    FactorModel model = Trainer.train(data, null, null, config, null, null).model();
    // one more user half-step against the final items, by the solver itself
    EmbeddingTable users = model.userTable().copy();
    IalsSolver solver =
        new IalsSolver(data, config, spec, users, model.itemTable().copy(), VectorOps.best());
    solver.beginEpoch(1);
    solver.step(0, 1, 0, 1);
    for (int u = 0; u < N; u += 7) {
      float[] folded = FoldIn.user(model, row(data, u), -1).vector();
      for (int k = 0; k < 8; k++) {
        assertEquals(users.get(u, k), folded[k], 1e-4, "user " + u + " dim " + k);
      }
    }
  }

  @Test
  void pairwiseSquareFoldInIsTheExactUserHalfStepAgainstTheTrainedItems() {
    Interactions data = Fixtures.checkerboardWithoutDiagonal(N);
    PairwiseSquareSpec spec = new PairwiseSquareSpec(PairwiseSquareSpec.Method.ALS_CHOLESKY, 3);
    TrainConfig config =
        TrainConfig.defaults()
            .withScorer(Scorer.Kind.DOT)
            .withDim(8)
            .withMethod(spec, new AllItemsSamplerSpec())
            .withL2(0.01f)
            .withEpochs(5)
            .withThreads(1);
    FactorModel model = Trainer.train(data, null, null, config, null, null).model();
    EmbeddingTable users = model.userTable().copy();
    Solver solver =
        spec.createSolver(data, config, users, model.itemTable().copy(), VectorOps.best());
    solver.beginEpoch(1);
    solver.step(0, 1, 0, 1);
    for (int u = 0; u < N; u += 7) {
      FoldIn.Result folded = FoldIn.user(model, row(data, u), -1);
      assertTrue(folded.method().startsWith("pairwise-square: closed-form"), folded.method());
      for (int k = 0; k < 8; k++) {
        assertEquals(users.get(u, k), folded.vector()[k], 1e-4, "user " + u + " dim " + k);
      }
    }
  }

  @Test
  void oneBpFoldInIsTheMovingAggregation() {
    EmbeddingTable users = new EmbeddingTable(1, 2, new float[] {1, 1});
    EmbeddingTable items = new EmbeddingTable(2, 2, new float[] {2, 0, 0, 4});
    TrainConfig config = TrainConfig.defaults().withDim(2).withUpdate(new OneBpUpdateSpec(0.5f));
    FactorModel model =
        new FactorModel(
            users,
            items,
            null,
            null,
            Scorer.cosine(0.2f),
            Map.of("config", config.toMap()),
            Interactions.fromPairs(1, 2, new int[] {0}, new int[] {0}, null, null, 1));
    // new user: 0 → (1, 0) after item 0 → (0.5, 2) after item 1
    assertEquals("[0.5, 2.0]", Arrays.toString(FoldIn.user(model, new int[] {0, 1}, -1).vector()));
    // known user 0 starts at (1, 1); its training item is already in its vector: only the new item
    // moves it
    assertEquals("[0.5, 2.5]", Arrays.toString(FoldIn.user(model, new int[] {1}, 0).vector()));
  }

  @Test
  void gradientFoldInOfACosineModelFindsTheTrainedUsersTopItems() {
    Interactions data = Fixtures.checkerboardWithoutDiagonal(N);
    TrainConfig config =
        TrainConfig.defaults()
            .withDim(16)
            .withBatchSize(64)
            .withEpochs(40)
            .withLearningRate(0.01f)
            .withTemperature(0.2f)
            .withThreads(1);
    FactorModel model = Trainer.train(data, null, null, config, null, null).model();
    Recommender rec = new Recommender(model, 1);
    int good = 0;
    for (int u = 0; u < N; u++) {
      int[] items = row(data, u);
      FoldIn.Result r = FoldIn.user(model, items, -1);
      assertTrue(r.method().startsWith("gradient steps"), r.method());
      Neighbors fresh = rec.recommendItems(r.vector(), 1, items);
      good += fresh.index(0) == u ? 1 : 0; // the withheld diagonal item, as for the trained user
    }
    assertTrue(
        good >= N * 9 / 10, good + " of " + N + " folded-in users get their withheld item first");
  }

  @Test
  void badRequestsAreRefusedWithAReason() {
    EmbeddingTable t = new EmbeddingTable(1, 2, new float[] {1, 1});
    FactorModel noConfig = new FactorModel(t, t.copy(), null, null, Scorer.dot(), null, null);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FoldIn.user(noConfig, new int[] {0}, -1));
    assertTrue(e.getMessage().contains("no training configuration"), e.getMessage());
    FactorModel model =
        new FactorModel(
            t,
            t.copy(),
            null,
            null,
            Scorer.dot(),
            Map.of("config", TrainConfig.defaults().withScorer(Scorer.Kind.DOT).toMap()),
            null);
    e = assertThrows(IllegalArgumentException.class, () -> FoldIn.user(model, new int[0], -1));
    assertTrue(e.getMessage().contains("at least one item"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> FoldIn.user(model, new int[] {3}, -1));
  }
}
