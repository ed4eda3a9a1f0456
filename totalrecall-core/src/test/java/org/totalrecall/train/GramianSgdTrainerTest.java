package org.totalrecall.train;

/** The trainer contract with SGD and the Gramian trick (no sampler). */
class GramianSgdTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(
            ObjectiveSpec.parse(
                "gramian-sgd", Params.of(java.util.Map.of("unobserved-weight", "0.3"))),
            seed)
        .withEpochs(60);
  }
}
