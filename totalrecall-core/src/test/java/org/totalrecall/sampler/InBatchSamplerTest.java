package org.totalrecall.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;

class InBatchSamplerTest {
  // user 0: items 0, 1, 2; user 1: item 0; user 2: none
  private final Interactions train =
      Interactions.fromPairs(3, 4, new int[] {0, 0, 0, 1}, new int[] {0, 1, 2, 0}, null, null, 4);

  @Test
  void logQIsTheLogOfEmpiricalMarginalFrequency() {
    InBatchSampler s = InBatchSampler.fromInteractions(train);
    assertEquals(Math.log(3 / 4.0), s.userLogQ(0), 1e-6);
    assertEquals(Math.log(1 / 4.0), s.userLogQ(1), 1e-6);
    assertEquals(Float.NEGATIVE_INFINITY, s.userLogQ(2));
    assertEquals(Math.log(2 / 4.0), s.itemLogQ(0), 1e-6);
    assertEquals(Math.log(1 / 4.0), s.itemLogQ(2), 1e-6);
    assertEquals(Float.NEGATIVE_INFINITY, s.itemLogQ(3));
  }

  @Test
  void candidatesAreTheBatchItselfWithTheirLogQ() {
    InBatchSampler s = InBatchSampler.fromInteractions(train);
    BatchCandidates out = new BatchCandidates(s.maxUsers(2), s.maxItems(2));
    int[] users = {9, 1, 0, 9};
    int[] items = {9, 0, 2, 9};
    s.sample(users, items, 1, 2, new SplittableRandom(1), out);
    assertEquals(2, out.numPositives());
    assertEquals(2, out.numUsers());
    assertEquals(2, out.numItems());
    assertArrayEquals(new int[] {1, 0}, out.users());
    assertArrayEquals(new int[] {0, 2}, out.items());
    assertArrayEquals(new float[] {s.userLogQ(1), s.userLogQ(0)}, out.userLogQ());
    assertArrayEquals(new float[] {s.itemLogQ(0), s.itemLogQ(2)}, out.itemLogQ());
  }

  @Test
  void emptyTrainingDataIsRejected() {
    Interactions empty = Interactions.fromPairs(2, 2, new int[0], new int[0], null, null, 0);
    assertThrows(IllegalArgumentException.class, () -> InBatchSampler.fromInteractions(empty));
  }
}
