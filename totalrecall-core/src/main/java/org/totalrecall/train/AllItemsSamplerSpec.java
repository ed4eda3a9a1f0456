package org.totalrecall.train;

import java.util.List;
import java.util.Map;
import org.totalrecall.sampler.CandidateLayout;

/**
 * No sampling: every item is a candidate of every positive (the {@code FULL} layout of {@link
 * FullSoftmaxSpec}).
 */
public record AllItemsSamplerSpec() implements SamplerSpec {
  static final SpecType<SamplerSpec> TYPE =
      new SpecType<>(
          "all",
          "No sampling: every item of the catalogue is a candidate (the FULL layout of full-softmax).",
          List.of(),
          p -> new AllItemsSamplerSpec());

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of();
  }

  @Override
  public CandidateLayout layout() {
    return CandidateLayout.FULL;
  }

  @Override
  public int maxCandidates(int batchSize) {
    return batchSize;
  }
}
