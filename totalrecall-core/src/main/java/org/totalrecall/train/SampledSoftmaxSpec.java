package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.totalrecall.loss.RowObjective;
import org.totalrecall.loss.SampledSoftmaxRowLoss;
import org.totalrecall.sampler.CandidateLayout;

/**
 * Sampled softmax with the log Q correction (Rendle's survey eq. 19; Bengio &amp; Senécal 2008):
 * −s_i + log(exp(s_i) + Σ_l exp(s_{j_l} − log(m·Q(j_l)))) over m negatives drawn by any sampler
 * with their log-probability ({@link SampledSoftmaxRowLoss}); {@code --no-logq} drops the
 * correction. Per row (each positive its own negatives, {@code --ratio 0:m}, 0:32 by default), or
 * over a shared block ({@code --sampler uniform|popularity --shared M}: one sample of M items per
 * batch; or {@code in-batch} / {@code mixed}), where it is the u2i term of {@link
 * org.totalrecall.loss.InfoNceLoss} with the correction at strength 1.
 *
 * @param correct subtract log(m·Q)
 */
public record SampledSoftmaxSpec(boolean correct) implements ObjectiveSpec {
  static final SpecType<ObjectiveSpec> TYPE =
      new SpecType<>(
          "sampled-softmax",
          "Sampled softmax over any sampler's negatives with the log Q correction (Rendle's survey eq. 19).",
          List.of(
              new Param(
                  "logq",
                  Param.Kind.SWITCH_OFF,
                  null,
                  "Do not subtract log q of the candidates (CLRec's uncorrected loss).")),
          p -> new SampledSoftmaxSpec(p.getBoolean("logq", true)));

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("logq", correct);
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
    return Map.of("ratio", "0:32");
  }

  @Override
  public boolean scoresUserCandidates() {
    return false; // the softmax runs over items only
  }

  @Override
  public float correctionWeight() {
    return correct ? 1f : 0f;
  }

  @Override
  public org.totalrecall.loss.BatchObjective create(org.totalrecall.linalg.VectorOps ops) {
    return new org.totalrecall.loss.InfoNceLoss(
        org.totalrecall.loss.InfoNceLoss.Direction.U2I, ops);
  }

  @Override
  public RowObjective createRow(int numUsers, int numItems) {
    return new SampledSoftmaxRowLoss(correct);
  }
}
