package org.totalrecall.train;

/**
 * The trainer contract with the {@code INFONCE_U2I} objective, in-batch negatives and logQ
 * correction.
 */
class InfoNceU2iTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(InfoNceSpec.of(org.totalrecall.loss.InfoNceLoss.Direction.U2I), seed);
  }
}
