package org.totalrecall.train;

/**
 * The trainer contract: MFb [4:4]: the logistic loss with four negative users and four negative
 * items per positive.
 */
class MfbTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("mfb", Params.none()), seed)
        .withScorer(org.totalrecall.model.Scorer.Kind.DOT);
  }
}
