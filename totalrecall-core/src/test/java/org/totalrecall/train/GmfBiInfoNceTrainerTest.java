package org.totalrecall.train;

import org.totalrecall.model.Scorer;

/**
 * The trainer contract: Bi-InfoNCE (in-batch) with the gmf scorer, φ = hᵀ(u ⊙ i) ({@link
 * GmfWeights}).
 */
class GmfBiInfoNceTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(InfoNceSpec.biInfoNce(), seed).withScorer(Scorer.Kind.GMF);
  }

  @Override
  TrainConfig explodingConfig(long seed) {
    return super.explodingConfig(seed).withScorer(Scorer.Kind.GMF);
  }
}
