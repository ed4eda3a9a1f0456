package org.totalrecall.train;

/** The trainer contract with the pairwise square loss (SGD with the Gramian and z). */
class PairwiseSquareTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(new PairwiseSquareSpec(), seed).withEpochs(60);
  }
}
