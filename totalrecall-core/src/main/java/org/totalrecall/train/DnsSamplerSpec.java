package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.DynamicRowSampler;
import org.totalrecall.sampler.RowSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * {@code dns}: dynamic negative sampling, the two-pass sampler of Rendle's survey sec. 4.3.2 (Zhang
 * et al. 2013; {@link DynamicRowSampler}): each negative item is the best-scored of {@code
 * --candidates M} uniform draws under the current model. Per row, item negatives only ({@code
 * --ratio 0:B}). It reports the uniform proposal's log Q, so it is for objectives that do not
 * correct by it (BPR, WARP, the pointwise losses).
 *
 * @param ratio negatives per positive: item negatives only
 * @param candidates M, the uniform draws scored per negative
 */
public record DnsSamplerSpec(Ratio ratio, int candidates) implements SamplerSpec {
  static final SpecType<SamplerSpec> TYPE =
      new SpecType<>(
          "dns",
          "Dynamic negative sampling: each negative item the best of M uniform draws by the current model (Zhang et al."
              + " 2013; Rendle's survey sec. 4.3.2).",
          List.of(
              StaticSamplerSpec.RATIO,
              new Param(
                  "candidates",
                  Param.Kind.INT,
                  "M",
                  "Uniform draws scored per negative by a score-aware sampler (dns; default 10).")),
          p ->
              new DnsSamplerSpec(
                  Ratio.parse(p.getString("ratio", StaticSamplerSpec.DEFAULT_RATIO)),
                  p.getInt("candidates", 10)));

  public DnsSamplerSpec {
    if (ratio == null) {
      throw new IllegalArgumentException("--ratio must be given");
    }
    ModelAwareSamplers.requireItemNegatives("dns", ratio);
    if (candidates < 1 || candidates > 100_000) {
      throw new IllegalArgumentException("--candidates must be in 1..100000, got " + candidates);
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
    m.put("candidates", candidates);
    return m;
  }

  /** DNS's choice probability depends on the model: no objective may correct by its log Q. */
  @Override
  public String objectiveProblem(ObjectiveSpec objective) {
    return ModelAwareSamplers.logQProblem("dns", objective);
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
    return new DynamicRowSampler(
        context.train(),
        context.users(),
        context.items(),
        ratio.itemNegatives(),
        candidates,
        context.cosineScores(),
        VectorOps.best());
  }
}
