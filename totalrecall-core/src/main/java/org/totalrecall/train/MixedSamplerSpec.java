package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.sampler.BatchSampler;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.MixedSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * Mixed negatives ({@link MixedSampler}, Yang et al. 2020): in-batch plus M uniformly drawn users
 * and items, shared by the batch, with the mixture's log Q = log(B·q + M/N).
 *
 * @param extraNegatives M ≥ 1
 */
public record MixedSamplerSpec(int extraNegatives) implements SamplerSpec {
  /** The default M. */
  public static final int DEFAULT_EXTRA = 256;

  static final SpecType<SamplerSpec> TYPE =
      new SpecType<>(
          "mixed",
          "In-batch plus M uniform users and items, shared, log Q = log(B q + M/N) (Yang et al. 2020).",
          List.of(
              new Param(
                  "extra-negatives",
                  Param.Kind.INT,
                  "M",
                  "Uniform extra item and user candidates per batch on top of the in-batch ones (default "
                      + DEFAULT_EXTRA
                      + ").")),
          p -> new MixedSamplerSpec(p.getInt("extra-negatives", DEFAULT_EXTRA)));

  public MixedSamplerSpec {
    if (extraNegatives < 1) {
      throw new IllegalArgumentException("--extra-negatives must be >= 1, got " + extraNegatives);
    }
    if (extraNegatives > TrainConfig.MAX_BLOCK) {
      throw new IllegalArgumentException(
          "--extra-negatives must be <= " + TrainConfig.MAX_BLOCK + ", got " + extraNegatives);
    }
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("extra-negatives", extraNegatives);
    return m;
  }

  @Override
  public CandidateLayout layout() {
    return CandidateLayout.SHARED;
  }

  @Override
  public int maxCandidates(int batchSize) {
    return batchSize + extraNegatives;
  }

  @Override
  public BatchSampler create(SamplerContext context) {
    return MixedSampler.fromInteractions(
        context.train(),
        context.batchSize(),
        extraNegatives,
        context.extraUsers(),
        context.extraItems());
  }
}
