package org.totalrecall.train;

/** The trainer contract with the exact full softmax over every item ({@link FullSoftmaxSolver}). */
class FullSoftmaxTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(new FullSoftmaxSpec(), seed);
  }
}
