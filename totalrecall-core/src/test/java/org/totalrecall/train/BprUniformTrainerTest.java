package org.totalrecall.train;

/**
 * The trainer contract: BPR with one uniform negative item per positive, plain SGD on dot scores
 * (as implicit).
 */
class BprUniformTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("bpr", Params.none()), seed)
        .withOptimizer(OptimizerKind.SGD)
        .withLearningRate(0.05f)
        .withScorer(org.totalrecall.model.Scorer.Kind.DOT);
  }
}
