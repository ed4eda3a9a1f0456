package org.totalrecall.train;

import org.totalrecall.model.Scorer;

/** The trainer contract: BPR with adaptive oversampling (dot scores). */
class BprAobprTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("bpr", Params.none()), seed)
        .withScorer(Scorer.Kind.DOT)
        .withSampler(
            SamplerSpec.parse(
                "aobpr", Params.of(java.util.Map.of("rank-scale", "3", "refresh", "500"))));
  }
}
