package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.totalrecall.loss.CclLoss;
import org.totalrecall.loss.RowObjective;
import org.totalrecall.model.Scorer;
import org.totalrecall.sampler.CandidateLayout;

/**
 * SimpleX's cosine contrastive loss (Mao et al. 2021, "SimpleX: A Simple and Strong Baseline for
 * Collaborative Filtering", CIKM; {@link CclLoss}): (1 − cos(u, i)) + (w/K)·Σ_j max(0, cos(u, j) −
 * m) over K sampled negatives, on raw cosine scores (it needs {@code --scorer cosine --tau 1}). Per
 * row ({@code --ratio 0:K}, {@link CclLoss}), or over a shared block ({@code --sampler uniform
 * --shared M}, in-batch or mixed: {@link org.totalrecall.loss.CclBatchLoss}), which makes SimpleX's
 * many negatives one GEMM per batch. The defaults (margin 0.9, weight 1, 0:100 uniform negatives)
 * are SimpleX's order of magnitude, not tuned here; tune them on a validation split.
 *
 * @param margin m in [−1, 1]
 * @param negativeWeight w ≥ 0
 */
public record CclSpec(float margin, float negativeWeight) implements ObjectiveSpec {
  /** Default negatives per positive. */
  public static final String DEFAULT_RATIO = "0:100";

  static final SpecType<ObjectiveSpec> TYPE =
      new SpecType<>(
          "ccl",
          "SimpleX's cosine contrastive loss: (1 - cos_pos) + (W/K) sum max(0, cos_neg - m) (Mao et al. 2021).",
          List.of(
              new Param(
                  "margin",
                  Param.Kind.FLOAT,
                  "M",
                  "Margin of the hinge (warp, hinge, ccl; default 0.9 for ccl)."),
              new Param(
                  "negative-weight",
                  Param.Kind.FLOAT,
                  "W",
                  "Weight of the sampled negatives' terms (pointwise losses, ccl).")),
          p -> new CclSpec(p.getFloat("margin", 0.9f), p.getFloat("negative-weight", 1f)));

  public CclSpec {
    if (!(margin >= -1f && margin <= 1f)) {
      throw new IllegalArgumentException("--margin must be in [-1, 1] for ccl, got " + margin);
    }
    if (!(negativeWeight >= 0f)) {
      throw new IllegalArgumentException("--negative-weight must be >= 0, got " + negativeWeight);
    }
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("margin", MapValues.decimal(margin));
    m.put("negative-weight", MapValues.decimal(negativeWeight));
    return m;
  }

  @Override
  public Set<CandidateLayout> layouts() {
    return Set.of(CandidateLayout.PER_ROW, CandidateLayout.SHARED);
  }

  @Override
  public String defaultSampler() {
    return StaticSamplerSpec.UNIFORM.name();
  }

  @Override
  public Map<String, String> defaultSamplerValues() {
    return Map.of("ratio", DEFAULT_RATIO);
  }

  @Override
  public String modelProblem(ModelSpec model) {
    return model.scorer() == Scorer.Kind.COSINE && model.temperature() == 1f
        ? null
        : "--objective ccl works on raw cosine scores: give --scorer cosine --tau 1";
  }

  @Override
  public boolean scoresUserCandidates() {
    return false; // a u2i loss: negatives are items
  }

  @Override
  public org.totalrecall.loss.BatchObjective create(org.totalrecall.linalg.VectorOps ops) {
    return new org.totalrecall.loss.CclBatchLoss(margin, negativeWeight);
  }

  @Override
  public RowObjective createRow(int numUsers, int numItems) {
    return new CclLoss(margin, negativeWeight);
  }
}
