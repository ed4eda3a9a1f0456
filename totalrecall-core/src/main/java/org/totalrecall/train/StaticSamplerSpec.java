package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.sampler.BatchSampler;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.NegativeDistribution;
import org.totalrecall.sampler.RandomPairRowSampler;
import org.totalrecall.sampler.RatioRowSampler;
import org.totalrecall.sampler.RowSampler;
import org.totalrecall.sampler.SamplerContext;
import org.totalrecall.sampler.SharedSampleSampler;

/**
 * The static per-row samplers ({@link RatioRowSampler}, {@link RandomPairRowSampler}) in both
 * directions: {@code uniform} (every user or item equally likely) and {@code popularity} (∝
 * count^β, alias method, O(1) per draw; Rendle's survey sec. 4.1), with TotalRecall's ratio a:b or
 * n random pairs (sec. 3.5). Accidental hits (a drawn item the user has in training, a drawn user
 * who has the item) are redrawn up to 16 times unless {@code --no-reject}. With {@code --shared M}
 * the sampler draws one sample of M items (and M users) per batch, shared by all its positives
 * ({@link SharedSampleSampler}: the {@code SHARED} layout of sampled softmax), instead of negatives
 * per row.
 *
 * @param popularity popularity^β instead of uniform
 * @param beta β of the popularity distribution (ignored for uniform)
 * @param ratio negatives per positive (per-row mode)
 * @param reject redraw accidental hits (per-row mode; a shared sample masks them)
 * @param shared M &gt; 0 for one shared sample of M per batch, 0 for per-row negatives
 */
public record StaticSamplerSpec(
    boolean popularity, float beta, Ratio ratio, boolean reject, int shared)
    implements SamplerSpec {
  /** The default exponent of {@code popularity} (word2vec's 0.75). */
  public static final float DEFAULT_BETA = 0.75f;

  /** The default ratio: one negative item per positive. */
  public static final String DEFAULT_RATIO = "0:1";

  static final Param RATIO =
      new Param(
          "ratio",
          Param.Kind.STRING,
          "A:B|N",
          "Negatives per positive: A negative users and B negative items (TotalRecall sec. 3.5), or N random pairs "
              + "(default "
              + DEFAULT_RATIO
              + ", or the objective's).");
  private static final Param SHARED =
      new Param(
          "shared",
          Param.Kind.INT,
          "M",
          "Draw one sample of M items (and users) per batch shared by its positives (sampled softmax), "
              + "instead of negatives per positive (default 0: per positive).");
  private static final Param REJECT =
      new Param(
          "reject",
          Param.Kind.SWITCH_OFF,
          null,
          "Keep accidental hits (drawn negatives that are training positives of the row) instead of redrawing them.");

  static final SpecType<SamplerSpec> UNIFORM =
      new SpecType<>(
          "uniform",
          "Negatives drawn uniformly: users and/or items per positive (--ratio), per row (Rendle's survey sec. 4.1).",
          List.of(RATIO, REJECT, SHARED),
          p ->
              new StaticSamplerSpec(
                  false, 1f, ratio(p), p.getBoolean("reject", true), p.getInt("shared", 0)));

  static final SpecType<SamplerSpec> POPULARITY =
      new SpecType<>(
          "popularity",
          "Negatives drawn with probability count^beta (alias method, O(1)), per row (Rendle's survey sec. 4.1).",
          List.of(RATIO, REJECT, SHARED, OneBpUpdateSpec.BETA),
          p ->
              new StaticSamplerSpec(
                  true,
                  p.getFloat("beta", DEFAULT_BETA),
                  ratio(p),
                  p.getBoolean("reject", true),
                  p.getInt("shared", 0)));

  /**
   * The ratio; with --shared it must not be given (nor --no-reject: a shared sample masks hits).
   */
  private static Ratio ratio(Params p) {
    if (p.has("shared") && p.getInt("shared", 0) > 0 && (p.has("ratio") || p.has("reject"))) {
      throw new IllegalArgumentException(
          (p.has("ratio") ? "--ratio" : "--no-reject")
              + " does not apply with --shared (one sample per batch)");
    }
    return Ratio.parse(p.getString("ratio", DEFAULT_RATIO));
  }

  public StaticSamplerSpec {
    if (ratio == null) {
      throw new IllegalArgumentException("--ratio must be given");
    }
    if (shared < 0 || shared > TrainConfig.MAX_BLOCK) {
      throw new IllegalArgumentException(
          "--shared must be in [0, " + TrainConfig.MAX_BLOCK + "], got " + shared);
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
    if (shared > 0) {
      m.put("shared", shared);
    } else {
      m.put("ratio", ratio.toString());
      m.put("reject", reject);
    }
    if (popularity) {
      m.put("beta", MapValues.decimal(beta));
    }
    return m;
  }

  @Override
  public CandidateLayout layout() {
    return shared > 0 ? CandidateLayout.SHARED : CandidateLayout.PER_ROW;
  }

  @Override
  public int maxCandidates(int batchSize) {
    return shared > 0 ? batchSize + shared : 1 + ratio.negatives();
  }

  @Override
  public BatchSampler create(SamplerContext context) {
    if (shared == 0) {
      return SamplerSpec.super.create(context);
    }
    return new SharedSampleSampler(
        users(context),
        items(context),
        shared,
        context.batchSize(),
        context.extraUsers(),
        context.extraItems());
  }

  private NegativeDistribution users(SamplerContext context) {
    return popularity
        ? NegativeDistribution.userPopularity(context.train(), beta)
        : NegativeDistribution.uniformUsers(context.train());
  }

  private NegativeDistribution items(SamplerContext context) {
    return popularity
        ? NegativeDistribution.itemPopularity(context.train(), beta)
        : NegativeDistribution.uniformItems(context.train());
  }

  @Override
  public RowSampler createRows(SamplerContext context) {
    if (shared > 0) {
      return SamplerSpec.super.createRows(context);
    }
    var train = context.train();
    NegativeDistribution users = users(context);
    NegativeDistribution items = items(context);
    if (ratio.randomPairs() > 0) {
      return RandomPairRowSampler.of(train, ratio.randomPairs(), users, items, reject);
    }
    return RatioRowSampler.of(
        train,
        ratio.userNegatives(),
        ratio.userNegatives() > 0 ? users : null,
        ratio.itemNegatives(),
        ratio.itemNegatives() > 0 ? items : null,
        reject);
  }
}
