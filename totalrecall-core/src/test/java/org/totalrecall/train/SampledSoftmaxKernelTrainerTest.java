package org.totalrecall.train;

import java.util.Map;
import org.totalrecall.model.Scorer;

/**
 * The trainer contract: sampled softmax over the quadratic-kernel sampler's negatives (dot scores).
 */
class SampledSoftmaxKernelTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("sampled-softmax", Params.none()), seed)
        .withScorer(Scorer.Kind.DOT)
        .withSampler(SamplerSpec.parse("kernel", Params.of(Map.of("ratio", "0:8"))));
  }
}
