package org.totalrecall.train;

import java.util.Map;

/**
 * The trainer contract: sampled softmax over one shared uniform sample of 16 items per batch
 * (masked, corrected).
 */
class SampledSoftmaxSharedTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("sampled-softmax", Params.none()), seed)
        .withSampler(SamplerSpec.parse("uniform", Params.of(Map.of("shared", "16"))));
  }
}
