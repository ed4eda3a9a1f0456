package org.totalrecall.train;

import java.util.Set;
import org.totalrecall.model.Scorer;
import org.totalrecall.sampler.CandidateLayout;

/**
 * The objectives of the square loss with the Gramian trick (Rendle's survey sec. 5: iALS / iCD, SGD
 * with Gramian estimates, the pairwise square loss): no sampler (every pair is in the Gramian term,
 * the {@code FULL} layout of {@code --sampler all}), dot-product scores only (the trick needs a
 * bilinear score), and a solver of their own ({@link #createSolver}).
 */
sealed interface GramianObjective extends ObjectiveSpec
    permits IalsSpec, GramianSgdSpec, PairwiseSquareSpec {
  @Override
  default Set<CandidateLayout> layouts() {
    return Set.of(CandidateLayout.FULL);
  }

  @Override
  default String defaultSampler() {
    return AllItemsSamplerSpec.TYPE.name();
  }

  @Override
  default Scorer.Kind preferredScorer() {
    return Scorer.Kind.DOT;
  }

  @Override
  default String modelProblem(ModelSpec model) {
    return model.scorer() == Scorer.Kind.DOT
        ? null
        : "--objective "
            + name()
            + " works on dot-product scores (the Gramian trick): give --scorer dot";
  }
}
