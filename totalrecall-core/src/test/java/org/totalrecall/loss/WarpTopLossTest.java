package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * WARP with the survey's precision@K step weight L(r) = δ(r ≥ K): the contract and hand-computed
 * cases.
 */
class WarpTopLossTest extends WarpLossTest {
  static final int K = 30;

  @Override
  RowObjective create() {
    return new WarpLoss(NUM_ITEMS, MARGIN, RankWeight.parse("top:" + K));
  }

  @Override
  double rankWeightReference(int rank) {
    return rank >= K ? 1 : 0;
  }

  @Test
  void aPositiveEstimatedInsideTheTopKIsLeftAloneAndOneOutsideTakesWeightOne() {
    float[] late = {0.5f, -1f, -2f, -0.5f, 0.25f, 3f}; // violator at trial 4: rank 25
    float[] early = {0.5f, 0.25f, -2f, -0.5f, 0.25f, 3f}; // violator at trial 1: rank 100
    float[] grad = new float[6];
    WarpLoss top30 = new WarpLoss(101, 1.0, new RankWeight.Top(30));
    assertEquals(0.0, top30.lossAndGradient(late, 1, 6, null, null, grad), 0.0);
    assertArrayEquals(new float[6], grad, 0f);
    assertEquals(1 - 0.5 + 0.25, top30.lossAndGradient(early, 1, 6, null, null, grad), 1e-15);
    assertArrayEquals(new float[] {-1f, 1f, 0f, 0f, 0f, 0f}, grad, 0f);
  }

  @Test
  void spellingsParseAndRoundTripAndBadOnesNameTheFlag() {
    for (String s : new String[] {"harmonic", "auc", "top:1", "top:20"}) {
      assertEquals(s, RankWeight.parse(s).spelling());
    }
    assertEquals(new RankWeight.Top(5), RankWeight.parse(" TOP:5 "));
    for (String bad : new String[] {"", "top:", "top:0", "top:x", "linear", "top:-3"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> RankWeight.parse(bad));
      assertEquals(true, e.getMessage().startsWith("--rank-weight"), e.getMessage());
    }
  }
}
