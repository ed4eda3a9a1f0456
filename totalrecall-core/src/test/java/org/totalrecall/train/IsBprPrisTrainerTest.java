package org.totalrecall.train;

import java.util.Map;

/** The trainer contract: importance-weighted BPR (paper 002 eq. 1) with --sampler pris. */
class IsBprPrisTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("is-bpr", Params.none()), seed)
        .withSampler(
            SamplerSpec.parse("pris", Params.of(Map.of("proposal", "popularity", "ratio", "2:3"))));
  }
}
