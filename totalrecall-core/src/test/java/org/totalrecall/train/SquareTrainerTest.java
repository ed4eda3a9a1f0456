package org.totalrecall.train;

/** The trainer contract: The pointwise square loss with four uniform negative items. */
class SquareTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("square", Params.none()), seed)
        .withScorer(org.totalrecall.model.Scorer.Kind.DOT)
        .withSampler(SamplerSpec.parse("uniform", Params.of(java.util.Map.of("ratio", "0:4"))));
  }
}
