package org.totalrecall.train;

/**
 * The trainer contract: Per-row sampled softmax with 32 uniform negatives and the log Q correction.
 */
class SampledSoftmaxTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("sampled-softmax", Params.none()), seed);
  }
}
