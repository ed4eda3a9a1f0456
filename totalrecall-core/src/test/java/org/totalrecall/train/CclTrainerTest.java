package org.totalrecall.train;

/** The trainer contract: SimpleX CCL on raw cosine scores with twenty uniform negatives. */
class CclTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("ccl", Params.none()), seed)
        .withSampler(SamplerSpec.parse("uniform", Params.of(java.util.Map.of("ratio", "0:20"))));
  }

  @Override
  TrainConfig explodingConfig(long seed) {
    return config(seed)
        .withOptimizer(OptimizerKind.SGD)
        .withLearningRate(1e30f); // cosine norms overflow
  }
}
