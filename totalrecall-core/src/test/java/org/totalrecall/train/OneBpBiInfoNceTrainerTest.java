package org.totalrecall.train;

/** The trainer contract: Bi-InfoNCE (mini-batch) with One Backpropagation. */
class OneBpBiInfoNceTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(InfoNceSpec.biInfoNce(), seed).withUpdate(new OneBpUpdateSpec(0.9f));
  }
}
