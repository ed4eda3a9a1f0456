package org.totalrecall.train;

/** The trainer contract: BPR with dynamic negative sampling (best of 5 uniform items). */
class BprDnsTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("bpr", Params.none()), seed)
        .withSampler(SamplerSpec.parse("dns", Params.of(java.util.Map.of("candidates", "5"))));
  }
}
