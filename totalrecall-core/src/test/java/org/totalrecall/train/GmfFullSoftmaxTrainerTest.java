package org.totalrecall.train;

import org.totalrecall.model.Scorer;

/** The trainer contract: the exact full softmax with the gmf scorer. */
class GmfFullSoftmaxTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(new FullSoftmaxSpec(), seed).withScorer(Scorer.Kind.GMF);
  }

  @Override
  TrainConfig explodingConfig(long seed) {
    return super.explodingConfig(seed).withScorer(Scorer.Kind.GMF);
  }
}
