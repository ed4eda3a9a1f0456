package org.totalrecall.train;

import org.totalrecall.model.Scorer;

/** The trainer contract: BPR (per-example Hogwild, Adam: the general path) with the gmf scorer. */
class GmfBprTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("bpr", Params.none()), seed)
        .withScorer(Scorer.Kind.GMF);
  }

  @Override
  TrainConfig explodingConfig(long seed) {
    return super.explodingConfig(seed).withScorer(Scorer.Kind.GMF);
  }
}
