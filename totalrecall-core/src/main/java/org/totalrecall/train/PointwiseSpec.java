package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.totalrecall.loss.HingeLoss;
import org.totalrecall.loss.LogisticLoss;
import org.totalrecall.loss.RowObjective;
import org.totalrecall.loss.SquareLoss;
import org.totalrecall.sampler.CandidateLayout;

/**
 * The pointwise objectives over per-row blocks (Rendle's survey sec. 3.1), with example weights
 * (the data's weight column) on the positive and a weight α0 on the sampled negatives: {@code
 * logistic} (−w·log σ(s_i) − α0·Σ log σ(−s_j), {@link LogisticLoss}), {@code square} (w·(s_i − 1)²
 * + α0·Σ s_j², {@link SquareLoss}), {@code hinge} (w·max(0, m − s_i) + α0·Σ max(0, m + s_j), {@link
 * HingeLoss}); and {@code mfb}, TotalRecall's MFb (sec. 3.5): the logistic loss with its sampling
 * ratio a:b, 4:4 by default ([0:8] → p(i|u), [8:0] → p(u|i), [4:4] → PMI, [8] → p(u,i)).
 *
 * @param kind which loss
 * @param negativeWeight α0 ≥ 0
 * @param margin the hinge's margin m &gt; 0 (ignored otherwise)
 */
public record PointwiseSpec(Kind kind, float negativeWeight, float margin)
    implements ObjectiveSpec {
  /** The pointwise losses. */
  public enum Kind {
    LOGISTIC,
    SQUARE,
    HINGE,
    /** The logistic loss under TotalRecall's name, with its ratio 4:4 by default. */
    MFB
  }

  /** mfb's default ratio. */
  public static final String MFB_RATIO = "4:4";

  private static final Param NEGATIVE_WEIGHT =
      new Param(
          "negative-weight",
          Param.Kind.FLOAT,
          "W",
          "Weight of the sampled negatives' terms (pointwise losses, ccl; default 1, ccl 1).");

  static final List<SpecType<ObjectiveSpec>> TYPES =
      List.of(
          type(
              Kind.LOGISTIC,
              "logistic",
              "Pointwise logistic: -w log sigmoid(s_pos) - W sum log sigmoid(-s_neg) (survey sec. 3.1)."),
          type(
              Kind.SQUARE,
              "square",
              "Pointwise square: w (s_pos - 1)^2 + W sum s_neg^2 (survey sec. 3.1), by SGD."),
          type(
              Kind.HINGE,
              "hinge",
              "Pointwise hinge: w max(0, m - s_pos) + W sum max(0, m + s_neg) (survey sec. 3.1)."),
          type(
              Kind.MFB,
              "mfb",
              "MFb: the logistic loss with TotalRecall's sampling ratio a:b (sec. 3.5), 4:4 by default."));

  private static SpecType<ObjectiveSpec> type(Kind kind, String name, String description) {
    List<Param> params =
        kind == Kind.HINGE
            ? List.of(
                NEGATIVE_WEIGHT,
                new Param(
                    "margin", Param.Kind.FLOAT, "M", "Margin of the hinge (warp, hinge, ccl)."))
            : List.of(NEGATIVE_WEIGHT);
    return new SpecType<>(
        name,
        description,
        params,
        p ->
            new PointwiseSpec(
                kind,
                p.getFloat("negative-weight", 1f),
                kind == Kind.HINGE ? p.getFloat("margin", 1f) : 1f));
  }

  public PointwiseSpec {
    if (kind == null) {
      throw new IllegalArgumentException("kind must not be null");
    }
    if (!(negativeWeight >= 0f)) {
      throw new IllegalArgumentException("--negative-weight must be >= 0, got " + negativeWeight);
    }
    if (!(margin > 0f)) {
      throw new IllegalArgumentException("--margin must be > 0, got " + margin);
    }
  }

  @Override
  public String name() {
    return switch (kind) {
      case LOGISTIC -> "logistic";
      case SQUARE -> "square";
      case HINGE -> "hinge";
      case MFB -> "mfb";
    };
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("negative-weight", MapValues.decimal(negativeWeight));
    if (kind == Kind.HINGE) {
      m.put("margin", MapValues.decimal(margin));
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
    return kind == Kind.MFB ? Map.of("ratio", MFB_RATIO) : Map.of();
  }

  @Override
  public RowObjective createRow(int numUsers, int numItems) {
    return switch (kind) {
      case LOGISTIC, MFB -> new LogisticLoss(negativeWeight);
      case SQUARE -> new SquareLoss(negativeWeight);
      case HINGE -> new HingeLoss(margin, negativeWeight);
    };
  }
}
