package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.totalrecall.loss.BprLoss;
import org.totalrecall.loss.RankWeight;
import org.totalrecall.loss.RowObjective;
import org.totalrecall.loss.WarpLoss;
import org.totalrecall.sampler.CandidateLayout;

/**
 * The pairwise objectives over per-row blocks: {@code bpr}, Bayesian personalised ranking (Rendle
 * et al. 2009; Rendle's survey sec. 4.2), −log σ(s_i − s_j) for each negative j of the row ({@link
 * BprLoss}); and {@code warp}, the weighted approximate-rank pairwise hinge (Weston et al. 2011;
 * survey sec. 4.2): the first sampled negative that violates the margin, its rank estimated as ⌊(N
 * − 1)/trials⌋ and the hinge weighted by Σ_{k≤rank} 1/k ({@link WarpLoss}); the row's width is the
 * trial cap ({@code --ratio 0:K}).
 *
 * @param warp WARP instead of BPR
 * @param margin WARP's margin (ignored by BPR)
 * @param rankWeight WARP's rank weight L(r) (survey sec. 4.2.3: harmonic, auc, top:K; ignored by
 *     BPR)
 */
public record PairwiseSpec(boolean warp, float margin, RankWeight rankWeight)
    implements ObjectiveSpec {
  /**
   * WARP's default trial cap: negatives scored per positive (LightFM's max_sampled is 10;
   * implicit's BPR 1).
   */
  public static final int DEFAULT_WARP_TRIALS = 32;

  static final SpecType<ObjectiveSpec> BPR =
      new SpecType<>(
          "bpr",
          "BPR: -log sigmoid(s_pos - s_neg) per sampled negative (Rendle et al. 2009; survey sec. 4.2).",
          List.of(),
          p -> new PairwiseSpec(false, 1f, new RankWeight.Harmonic()));

  static final SpecType<ObjectiveSpec> WARP =
      new SpecType<>(
          "warp",
          "WARP: rank-weighted hinge on the first violating negative, rank ~ (N-1)/trials (Weston et al. 2011).",
          List.of(
              new Param(
                  "margin",
                  Param.Kind.FLOAT,
                  "M",
                  "Margin of the hinge (warp, hinge, ccl; default 1 for warp)."),
              new Param(
                  "rank-weight",
                  Param.Kind.STRING,
                  "L",
                  "WARP's penalty of rank r (survey sec. 4.2.3): harmonic (sum of 1/j, j <= r; the default), auc"
                      + " (r/(N-1)) or top:K (1 once the positive is out of the top K: precision@K).")),
          p ->
              new PairwiseSpec(
                  true,
                  p.getFloat("margin", 1f),
                  RankWeight.parse(p.getString("rank-weight", "harmonic"))));

  public PairwiseSpec {
    if (!(margin > 0f)) {
      throw new IllegalArgumentException("--margin must be > 0, got " + margin);
    }
    if (rankWeight == null) {
      throw new IllegalArgumentException("rankWeight must not be null");
    }
  }

  @Override
  public String name() {
    return warp ? WARP.name() : BPR.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (warp) {
      m.put("margin", MapValues.decimal(margin));
      m.put("rank-weight", rankWeight.spelling());
    }
    return m;
  }

  @Override
  public Set<CandidateLayout> layouts() {
    return Set.of(CandidateLayout.PER_ROW);
  }

  @Override
  public String defaultSampler() {
    return StaticSamplerSpec.UNIFORM.name();
  }

  @Override
  public Map<String, String> defaultSamplerValues() {
    return warp ? Map.of("ratio", "0:" + DEFAULT_WARP_TRIALS) : Map.of();
  }

  @Override
  public RowObjective createRow(int numUsers, int numItems) {
    return warp ? new WarpLoss(numItems, margin, rankWeight) : new BprLoss();
  }
}
