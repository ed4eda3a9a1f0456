package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.NegativeDistribution;
import org.totalrecall.sampler.RandomPairRowSampler;
import org.totalrecall.sampler.RatioRowSampler;
import org.totalrecall.sampler.RowSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * The static per-row samplers ({@link RatioRowSampler}, {@link RandomPairRowSampler}) in both
 * directions: {@code uniform} (every user or item equally likely) and {@code popularity}
 * (∝ count^β, alias method, O(1) per draw; Rendle's survey sec. 4.1), with TotalRecall's
 * ratio a:b or n random pairs (sec. 3.5). Accidental hits (a drawn item the user has in
 * training, a drawn user who has the item) are redrawn up to 16 times unless {@code --no-reject}.
 *
 * @param popularity popularity^β instead of uniform
 * @param beta β of the popularity distribution (ignored for uniform)
 * @param ratio negatives per positive
 * @param reject redraw accidental hits
 */
public record StaticSamplerSpec(boolean popularity, float beta, Ratio ratio, boolean reject) implements SamplerSpec {
  /** The default exponent of {@code popularity} (word2vec's 0.75). */
  public static final float DEFAULT_BETA = 0.75f;
  /** The default ratio: one negative item per positive. */
  public static final String DEFAULT_RATIO = "0:1";

  private static final Param RATIO = new Param("ratio", Param.Kind.STRING, "A:B|N",
      "Negatives per positive: A negative users and B negative items (TotalRecall sec. 3.5), or N random pairs "
          + "(default " + DEFAULT_RATIO + ", or the objective's).");
  private static final Param REJECT = new Param("reject", Param.Kind.SWITCH_OFF, null,
      "Keep accidental hits (drawn negatives that are training positives of the row) instead of redrawing them.");

  static final SpecType<SamplerSpec> UNIFORM = new SpecType<>("uniform",
      "Negatives drawn uniformly: users and/or items per positive (--ratio), per row (Rendle's survey sec. 4.1).",
      List.of(RATIO, REJECT),
      p -> new StaticSamplerSpec(false, 1f, Ratio.parse(p.getString("ratio", DEFAULT_RATIO)), p.getBoolean("reject", true)));

  static final SpecType<SamplerSpec> POPULARITY = new SpecType<>("popularity",
      "Negatives drawn with probability count^beta (alias method, O(1)), per row (Rendle's survey sec. 4.1).",
      List.of(RATIO, REJECT, new Param("beta", Param.Kind.FLOAT, "BETA",
          "Exponent of the popularity sampler: count^BETA (default " + DEFAULT_BETA + ").")),
      p -> new StaticSamplerSpec(true, p.getFloat("beta", DEFAULT_BETA), Ratio.parse(p.getString("ratio", DEFAULT_RATIO)),
          p.getBoolean("reject", true)));

  public StaticSamplerSpec {
    if (ratio == null) {
      throw new IllegalArgumentException("--ratio must be given");
    }
    if (!(beta >= 0f && beta <= 10f)) {
      throw new IllegalArgumentException("--beta must be in [0, 10], got " + beta);
    }
  }

  @Override
  public String name() {
    return popularity ? POPULARITY.name() : UNIFORM.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ratio", ratio.toString());
    m.put("reject", reject);
    if (popularity) {
      m.put("beta", MapValues.decimal(beta));
    }
    return m;
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
    NegativeDistribution users = popularity ? NegativeDistribution.userPopularity(train, beta)
        : NegativeDistribution.uniformUsers(train);
    NegativeDistribution items = popularity ? NegativeDistribution.itemPopularity(train, beta)
        : NegativeDistribution.uniformItems(train);
    if (ratio.randomPairs() > 0) {
      return RandomPairRowSampler.of(train, ratio.randomPairs(), users, items, reject);
    }
    return RatioRowSampler.of(train, ratio.userNegatives(), ratio.userNegatives() > 0 ? users : null,
        ratio.itemNegatives(), ratio.itemNegatives() > 0 ? items : null, reject);
  }
}
