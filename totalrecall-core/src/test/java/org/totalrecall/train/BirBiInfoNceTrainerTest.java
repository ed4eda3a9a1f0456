package org.totalrecall.train;

import java.util.Map;

/** The trainer contract: Bi-InfoNCE over in-batch importance resampling (--sampler bir). */
class BirBiInfoNceTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    TrainConfig c = checkerboardConfig(ObjectiveSpec.parse("bi-infonce", Params.none()), seed);
    return c.withSampler(
        SamplerSpec.parse("bir", Params.of(Map.of("draws", Integer.toString(c.batchSize())))));
  }
}
