package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import org.totalrecall.testkit.Fixtures;

/**
 * The contract every trainer must meet (STYLE.md §7, after implicit's test mixin): on the
 * checkerboard with the diagonal withheld, each user's best item among the items it has not
 * interacted with is its withheld diagonal item. Later trainers extend this class.
 */
abstract class TrainerContractTest {
  static final int N = 50;

  /** Trains a model on {@code data} with {@code seed}. */
  abstract FactorModel train(Interactions data, long seed);

  @Test
  void recommendsTheWithheldCheckerboardItem() {
    Interactions data = Fixtures.checkerboardWithoutDiagonal(N);
    FactorModel model = train(data, 23L);
    EmbeddingTable users = model.retrievalUsers();
    EmbeddingTable items = model.retrievalItems();
    VectorOps ops = VectorOps.best();
    for (int user = 0; user < N; user++) {
      int best = -1;
      float bestScore = Float.NEGATIVE_INFINITY;
      for (int item = 0; item < N; item++) {
        if (data.contains(user, item)) {
          continue;
        }
        float s = ops.dot(users.data(), users.offset(user), items.data(), items.offset(item), users.dim());
        if (s > bestScore) {
          bestScore = s;
          best = item;
        }
      }
      assertEquals(user, best, "top-1 unseen item of user " + user);
    }
  }

  /** Small, fast settings that the checkerboard needs (1,200 pairs). */
  static TrainConfig checkerboardConfig(ObjectiveSpec objective, long seed) {
    return TrainConfig.defaults()
        .withObjective(objective)
        .withDim(16)
        .withBatchSize(64)
        .withEpochs(40)
        .withLearningRate(0.01f)
        .withTemperature(0.2f)
        .withThreads(1)
        .withSeed(seed);
  }
}
