package org.totalrecall.train;

import java.util.Map;

/** The trainer contract: Bi-InfoNCE over CLRec's --sampler moco (paper 003 sec. 3.2). */
class MocoInfoNceTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    TrainConfig c = checkerboardConfig(ObjectiveSpec.parse("bi-infonce", Params.none()), seed);
    return c.withSampler(
        SamplerSpec.parse("moco", Params.of(Map.of("queue", Integer.toString(3 * c.batchSize())))));
  }

  /**
   * The momentum key table is not in the checkpoint: a resumed run restarts it from the item table.
   */
  @Override
  boolean resumesBitwise() {
    return false;
  }
}
