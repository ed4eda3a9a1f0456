package org.totalrecall.train;

/**
 * The trainer contract with the {@code BI_INFONCE} objective, in-batch negatives and logQ
 * correction.
 */
class BiInfoNceTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(InfoNceSpec.biInfoNce(), seed);
  }
}
