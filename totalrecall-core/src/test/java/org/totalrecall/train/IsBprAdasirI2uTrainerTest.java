package org.totalrecall.train;

import java.util.Map;

/**
 * The trainer contract: importance-weighted BPR with AdaSIR's per-item pools of users (i2u, --ratio
 * A:0).
 */
class IsBprAdasirI2uTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("is-bpr", Params.none()), seed)
        .withSampler(SamplerSpec.parse("adasir", Params.of(Map.of("pool", "40", "ratio", "5:0"))));
  }

  /** The pools are not in the checkpoint: a resumed run rebuilds them from empty. */
  @Override
  boolean resumesBitwise() {
    return false;
  }
}
