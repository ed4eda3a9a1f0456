package org.totalrecall.train;

/** The trainer contract with the pairwise square loss by alternating least squares (exact rows). */
class PairwiseSquareAlsCholeskyTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(
            new PairwiseSquareSpec(PairwiseSquareSpec.Method.ALS_CHOLESKY, 3), seed)
        .withL2(0.01f)
        .withEpochs(10);
  }

  /** Least squares has no learning rate to blow up: initial scores that overflow float do. */
  @Override
  TrainConfig explodingConfig(long seed) {
    return config(seed).withInitStd(1e25f);
  }
}
