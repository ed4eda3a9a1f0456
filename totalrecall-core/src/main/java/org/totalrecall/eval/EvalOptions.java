package org.totalrecall.eval;

import java.util.List;
import org.totalrecall.data.ItemCategories;
import org.totalrecall.retrieval.Aggregation;
import org.totalrecall.util.Checks;

/**
 * Settings of one evaluation. Immutable; validated on construction.
 *
 * @param cutoffs the N of the metrics at N, strictly increasing, each > 0
 * @param threads worker threads scoring query blocks (results are bitwise the same for any count)
 * @param variant which candidate sets to rank
 * @param maxQueries evaluate at most this many queries (evenly spaced over the queries with a
 *     relevant candidate, in index order; deterministic), 0 = all; for fast validation
 * @param categories item categories for DistinctCategories@N (u2i only), or null to skip it
 * @param aggregation pums-group: how a user's exp φ over a group's items combine
 * @param popularity where AvgPopularity@N takes candidate frequencies from
 */
public record EvalOptions(
    List<Integer> cutoffs,
    int threads,
    Variant variant,
    int maxQueries,
    ItemCategories categories,
    Aggregation aggregation,
    PopularitySource popularity) {

  /** Which candidates a query is ranked against. */
  public enum Variant {
    /**
     * The split's sampled candidates when it has them (ncf, loo with negatives), else full ranking.
     */
    AUTO,
    /** The split's sampled candidates; an error for a split without them. */
    SAMPLED,
    /**
     * Every candidate not in the query's training interactions, even when the split has sampled
     * ones.
     */
    FULL
  }

  /** Where AvgPopularity@N's frequencies come from. */
  public enum PopularitySource {
    /**
     * The split's training part: item counts for u2i, user activity (interaction counts) for i2u.
     */
    TRAIN,
    /** Do not compute AvgPopularity@N. */
    NONE
  }

  public EvalOptions {
    Checks.notNull("cutoffs", cutoffs);
    cutoffs = List.copyOf(cutoffs);
    if (cutoffs.isEmpty()) {
      throw new IllegalArgumentException("cutoffs must not be empty");
    }
    for (int k = 0; k < cutoffs.size(); k++) {
      Checks.positive("cutoffs[" + k + "]", cutoffs.get(k));
      if (k > 0 && cutoffs.get(k) <= cutoffs.get(k - 1)) {
        throw new IllegalArgumentException("cutoffs must be strictly increasing, got " + cutoffs);
      }
    }
    Checks.positive("threads", threads);
    Checks.notNull("variant", variant);
    Checks.nonNegative("maxQueries", maxQueries);
    Checks.notNull("aggregation", aggregation);
    Checks.notNull("popularity", popularity);
  }

  /**
   * Cutoffs 1, 5, 10, 20, 50; one thread per available processor; AUTO; all queries; no categories;
   * MEAN; TRAIN popularity.
   */
  public static EvalOptions defaults() {
    return new EvalOptions(
        MetricAccumulator.DEFAULT_CUTOFFS,
        Runtime.getRuntime().availableProcessors(),
        Variant.AUTO,
        0,
        null,
        Aggregation.MEAN,
        PopularitySource.TRAIN);
  }

  /** The cutoffs as an array. */
  public int[] cutoffArray() {
    int[] a = new int[cutoffs.size()];
    for (int k = 0; k < a.length; k++) {
      a[k] = cutoffs.get(k);
    }
    return a;
  }

  public EvalOptions withCutoffs(List<Integer> cutoffs) {
    return new EvalOptions(
        cutoffs, threads, variant, maxQueries, categories, aggregation, popularity);
  }

  public EvalOptions withThreads(int threads) {
    return new EvalOptions(
        cutoffs, threads, variant, maxQueries, categories, aggregation, popularity);
  }

  public EvalOptions withVariant(Variant variant) {
    return new EvalOptions(
        cutoffs, threads, variant, maxQueries, categories, aggregation, popularity);
  }

  public EvalOptions withMaxQueries(int maxQueries) {
    return new EvalOptions(
        cutoffs, threads, variant, maxQueries, categories, aggregation, popularity);
  }

  public EvalOptions withCategories(ItemCategories categories) {
    return new EvalOptions(
        cutoffs, threads, variant, maxQueries, categories, aggregation, popularity);
  }

  public EvalOptions withAggregation(Aggregation aggregation) {
    return new EvalOptions(
        cutoffs, threads, variant, maxQueries, categories, aggregation, popularity);
  }

  public EvalOptions withPopularity(PopularitySource popularity) {
    return new EvalOptions(
        cutoffs, threads, variant, maxQueries, categories, aggregation, popularity);
  }
}
