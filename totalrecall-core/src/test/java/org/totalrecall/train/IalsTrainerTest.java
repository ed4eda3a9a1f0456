package org.totalrecall.train;

import org.totalrecall.model.Scorer;

/** The trainer contract with iALS ({@link IalsSolver}, conjugate gradient). */
class IalsTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(IalsSpec.defaults(), seed)
        .withScorer(Scorer.Kind.DOT)
        .withL2(0.01f)
        .withEpochs(10);
  }

  /** Confidence 1 + 3e38·log(1 + 1/1e-30) overflows float: the tables fill with NaN in epoch 1. */
  @Override
  TrainConfig explodingConfig(long seed) {
    return config(seed)
        .withObjective(new IalsSpec(3e38f, true, 1e-30f, 0.1f, 1f, IalsSpec.RowSolver.CG, 3));
  }
}
