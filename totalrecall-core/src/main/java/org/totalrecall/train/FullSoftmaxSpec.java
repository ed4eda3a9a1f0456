package org.totalrecall.train;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.totalrecall.sampler.CandidateLayout;

/**
 * The exact softmax over every item ({@link org.totalrecall.loss.FullSoftmaxLoss}, {@link
 * FullSoftmaxSolver}; Rendle's survey sec. 4.1): φ → log p(i|u) without sampling. No parameters;
 * trains on the {@code FULL} layout ({@code --sampler all}).
 */
public record FullSoftmaxSpec() implements ObjectiveSpec {
  static final SpecType<ObjectiveSpec> TYPE =
      new SpecType<>(
          "full-softmax",
          "Exact softmax over every item (Rendle's survey sec. 4.1): the reference the samplers are judged against.",
          List.of(),
          p -> new FullSoftmaxSpec());

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of();
  }

  @Override
  public Set<CandidateLayout> layouts() {
    return Set.of(CandidateLayout.FULL);
  }

  @Override
  public String defaultSampler() {
    return AllItemsSamplerSpec.TYPE.name();
  }
}
