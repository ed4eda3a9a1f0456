package org.totalrecall.train;

/** The trainer contract: SimpleX CCL over one shared sample of 40 uniform items per batch. */
class CclSharedTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("ccl", Params.none()), seed)
        .withSampler(SamplerSpec.parse("uniform", Params.of(java.util.Map.of("shared", "40"))));
  }

  @Override
  TrainConfig explodingConfig(long seed) {
    return config(seed)
        .withOptimizer(OptimizerKind.SGD)
        .withLearningRate(1e30f); // cosine norms overflow
  }
}
