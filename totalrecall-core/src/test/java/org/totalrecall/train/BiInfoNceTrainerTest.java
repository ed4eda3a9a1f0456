package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.model.FactorModel;

/** The trainer contract with the {@code BI_INFONCE} objective, in-batch negatives and logQ correction. */
class BiInfoNceTrainerTest extends TrainerContractTest {
  @Override
  FactorModel train(Interactions data, long seed) {
    return Trainer.train(data, null, null, checkerboardConfig(InfoNceSpec.biInfoNce(), seed), null, null).model();
  }
}
