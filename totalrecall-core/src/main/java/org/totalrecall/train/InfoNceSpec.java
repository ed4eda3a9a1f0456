package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.loss.BatchObjective;
import org.totalrecall.loss.InfoNceLoss;
import org.totalrecall.sampler.CandidateLayout;

/**
 * The InfoNCE family over a shared candidate block ({@link InfoNceLoss}): Bi-InfoNCE, both softmax
 * terms of TotalRecall eq. 3 (φ → log p(u,i) + C), or one of them, u2i (softmax over item
 * candidates, φ → log p(i|u)) or i2u (softmax over user candidates, φ → log p(u|i)); with the log Q
 * correction of Yi et al. 2019 at strength α ({@code logQWeight}; 1 is eq. 3 exactly, 0 or {@code
 * --no-logq} is CLRec's uncorrected contrastive loss). See {@link Trainer} for what α does at the
 * fixed point and {@link TrainConfig} for the tuned default.
 *
 * @param direction which softmax terms
 * @param logQCorrection whether to subtract log Q at all
 * @param logQWeight α in [0, 10]
 */
public record InfoNceSpec(InfoNceLoss.Direction direction, boolean logQCorrection, float logQWeight)
    implements ObjectiveSpec {
  /** The default correction strength, tuned on ML-1M (see {@link TrainConfig}). */
  public static final float DEFAULT_LOGQ_WEIGHT = 0.9f;

  private static final List<Param> PARAMS =
      List.of(
          new Param(
              "logq",
              Param.Kind.SWITCH_OFF,
              null,
              "Do not subtract log q of the candidates (CLRec's uncorrected loss)."),
          new Param(
              "logq-weight",
              Param.Kind.FLOAT,
              "ALPHA",
              "Strength of the log q correction: the loss sees s - ALPHA*log q; 1 is Yi et al.'s correction "
                  + "(TotalRecall eq. 3 exactly), above 1 compensates the small-batch bias towards rare candidates "
                  + "(default "
                  + DEFAULT_LOGQ_WEIGHT
                  + ")."));

  /** bi-infonce, infonce-u2i, infonce-i2u. */
  static final List<SpecType<ObjectiveSpec>> TYPES =
      List.of(
          type(
              "bi-infonce",
              InfoNceLoss.Direction.BOTH,
              "Bi-InfoNCE: softmax over items and over users (TotalRecall eq. 3), phi -> log p(u,i)."),
          type(
              "infonce-u2i",
              InfoNceLoss.Direction.U2I,
              "InfoNCE u2i: softmax over item candidates (eq. 3, first term; sampled softmax, Rendle eq. 19)."),
          type(
              "infonce-i2u",
              InfoNceLoss.Direction.I2U,
              "InfoNCE i2u: softmax over user candidates (eq. 3, second term), phi -> log p(u|i)."));

  private static SpecType<ObjectiveSpec> type(
      String name, InfoNceLoss.Direction d, String description) {
    return new SpecType<>(
        name,
        description,
        PARAMS,
        p ->
            new InfoNceSpec(
                d, p.getBoolean("logq", true), p.getFloat("logq-weight", DEFAULT_LOGQ_WEIGHT)));
  }

  public InfoNceSpec {
    if (direction == null) {
      throw new IllegalArgumentException("direction must not be null");
    }
    if (!(logQWeight >= 0f && logQWeight <= 10f)) {
      throw new IllegalArgumentException("--logq-weight must be in [0, 10], got " + logQWeight);
    }
  }

  /** Bi-InfoNCE with the default correction. */
  public static InfoNceSpec biInfoNce() {
    return new InfoNceSpec(InfoNceLoss.Direction.BOTH, true, DEFAULT_LOGQ_WEIGHT);
  }

  /** The given direction with the default correction. */
  public static InfoNceSpec of(InfoNceLoss.Direction direction) {
    return new InfoNceSpec(direction, true, DEFAULT_LOGQ_WEIGHT);
  }

  /** A copy with correction strength α. */
  public InfoNceSpec withLogQWeight(float alpha) {
    return new InfoNceSpec(direction, logQCorrection, alpha);
  }

  /** A copy with the correction on or off. */
  public InfoNceSpec withLogQCorrection(boolean on) {
    return new InfoNceSpec(direction, on, logQWeight);
  }

  @Override
  public String name() {
    return switch (direction) {
      case BOTH -> "bi-infonce";
      case U2I -> "infonce-u2i";
      case I2U -> "infonce-i2u";
    };
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("logq", logQCorrection);
    m.put("logq-weight", MapValues.decimal(logQWeight));
    return m;
  }

  @Override
  public Set<CandidateLayout> layouts() {
    return Set.of(CandidateLayout.SHARED);
  }

  @Override
  public String defaultSampler() {
    return "in-batch";
  }

  @Override
  public boolean scoresUserCandidates() {
    return direction != InfoNceLoss.Direction.U2I;
  }

  @Override
  public boolean scoresItemCandidates() {
    return direction != InfoNceLoss.Direction.I2U;
  }

  @Override
  public float correctionWeight() {
    return logQCorrection ? logQWeight : 0f;
  }

  @Override
  public BatchObjective create(VectorOps ops) {
    return new InfoNceLoss(direction, ops);
  }
}
