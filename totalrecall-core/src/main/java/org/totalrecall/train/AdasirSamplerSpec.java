package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.loss.WarpLoss;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.ImportanceResamplingRowSampler;
import org.totalrecall.sampler.NegativeDistribution;
import org.totalrecall.sampler.RowSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * {@code adasir} and {@code adasir-w}: adaptive sampling by importance resampling (paper 002,
 * Algorithm 1; {@link ImportanceResamplingRowSampler}): per-user pools of P items resampled by
 * exp(r − log Q) from a uniform or log-popularity proposal, merged with the previous epoch's pool,
 * negatives drawn uniformly from the pool with their resampling weight as log Q, for the
 * self-normalised weights of eq. 1 ({@code --objective is-bpr}). {@code adasir-w} adds the rank
 * estimate of eq. 2 as the positive's weight J(rank) (eq. 3), with a uniform proposal. Item
 * negatives from per-user pools (u2i; {@code --ratio 0:B}, 0:5 by default as in sec. 4.3), or user
 * negatives from per-item pools (i2u; {@code --ratio A:0}).
 *
 * @param ratio negatives per positive: items (0:B) or users (A:0)
 * @param pool P, the pool size (200 by default, the paper's Gowalla setting)
 * @param popularity the log-popularity proposal (AdaSIR(P)) instead of uniform (AdaSIR(U))
 * @param rankWeighted AdaSIR-W
 */
public record AdasirSamplerSpec(Ratio ratio, int pool, boolean popularity, boolean rankWeighted)
    implements SamplerSpec {
  /** The default pool size: the paper's for Gowalla and Yelp (sec. 4.3). */
  public static final int DEFAULT_POOL = 200;

  static final String DEFAULT_RATIO = "0:5";

  static final Param POOL =
      new Param(
          "pool",
          Param.Kind.INT,
          "P",
          "AdaSIR's pool size per user (default " + DEFAULT_POOL + ").");
  static final Param PROPOSAL =
      new Param(
          "proposal",
          Param.Kind.STRING,
          "Q",
          "Proposal of adasir and pris: uniform (the default) or popularity, q ~ log(1 + count) (AdaSIR sec. 4.3).");

  static final SpecType<SamplerSpec> TYPE =
      new SpecType<>(
          "adasir",
          "AdaSIR: per-user pools resampled by exp(score - log Q) and merged each epoch; negatives uniform from the pool"
              + " with weights for is-bpr (paper 002, Algorithm 1, eq. 1).",
          List.of(StaticSamplerSpec.RATIO, POOL, PROPOSAL),
          p ->
              new AdasirSamplerSpec(
                  Ratio.parse(p.getString("ratio", DEFAULT_RATIO)),
                  p.getInt("pool", DEFAULT_POOL),
                  parseProposal(p.getString("proposal", "uniform")),
                  false));

  static final SpecType<SamplerSpec> WEIGHTED =
      new SpecType<>(
          "adasir-w",
          "AdaSIR-W: adasir with a uniform proposal, each positive weighted by sum_{k<=rank} 1/k of its rank estimated"
              + " from the pool (paper 002, eq. 2-3).",
          List.of(StaticSamplerSpec.RATIO, POOL),
          p ->
              new AdasirSamplerSpec(
                  Ratio.parse(p.getString("ratio", DEFAULT_RATIO)),
                  p.getInt("pool", DEFAULT_POOL),
                  false,
                  true));

  /** {@code uniform} → false, {@code popularity} → true. */
  static boolean parseProposal(String value) {
    return switch (value) {
      case "uniform" -> false;
      case "popularity" -> true;
      default ->
          throw new IllegalArgumentException(
              "--proposal must be uniform or popularity, got '" + value + "'");
    };
  }

  public AdasirSamplerSpec {
    if (ratio == null) {
      throw new IllegalArgumentException("--ratio must be given");
    }
    if (ratio.randomPairs() > 0 || (ratio.userNegatives() > 0) == (ratio.itemNegatives() > 0)) {
      throw new IllegalArgumentException(
          "--sampler "
              + (rankWeighted ? "adasir-w" : "adasir")
              + " draws item negatives"
              + " from user pools (--ratio 0:B) or user negatives from item pools (--ratio A:0), got "
              + ratio);
    }
    if (pool < 1 || pool > 100_000) {
      throw new IllegalArgumentException("--pool must be in 1..100000, got " + pool);
    }
    if (rankWeighted && popularity) {
      throw new IllegalArgumentException(
          "--sampler adasir-w estimates ranks from a uniform proposal (eq. 2)");
    }
  }

  @Override
  public String name() {
    return rankWeighted ? WEIGHTED.name() : TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ratio", ratio.toString());
    m.put("pool", pool);
    if (!rankWeighted) {
      m.put("proposal", popularity ? "popularity" : "uniform");
    }
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
    boolean i2u = ratio.userNegatives() > 0;
    NegativeDistribution q = ModelAwareSamplers.proposal(train, i2u, popularity);
    return new ImportanceResamplingRowSampler(
        train,
        context.users(),
        context.items(),
        i2u,
        ratio.negatives(),
        pool,
        q,
        rankWeighted ? WarpLoss::rankWeight : null,
        context.cosineScores(),
        context.scoreScale(),
        context.seed(),
        VectorOps.best());
  }
}
