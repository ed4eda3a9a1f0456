package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.sampler.AdaptiveOversamplingRowSampler;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.RowSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * {@code aobpr}: adaptive oversampling (Rendle &amp; Freudenthaler 2014; Rendle's survey sec.
 * 4.2.4; {@link AdaptiveOversamplingRowSampler}): negatives drawn by rank ∝ exp(−r/λ) in the item
 * list of a factor chosen ∝ |u_f|·σ_f. Dot-product scores only; item negatives per row ({@code
 * --ratio 0:B}); like DNS, no closed-form log Q.
 *
 * @param ratio negatives per positive: item negatives only
 * @param rankScale λ in ranks, or 0 for |I|/100
 * @param refresh draws between list refreshes per worker, or 0 for |I|·⌈log₂|I|⌉
 */
public record AobprSamplerSpec(Ratio ratio, float rankScale, long refresh) implements SamplerSpec {
  static final SpecType<SamplerSpec> TYPE =
      new SpecType<>(
          "aobpr",
          "Adaptive oversampling: a rank ~ exp(-r/lambda) in the items sorted by a factor chosen ~ |u_f|*sigma_f"
              + " (Rendle & Freudenthaler 2014; survey sec. 4.2.4); dot scores.",
          List.of(
              StaticSamplerSpec.RATIO,
              new Param(
                  "rank-scale",
                  Param.Kind.FLOAT,
                  "L",
                  "AOBPR's lambda: ranks drawn ~ exp(-r/L) (default |I|/100)."),
              new Param(
                  "refresh",
                  Param.Kind.INT,
                  "N",
                  "AOBPR: draws between refreshes of the sorted lists (default"
                      + " |I|*log2|I|).")),
          p ->
              new AobprSamplerSpec(
                  Ratio.parse(p.getString("ratio", StaticSamplerSpec.DEFAULT_RATIO)),
                  p.getFloat("rank-scale", 0f),
                  p.getInt("refresh", 0)));

  public AobprSamplerSpec {
    if (ratio == null) {
      throw new IllegalArgumentException("--ratio must be given");
    }
    ModelAwareSamplers.requireItemNegatives("aobpr", ratio);
    if (!(rankScale >= 0f) || Float.isInfinite(rankScale)) {
      throw new IllegalArgumentException(
          "--rank-scale must be > 0 (or 0 for |I|/100), got " + rankScale);
    }
    if (refresh < 0) {
      throw new IllegalArgumentException(
          "--refresh must be >= 1 (or 0 for |I|*log2|I|), got " + refresh);
    }
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ratio", ratio.toString());
    m.put("rank-scale", MapValues.decimal(rankScale));
    m.put("refresh", (int) refresh);
    return m;
  }

  @Override
  public String objectiveProblem(ObjectiveSpec objective) {
    return ModelAwareSamplers.logQProblem("aobpr", objective);
  }

  @Override
  public String modelProblem(ModelSpec model) {
    return ModelAwareSamplers.dotProblem(
        "aobpr", "ranks items by the factors of dot-product scores", model);
  }

  @Override
  public CandidateLayout layout() {
    return CandidateLayout.PER_ROW;
  }

  @Override
  public int maxCandidates(int batchSize) {
    return 1 + ratio.itemNegatives();
  }

  @Override
  public RowSampler createRows(SamplerContext context) {
    int n = context.train().numItems();
    double lambda = rankScale > 0f ? rankScale : Math.max(1.0, n / 100.0);
    long every = refresh > 0 ? refresh : AdaptiveOversamplingRowSampler.defaultRefresh(n);
    return new AdaptiveOversamplingRowSampler(
        context.train(), context.users(), context.items(), ratio.itemNegatives(), lambda, every);
  }
}
