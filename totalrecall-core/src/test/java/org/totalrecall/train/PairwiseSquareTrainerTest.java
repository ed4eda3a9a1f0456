package org.totalrecall.train;

/** The trainer contract with the pairwise square loss by SGD with the Gramian and z. */
class PairwiseSquareTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(new PairwiseSquareSpec(PairwiseSquareSpec.Method.SGD, 3), seed)
        .withEpochs(60);
  }
}
