package org.totalrecall.train;

import org.totalrecall.model.Scorer;

/** The trainer contract with iALS solved exactly (Cholesky). */
class IalsCholeskyTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(
            new IalsSpec(0f, false, 1f, 0.1f, 1f, IalsSpec.RowSolver.CHOLESKY, 3), seed)
        .withScorer(Scorer.Kind.DOT)
        .withL2(0.01f)
        .withEpochs(10);
  }

  @Override
  TrainConfig explodingConfig(long seed) {
    return config(seed)
        .withObjective(new IalsSpec(3e38f, true, 1e-30f, 0.1f, 1f, IalsSpec.RowSolver.CG, 3));
  }
}
