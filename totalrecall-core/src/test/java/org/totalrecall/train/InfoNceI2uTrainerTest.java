package org.totalrecall.train;

/**
 * The trainer contract with the {@code INFONCE_I2U} objective, in-batch negatives and logQ
 * correction.
 */
class InfoNceI2uTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(InfoNceSpec.of(org.totalrecall.loss.InfoNceLoss.Direction.I2U), seed);
  }
}
