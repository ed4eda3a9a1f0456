package org.totalrecall.train;

/**
 * The trainer contract with the mirror of One Backpropagation (users by gradient, items by
 * aggregation).
 */
class OneBpMirrorTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(InfoNceSpec.biInfoNce(), seed)
        .withUpdate(new UserOnlyBpUpdateSpec(0.9f));
  }
}
