package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.sampler.InBatchSampler;

/** One Backpropagation (paper 004): eq. 6 exactly, and no gradient ever reaches a user row. */
class OneBpUpdateTest {
  @Test
  void aggregationIsEquationSixInOrder() {
    EmbeddingTable users = new EmbeddingTable(2, 2, new float[] {1, 0, 4, 4});
    EmbeddingTable items = new EmbeddingTable(2, 2, new float[] {0, 2, 2, 0});
    // user 0 follows item 0, then item 1: (0.5·1 + 0.5·0, 0.5·0 + 0.5·2) = (0.5, 1), then (1.25,
    // 0.5)
    new OneBpUpdateSpec(0.5f)
        .afterStep(new int[] {9, 0, 0}, new int[] {9, 0, 1}, 1, 2, users, items);
    assertArrayEquals(new float[] {1.25f, 0.5f, 4, 4}, users.data());
    assertArrayEquals(new float[] {0, 2, 2, 0}, items.data(), "items are only read");
  }

  @Test
  void userRowsTakeNoGradientStepOnlyTheAggregation() {
    int numUsers = 5;
    int numItems = 6;
    int dim = 4;
    int[] batchUsers = {0, 1, 2, 4};
    int[] batchItems = {3, 0, 5, 2};
    Interactions train =
        Interactions.fromPairs(
            numUsers,
            numItems,
            new int[] {0, 1, 2, 3, 4},
            new int[] {3, 0, 5, 1, 2},
            null,
            null,
            5);
    float beta = 0.9f;
    TrainConfig config =
        TrainConfig.defaults()
            .withDim(dim)
            .withBatchSize(batchUsers.length)
            .withThreads(1)
            .withUpdate(new OneBpUpdateSpec(beta));
    var rng = new SplittableRandom(5);
    EmbeddingTable users = EmbeddingTable.gaussian(numUsers, dim, 1f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(numItems, dim, 1f, rng);
    float[] before = users.data().clone();
    BatchWorkerGradientTest.RecordingOptimizer userRec =
        new BatchWorkerGradientTest.RecordingOptimizer(numUsers, dim);
    BatchWorkerGradientTest.RecordingOptimizer itemRec =
        new BatchWorkerGradientTest.RecordingOptimizer(numItems, dim);
    BatchWorker worker =
        new BatchWorker(
            users,
            items,
            userRec,
            itemRec,
            InfoNceSpec.biInfoNce().create(VectorOps.best()),
            InBatchSampler.fromInteractions(train),
            VectorOps.best(),
            config,
            new SplittableRandom(1),
            null);
    worker.trainBatch(batchUsers, batchItems, 0, batchUsers.length, 1);
    for (int u = 0; u < numUsers; u++) {
      assertEquals(0, userRec.calls[u], "no gradient step on user " + u);
    }
    assertTrue(itemRec.calls[3] > 0, "items do step");
    for (int b = 0; b < batchUsers.length; b++) {
      int u = batchUsers[b];
      for (int k = 0; k < dim; k++) {
        float expected = beta * before[u * dim + k] + (1 - beta) * items.get(batchItems[b], k);
        assertEquals(expected, users.get(u, k), 1e-6f, "user " + u + " dim " + k);
      }
    }
    for (int k = 0; k < dim; k++) {
      assertEquals(before[3 * dim + k], users.get(3, k), "user 3 is not in the batch: untouched");
    }
  }

  @Test
  void theMirrorMovesItemsTowardsUsersAndNoGradientReachesAnItem() {
    EmbeddingTable users = new EmbeddingTable(2, 2, new float[] {0, 2, 2, 0});
    EmbeddingTable items = new EmbeddingTable(2, 2, new float[] {1, 0, 4, 4});
    // item 0 follows user 0, then user 1: (0.5, 1), then (1.25, 0.5)
    new UserOnlyBpUpdateSpec(0.5f)
        .afterStep(new int[] {0, 1}, new int[] {0, 0}, 0, 2, users, items);
    assertArrayEquals(new float[] {1.25f, 0.5f, 4, 4}, items.data());
    assertArrayEquals(new float[] {0, 2, 2, 0}, users.data(), "users are only read");
    int numUsers = 5;
    int numItems = 6;
    int dim = 4;
    int[] batchUsers = {0, 1, 2, 4};
    int[] batchItems = {3, 0, 5, 2};
    Interactions train =
        Interactions.fromPairs(
            numUsers,
            numItems,
            new int[] {0, 1, 2, 3, 4},
            new int[] {3, 0, 5, 1, 2},
            null,
            null,
            5);
    TrainConfig config =
        TrainConfig.defaults()
            .withDim(dim)
            .withBatchSize(batchUsers.length)
            .withThreads(1)
            .withUpdate(new UserOnlyBpUpdateSpec(0.9f));
    var rng = new SplittableRandom(5);
    EmbeddingTable u = EmbeddingTable.gaussian(numUsers, dim, 1f, rng);
    EmbeddingTable v = EmbeddingTable.gaussian(numItems, dim, 1f, rng);
    BatchWorkerGradientTest.RecordingOptimizer userRec =
        new BatchWorkerGradientTest.RecordingOptimizer(numUsers, dim);
    BatchWorkerGradientTest.RecordingOptimizer itemRec =
        new BatchWorkerGradientTest.RecordingOptimizer(numItems, dim);
    BatchWorker worker =
        new BatchWorker(
            u,
            v,
            userRec,
            itemRec,
            InfoNceSpec.biInfoNce().create(VectorOps.best()),
            InBatchSampler.fromInteractions(train),
            VectorOps.best(),
            config,
            new SplittableRandom(1),
            null);
    worker.trainBatch(batchUsers, batchItems, 0, batchUsers.length, 1);
    for (int i = 0; i < numItems; i++) {
      assertEquals(0, itemRec.calls[i], "no gradient step on item " + i);
    }
    assertTrue(userRec.calls[0] > 0, "users do step");
  }

  @Test
  void betaMustBeBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new OneBpUpdateSpec(1f));
    assertThrows(IllegalArgumentException.class, () -> new OneBpUpdateSpec(-0.1f));
    assertFalse(new OneBpUpdateSpec(0.99f).updatesUsers());
  }
}
