package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;

/**
 * CLRec's inter-batch queue (paper 003 sec. 3.2.2): FIFO order, capacity, recomputed keys, epochs.
 */
class QueueSamplerTest {
  // 8 users, 8 items; user u has item u (and user 0 item 1): marginals for log Q
  private final Interactions train =
      Interactions.fromPairs(
          8,
          8,
          new int[] {0, 1, 2, 3, 4, 5, 6, 7, 0},
          new int[] {0, 1, 2, 3, 4, 5, 6, 7, 1},
          null,
          null,
          9);
  private final int[] us = {0, 1, 2, 3, 4, 5, 6, 7};
  private final int[] is = {0, 1, 2, 3, 4, 5, 6, 7};
  private final SplittableRandom rng = new SplittableRandom(1);

  @Test
  void theQueueHoldsTheLastRMinusBPositivesOldestFirst() {
    // B = 2, r = 6: four keys of earlier batches after the current two
    QueueSampler s = (QueueSampler) new QueueSampler(train, 2, 6, true, true).forWorker();
    InBatchSampler marginals = InBatchSampler.fromInteractions(train);
    BatchCandidates out = new BatchCandidates(s.maxUsers(2), s.maxItems(2));
    s.sample(us, is, 0, 2, rng, out); // batch (0,0) (1,1): the queue is empty
    assertEquals(2, out.numItems());
    s.sample(us, is, 2, 2, rng, out); // batch 2, 3; queue 0, 1
    assertArrayEquals(new int[] {2, 3, 0, 1}, Arrays.copyOf(out.items(), out.numItems()));
    s.sample(us, is, 4, 2, rng, out); // queue 0 1 2 3 (full)
    assertArrayEquals(new int[] {4, 5, 0, 1, 2, 3}, Arrays.copyOf(out.items(), out.numItems()));
    s.sample(us, is, 6, 2, rng, out); // 0 and 1 dequeued
    assertArrayEquals(new int[] {6, 7, 2, 3, 4, 5}, Arrays.copyOf(out.items(), out.numItems()));
    assertArrayEquals(new int[] {6, 7, 2, 3, 4, 5}, Arrays.copyOf(out.users(), out.numUsers()));
    assertEquals(2, out.numPositives());
    for (int c = 0; c < out.numItems(); c++) {
      assertEquals(marginals.itemLogQ(out.items()[c]), out.itemLogQ()[c], "log Q of column " + c);
      assertEquals(marginals.userLogQ(out.users()[c]), out.userLogQ()[c], "log Q of row " + c);
    }
    // indices, not cached vectors: the trainer reads (recomputes) every queued key from the live
    // table
    assertEquals(out.numItems(), out.itemRows());
    assertNull(out.cachedItemVectors());
    // a new epoch starts with an empty queue (a resumed run samples as the uninterrupted one)
    s.beginEpoch(2);
    s.sample(us, is, 0, 2, rng, out);
    assertEquals(2, out.numItems());
  }

  @Test
  void aBatchLongerThanTheQueueKeepsItsLastPositives() {
    QueueSampler s = new QueueSampler(train, 5, 7, false, true); // B = 5, two queued keys
    BatchCandidates out = new BatchCandidates(s.maxUsers(5), s.maxItems(5));
    s.sample(us, is, 0, 5, rng, out);
    s.sample(us, is, 3, 5, rng, out);
    assertArrayEquals(new int[] {3, 4, 5, 6, 7, 3, 4}, Arrays.copyOf(out.items(), out.numItems()));
    assertEquals(5, out.numUsers(), "users are not queued when the objective has no i2u term");
    assertEquals(5, s.maxUsers(5));
    assertEquals(7, s.maxItems(5));
  }

  @Test
  void workersHaveTheirOwnQueuesAndRMustHoldTheBatch() {
    QueueSampler shared = new QueueSampler(train, 2, 4, true, true);
    BatchSampler a = shared.forWorker();
    BatchSampler b = shared.forWorker();
    BatchCandidates out = new BatchCandidates(4, 4);
    a.sample(us, is, 0, 2, rng, out);
    b.sample(us, is, 2, 2, rng, out);
    assertEquals(2, out.numItems(), "b's queue is its own, empty");
    a.sample(us, is, 4, 2, rng, out);
    assertArrayEquals(new int[] {4, 5, 0, 1}, Arrays.copyOf(out.items(), 4));
    assertThrows(IllegalArgumentException.class, () -> new QueueSampler(train, 4, 3, true, true));
    // r = B is intra-batch: exactly the in-batch candidates
    QueueSampler intra = new QueueSampler(train, 2, 2, true, true);
    intra.sample(us, is, 0, 2, rng, out);
    intra.sample(us, is, 2, 2, rng, out);
    assertArrayEquals(new int[] {2, 3}, Arrays.copyOf(out.items(), out.numItems()));
  }
}
