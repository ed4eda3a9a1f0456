package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * CLRec-moco (paper 003 sec. 3.2.3, eq. 5): the momentum key table and the queue of cached keys.
 */
class MomentumQueueSamplerTest {
  private final Interactions train =
      Interactions.fromPairs(4, 4, new int[] {0, 1, 2, 3}, new int[] {0, 1, 2, 3}, null, null, 4);
  private final SplittableRandom rng = new SplittableRandom(1);

  @Test
  void keysFollowTheItemTableByMomentumStepByStep() {
    float lambda = 0.9f;
    EmbeddingTable items = new EmbeddingTable(4, 2, new float[] {1f, -1f, 2f, 2f, 0f, 0f, 5f, 5f});
    MomentumQueueSampler s =
        (MomentumQueueSampler)
            new MomentumQueueSampler(train, items, 1, 3, lambda, VectorOps.best()).forWorker();
    BatchCandidates out = new BatchCandidates(1, 3);
    int[] users = {0, 1, 0, 0};
    int[] its = {0, 1, 0, 1};
    s.sample(users, its, 0, 1, rng, out); // step 1: item 0's key is the copy (1, −1)
    assertEquals(1, out.numItems());
    assertArrayEquals(new float[] {1f, -1f}, s.key(0));
    items.data()[0] = 3f; // the step's gradient moves item 0 to (3, 1)
    items.data()[1] = 1f;
    s.sample(users, its, 1, 1, rng, out); // step 2: item 1; the queue holds step 1's key of item 0
    assertEquals(2, out.numItems());
    assertEquals(1, out.itemRows(), "the queued key is a cached column");
    assertEquals(0, out.items()[1]);
    assertArrayEquals(
        new float[] {1f, -1f}, Arrays.copyOf(out.cachedItemVectors(), 2), "the key as enqueued");
    s.sample(
        users, its, 2, 1, rng,
        out); // step 3: item 0 again, brought to step 2 by two updates with (3, 1)
    double keep = lambda * lambda;
    assertArrayEquals(
        new float[] {(float) (keep * 1 + (1 - keep) * 3), (float) (keep * -1 + (1 - keep) * 1)},
        s.key(0),
        1e-6f);
    // the queue: step 1's key of item 0 and step 2's key of item 1, (2, 2), oldest first
    assertArrayEquals(new int[] {0, 0, 1}, Arrays.copyOf(out.items(), 3));
    assertSame(out.cachedItemVectors(), out.cachedItemVectors());
    assertArrayEquals(new float[] {1f, -1f, 2f, 2f}, Arrays.copyOf(out.cachedItemVectors(), 4));
    // step 4: the queue (capacity r − B = 2) drops step 1's key
    s.sample(users, its, 3, 1, rng, out);
    assertEquals(3, out.numItems());
    assertEquals(1, out.items()[1] + out.items()[2], "the keys of steps 2 and 3: items 1 and 0");
  }

  @Test
  void lambdaZeroMakesTheKeysTheLatestTable() {
    EmbeddingTable items = new EmbeddingTable(4, 1, new float[] {1f, 2f, 3f, 4f});
    MomentumQueueSampler s = new MomentumQueueSampler(train, items, 1, 2, 0f, VectorOps.best());
    BatchCandidates out = new BatchCandidates(1, 2);
    s.sample(new int[] {0}, new int[] {0}, 0, 1, rng, out);
    items.data()[0] = 7f;
    s.sample(new int[] {0}, new int[] {0}, 0, 1, rng, out);
    assertArrayEquals(new float[] {7f}, s.key(0));
    s.beginEpoch(2);
    s.sample(new int[] {0}, new int[] {0}, 0, 1, rng, out);
    assertEquals(1, out.numItems(), "a new epoch empties the queue");
    assertThrows(
        IllegalArgumentException.class,
        () -> new MomentumQueueSampler(train, items, 1, 2, 1f, VectorOps.best()));
  }
}
