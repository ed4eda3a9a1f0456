package org.totalrecall.train;

/** The trainer contract with iCD (the iALS loss by coordinate descent). */
class IcdTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("icd", Params.none()), seed)
        .withL2(0.01f)
        .withEpochs(10);
  }

  @Override
  TrainConfig explodingConfig(long seed) {
    return config(seed)
        .withObjective(new IalsSpec(3e38f, true, 1e-30f, 0.1f, 1f, IalsSpec.RowSolver.CG, 3));
  }
}
