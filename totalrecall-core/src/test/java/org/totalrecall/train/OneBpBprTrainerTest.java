package org.totalrecall.train;

/** The trainer contract: BPR (per-example Hogwild) with One Backpropagation. */
class OneBpBprTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("bpr", Params.none()), seed)
        .withUpdate(new OneBpUpdateSpec(0.9f));
  }
}
