package org.totalrecall.train;

import java.util.List;
import java.util.Map;
import org.totalrecall.sampler.BatchSampler;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.InBatchSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * In-batch negatives ({@link InBatchSampler}): the batch's own users and items, shared. No
 * parameters.
 */
public record InBatchSamplerSpec() implements SamplerSpec {
  static final SpecType<SamplerSpec> TYPE =
      new SpecType<>(
          "in-batch",
          "The batch's own users and items as shared negatives, log q = empirical marginal (TotalRecall eq. 3; CLRec).",
          List.of(),
          p -> new InBatchSamplerSpec());

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
    return CandidateLayout.SHARED;
  }

  @Override
  public int maxCandidates(int batchSize) {
    return batchSize;
  }

  @Override
  public BatchSampler create(SamplerContext context) {
    return InBatchSampler.fromInteractions(context.train());
  }
}
