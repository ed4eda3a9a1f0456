package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.NegativeDistribution;
import org.totalrecall.sampler.RatioRowSampler;
import org.totalrecall.sampler.RowSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * {@code pris}: personalised ranking with importance sampling (Lian, Liu &amp; Chen 2020; the
 * PRIS(U) and PRIS(P) baselines of paper 002, sec. 4.2): each positive's negatives are drawn afresh
 * from a static proposal, uniform or log-popularity q ∝ log(1 + count) (sec. 4.3), with their exact
 * log Q, and weighted by the self-normalised importance weights exp(r − log Q) of {@code
 * --objective is-bpr}. Both directions: {@code --ratio A:B} draws A users for the item (from the
 * users' proposal) and B items for the user. Accidental hits are drawn again as by the static
 * samplers. Unlike {@code adasir} it keeps no pools: every draw is from Q.
 *
 * @param ratio negatives per positive
 * @param popularity log-popularity instead of uniform
 */
public record PrisSamplerSpec(Ratio ratio, boolean popularity) implements SamplerSpec {
  static final SpecType<SamplerSpec> TYPE =
      new SpecType<>(
          "pris",
          "PRIS: negatives from a uniform or log-popularity proposal with exact log Q, importance-weighted by is-bpr"
              + " (Lian et al. 2020; paper 002 sec. 4.2).",
          List.of(StaticSamplerSpec.RATIO, AdasirSamplerSpec.PROPOSAL),
          p ->
              new PrisSamplerSpec(
                  Ratio.parse(p.getString("ratio", AdasirSamplerSpec.DEFAULT_RATIO)),
                  AdasirSamplerSpec.parseProposal(p.getString("proposal", "uniform"))));

  public PrisSamplerSpec {
    if (ratio == null) {
      throw new IllegalArgumentException("--ratio must be given");
    }
    if (ratio.randomPairs() > 0) {
      throw new IllegalArgumentException(
          "--sampler pris draws negative users and items (--ratio A:B), not random"
              + " pairs, got "
              + ratio);
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
    m.put("proposal", popularity ? "popularity" : "uniform");
    return m;
  }

  @Override
  public String objectiveProblem(ObjectiveSpec objective) {
    return ModelAwareSamplers.weightsProblem(name(), objective);
  }

  @Override
  public CandidateLayout layout() {
    return CandidateLayout.PER_ROW;
  }

  @Override
  public int maxCandidates(int batchSize) {
    return 1 + ratio.negatives();
  }

  @Override
  public RowSampler createRows(SamplerContext context) {
    var train = context.train();
    NegativeDistribution users =
        ratio.userNegatives() > 0 ? ModelAwareSamplers.proposal(train, true, popularity) : null;
    NegativeDistribution items =
        ratio.itemNegatives() > 0 ? ModelAwareSamplers.proposal(train, false, popularity) : null;
    return RatioRowSampler.of(
        train, ratio.userNegatives(), users, ratio.itemNegatives(), items, true);
  }
}
