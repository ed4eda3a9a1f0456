package org.totalrecall.train;

/** The trainer contract: BPR with two popularity-sampled negative items, Adam on cosine scores. */
class BprPopularityTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("bpr", Params.none()), seed)
        .withSampler(SamplerSpec.parse("popularity", Params.of(java.util.Map.of("ratio", "0:2"))));
  }
}
