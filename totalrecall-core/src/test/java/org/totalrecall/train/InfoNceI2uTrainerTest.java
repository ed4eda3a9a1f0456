package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.model.FactorModel;

/** The trainer contract with the {@code INFONCE_I2U} objective, in-batch negatives and logQ correction. */
class InfoNceI2uTrainerTest extends TrainerContractTest {
  @Override
  FactorModel train(Interactions data, long seed) {
    return Trainer.train(data, null, null, checkerboardConfig(InfoNceSpec.of(org.totalrecall.loss.InfoNceLoss.Direction.I2U), seed), null, null).model();
  }
}
