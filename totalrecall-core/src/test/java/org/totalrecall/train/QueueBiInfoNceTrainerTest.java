package org.totalrecall.train;

import java.util.Map;

/** The trainer contract: Bi-InfoNCE over CLRec's --sampler queue (paper 003 sec. 3.2). */
class QueueBiInfoNceTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    TrainConfig c = checkerboardConfig(ObjectiveSpec.parse("bi-infonce", Params.none()), seed);
    return c.withSampler(
        SamplerSpec.parse(
            "queue", Params.of(Map.of("queue", Integer.toString(3 * c.batchSize())))));
  }
}
