package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * WARP with the survey's AUC rank weight L(r) = r/(N − 1): the contract and a hand-computed case.
 */
class WarpAucLossTest extends WarpLossTest {
  @Override
  RowObjective create() {
    return new WarpLoss(NUM_ITEMS, MARGIN, RankWeight.parse("auc"));
  }

  @Override
  double rankWeightReference(int rank) {
    return rank / (double) (NUM_ITEMS - 1);
  }

  @Test
  void violatorAtTheFourthTrialOf101ItemsIsWeightedByAQuarter() {
    // rank estimate ⌊100/4⌋ = 25 of 100 negatives: weight 0.25
    float[] scores = {0.5f, -1f, -2f, -0.5f, 0.25f, 3f};
    float[] grad = new float[6];
    double loss =
        new WarpLoss(101, 1.0, new RankWeight.Auc())
            .lossAndGradient(scores, 1, 6, null, null, grad);
    assertEquals(0.25 * (1 - 0.5 + 0.25), loss, 1e-15);
    assertArrayEquals(new float[] {-0.25f, 0f, 0f, 0f, 0.25f, 0f}, grad, 0f);
  }
}
