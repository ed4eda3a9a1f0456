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
 * 4.3).
 */
public record ImportanceBprSpec() implements ObjectiveSpec {
  static final SpecType<ObjectiveSpec> TYPE =
      new SpecType<>(
          "is-bpr",
          "BPR with self-normalised importance weights exp(s - log Q) over the row's negatives (AdaSIR eq. 1, PRIS).",
          List.of(),
          p -> new ImportanceBprSpec());

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of();
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
    return new ImportanceBprLoss();
  }
}
