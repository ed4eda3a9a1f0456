package org.totalrecall.train;

/**
 * The trainer contract: The pointwise hinge loss with one uniform negative item, plain SGD on dot
 * scores.
 */
class HingeTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("hinge", Params.none()), seed)
        .withScorer(org.totalrecall.model.Scorer.Kind.DOT)
        .withOptimizer(OptimizerKind.SGD)
        .withLearningRate(0.05f);
  }
}
