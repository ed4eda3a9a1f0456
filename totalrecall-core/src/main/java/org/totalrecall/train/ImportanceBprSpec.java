package org.totalrecall.train;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.totalrecall.loss.ImportanceBprLoss;
import org.totalrecall.loss.RowObjective;
import org.totalrecall.sampler.CandidateLayout;

/**
 * {@code is-bpr}: BPR with self-normalised importance weights ŵ ∝ exp(s_j − log Q(j)) over each
 * row's negatives, held constant in the gradient: AdaSIR's objective (paper 002, eq. 1) and PRIS's
 * ({@link ImportanceBprLoss}). It reads each negative's log Q, so it pairs with samplers that
 * report an exact one (uniform, popularity, {@code pris}) or the pool weight ({@code adasir}); with
 * the default uniform sampler it is PRIS(U). Per row, 5 item negatives by default (AdaSIR sec.
 * 4.3). {@code --weight-temperature T} divides the scores in the weights by T (1 by default, eq. 1
 * as printed; the {@code lambda_w} of the authors' released code otherwise).
 *
 * @param weightTemperature T &gt; 0: ŵ ∝ exp(s/T − log Q)
 */
public record ImportanceBprSpec(float weightTemperature) implements ObjectiveSpec {
  static final Param WEIGHT_TEMPERATURE =
      new Param(
          "weight-temperature",
          Param.Kind.FLOAT,
          "T",
          "Temperature of is-bpr's importance weights, exp(s/T - log Q) (default 1: AdaSIR eq. 1).");

  static final SpecType<ObjectiveSpec> TYPE =
      new SpecType<>(
          "is-bpr",
          "BPR with self-normalised importance weights exp(s - log Q) over the row's negatives (AdaSIR eq. 1, PRIS).",
          List.of(WEIGHT_TEMPERATURE),
          p -> new ImportanceBprSpec(p.getFloat("weight-temperature", 1f)));

  /** Eq. 1: temperature 1. */
  public ImportanceBprSpec() {
    this(1f);
  }

  public ImportanceBprSpec {
    if (!(weightTemperature > 0f) || Float.isInfinite(weightTemperature)) {
      throw new IllegalArgumentException(
          "--weight-temperature must be positive and finite, got " + weightTemperature);
    }
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of("weight-temperature", MapValues.decimal(weightTemperature));
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
    return Map.of("ratio", "0:5");
  }

  /** The weights read every negative's log Q at full strength. */
  @Override
  public float correctionWeight() {
    return 1f;
  }

  @Override
  public RowObjective createRow(int numUsers, int numItems) {
    return new ImportanceBprLoss(weightTemperature);
  }
}
