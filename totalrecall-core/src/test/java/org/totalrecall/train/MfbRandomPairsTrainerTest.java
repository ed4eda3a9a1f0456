package org.totalrecall.train;

/** The trainer contract: MFb [8]: the logistic loss with eight random pairs per positive. */
class MfbRandomPairsTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("mfb", Params.none()), seed)
        .withScorer(org.totalrecall.model.Scorer.Kind.DOT)
        .withSampler(SamplerSpec.parse("uniform", Params.of(java.util.Map.of("ratio", "8"))));
  }
}
