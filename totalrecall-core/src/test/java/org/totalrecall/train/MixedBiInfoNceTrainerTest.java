package org.totalrecall.train;

/**
 * The trainer contract with the {@code BI_INFONCE} objective and mixed negatives (in-batch + 32
 * uniform).
 */
class MixedBiInfoNceTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(InfoNceSpec.biInfoNce(), seed).withSampler(new MixedSamplerSpec(32));
  }
}
