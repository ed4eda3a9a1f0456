package org.totalrecall.train;

import java.util.Map;

/** The trainer contract: importance-weighted BPR (paper 002 eq. 1) with --sampler adasir. */
class IsBprAdasirPopularityTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("is-bpr", Params.none()), seed)
        .withSampler(
            SamplerSpec.parse("adasir", Params.of(Map.of("pool", "40", "proposal", "popularity"))));
  }

  /** The pools are not in the checkpoint: a resumed run rebuilds them from empty. */
  @Override
  boolean resumesBitwise() {
    return false;
  }
}
