package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.model.FactorModel;

/** The trainer contract with the {@code INFONCE_U2I} objective, in-batch negatives and logQ correction. */
class InfoNceU2iTrainerTest extends TrainerContractTest {
  @Override
  FactorModel train(Interactions data, long seed) {
    return Trainer.train(data, null, null, checkerboardConfig(InfoNceSpec.of(org.totalrecall.loss.InfoNceLoss.Direction.U2I), seed), null, null).model();
  }
}
