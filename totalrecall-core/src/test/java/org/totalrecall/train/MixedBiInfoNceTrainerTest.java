package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.model.FactorModel;

/** The trainer contract with the {@code BI_INFONCE} objective and mixed negatives (in-batch + 32 uniform). */
class MixedBiInfoNceTrainerTest extends TrainerContractTest {
  @Override
  FactorModel train(Interactions data, long seed) {
    return Trainer.train(data, null, null,
        checkerboardConfig(InfoNceSpec.biInfoNce(), seed).withSampler(new MixedSamplerSpec(32)), null, null).model();
  }
}
