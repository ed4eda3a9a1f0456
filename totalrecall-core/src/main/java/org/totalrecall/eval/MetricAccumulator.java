package org.totalrecall.eval;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.data.ItemCategories;
import org.totalrecall.util.Checks;

/**
 * Sums the metrics of {@link RankingMetrics} over queries, at every cutoff N, plus the
 * whole-query-set diversity metrics of PROTOCOLS.md. Feed it one query at a time with {@link
 * #addQuery}; read the averages with {@link #metrics()}.
 *
 * <p>Averages: every per-query metric is averaged over the queries added (each must have at least
 * one relevant candidate); AUC over the queries that also have at least one irrelevant candidate
 * (otherwise it has no pair). F1@N is the mean of the per-query F1 values.
 *
 * <p>Diversity, over all queries added: Distinct@N = number of distinct candidates in any top-N
 * list; Coverage@N = Distinct@N / {@code universe}; DistinctCategories@N = number of distinct
 * categories of those candidates (only when categories are given; the candidates must then be
 * items); AvgPopularity@N = mean over every entry of every top-N list of popularity(c) / max
 * popularity (only when popularity is given).
 *
 * <p>Allocation-free per query. Not thread-safe: the {@link Evaluator} feeds it from one thread in
 * query order, which keeps floating-point sums identical for any thread count.
 */
public final class MetricAccumulator implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** The cutoffs used when none are given: 1, 5, 10, 20, 50. */
  public static final List<Integer> DEFAULT_CUTOFFS = List.of(1, 5, 10, 20, 50);

  private static final int HR = 0;
  private static final int RECALL = 1;
  private static final int PRECISION = 2;
  private static final int F1 = 3;
  private static final int NDCG = 4;
  private static final int MAP = 5;
  private static final int MRR = 6;
  private static final int NUM_RANK_METRICS = 7;

  private final int[] cutoffs;
  private final int universe;
  private final transient long[] popularity; // read while adding; not needed to merge or report
  private final double maxPopularity;
  private final transient ItemCategories categories; // the same
  private final double[] sums;
  private final BitSet[] distinct;
  private final BitSet[] distinctCategories;
  private final double[] popularitySums;
  private final long[] popularityEntries;
  private double aucSum;
  private long aucQueries;
  private long queries;
  private long candidateSum;

  /**
   * @param cutoffs the N values, strictly increasing, each > 0 (copied)
   * @param universe size of the candidate universe (items for u2i, users for i2u), for Coverage@N
   * @param popularity training frequency of every candidate of the universe (dense index), or null
   *     to skip AvgPopularity; read, not copied, not modified
   * @param categories categories of every item, or null to skip DistinctCategories
   */
  public MetricAccumulator(
      int[] cutoffs, int universe, long[] popularity, ItemCategories categories) {
    Checks.notNull("cutoffs", cutoffs);
    if (cutoffs.length == 0) {
      throw new IllegalArgumentException("cutoffs must not be empty");
    }
    for (int k = 0; k < cutoffs.length; k++) {
      Checks.positive("cutoffs[" + k + "]", cutoffs[k]);
      if (k > 0 && cutoffs[k] <= cutoffs[k - 1]) {
        throw new IllegalArgumentException(
            "cutoffs must be strictly increasing, got " + java.util.Arrays.toString(cutoffs));
      }
    }
    Checks.nonNegative("universe", universe);
    if (popularity != null && popularity.length != universe) {
      throw new IllegalArgumentException(
          "popularity has " + popularity.length + " entries for a universe of " + universe);
    }
    if (categories != null && categories.numItems() != universe) {
      throw new IllegalArgumentException(
          "categories cover " + categories.numItems() + " items for a universe of " + universe);
    }
    this.cutoffs = cutoffs.clone();
    this.universe = universe;
    this.popularity = popularity;
    long max = 0;
    if (popularity != null) {
      for (long p : popularity) {
        max = Math.max(max, p);
      }
    }
    this.maxPopularity = popularity == null ? -1 : max; // -1: AvgPopularity not measured
    this.categories = categories;
    this.sums = new double[cutoffs.length * NUM_RANK_METRICS];
    this.distinct = new BitSet[cutoffs.length];
    this.distinctCategories = categories == null ? null : new BitSet[cutoffs.length];
    for (int k = 0; k < cutoffs.length; k++) {
      distinct[k] = new BitSet(universe);
      if (categories != null) {
        distinctCategories[k] = new BitSet(categories.numCategories());
      }
    }
    this.popularitySums = new double[cutoffs.length];
    this.popularityEntries = new long[cutoffs.length];
  }

  /** The largest cutoff: how long the top lists passed to {@link #addQuery} should be. */
  public int maxCutoff() {
    return cutoffs[cutoffs.length - 1];
  }

  /**
   * Adds one query.
   *
   * @param ranks pessimistic ranks of the relevant candidates at {@code [ranksOff, ranksOff +
   *     numRelevant)}, sorted ascending
   * @param numRelevant |R| ≥ 1
   * @param twiceCorrect 2·below + tied for AUC, see {@link RankingMetrics#auc(long, int, int)}
   * @param numCandidates |C|, the query's candidates (excluded ones not counted)
   * @param top the query's best candidates, best first, at {@code [topOff, topOff + topSize)}
   *     (dense candidate indices); {@code topSize} = min(maxCutoff, |C|)
   */
  public void addQuery(
      int[] ranks,
      int ranksOff,
      int numRelevant,
      long twiceCorrect,
      int numCandidates,
      int[] top,
      int topOff,
      int topSize) {
    if (numRelevant <= 0) {
      throw new IllegalArgumentException("a query must have at least one relevant candidate");
    }
    queries++;
    candidateSum += numCandidates;
    for (int k = 0; k < cutoffs.length; k++) {
      int n = cutoffs[k];
      int base = k * NUM_RANK_METRICS;
      double p = RankingMetrics.precision(ranks, ranksOff, numRelevant, n);
      double r = RankingMetrics.recall(ranks, ranksOff, numRelevant, n);
      sums[base + HR] += RankingMetrics.hitRate(ranks, ranksOff, numRelevant, n);
      sums[base + RECALL] += r;
      sums[base + PRECISION] += p;
      sums[base + F1] += RankingMetrics.f1(p, r);
      sums[base + NDCG] += RankingMetrics.ndcg(ranks, ranksOff, numRelevant, n);
      sums[base + MAP] += RankingMetrics.averagePrecision(ranks, ranksOff, numRelevant, n);
      sums[base + MRR] += RankingMetrics.reciprocalRank(ranks, ranksOff, numRelevant, n);
      int len = Math.min(n, topSize);
      BitSet seen = distinct[k];
      for (int t = 0; t < len; t++) {
        int c = top[topOff + t];
        seen.set(c);
        if (popularity != null) {
          popularitySums[k] += popularity[c] / maxPopularity;
        }
        if (categories != null) {
          int[] ids = categories.categoryIds();
          for (int q = categories.start(c), e = categories.end(c); q < e; q++) {
            distinctCategories[k].set(ids[q]);
          }
        }
      }
      popularityEntries[k] += len;
    }
    double auc = RankingMetrics.auc(twiceCorrect, numRelevant, numCandidates);
    if (!Double.isNaN(auc)) {
      aucSum += auc;
      aucQueries++;
    }
  }

  /**
   * Adds what {@code other} accumulated (over other queries of the same evaluation), as if its
   * queries had been added here: sums and counts add, the distinct sets unite. The evaluation is
   * then that of all the queries of both, up to the order of the floating-point sums.
   *
   * @throws IllegalArgumentException if the cutoffs, universe or measured metrics differ
   */
  public void merge(MetricAccumulator other) {
    Checks.notNull("other", other);
    if (!java.util.Arrays.equals(cutoffs, other.cutoffs)
        || universe != other.universe
        || (distinctCategories == null) != (other.distinctCategories == null)
        || maxPopularity != other.maxPopularity) {
      throw new IllegalArgumentException("cannot merge accumulators of different evaluations");
    }
    for (int k = 0; k < sums.length; k++) {
      sums[k] += other.sums[k];
    }
    for (int k = 0; k < cutoffs.length; k++) {
      distinct[k].or(other.distinct[k]);
      if (distinctCategories != null) {
        distinctCategories[k].or(other.distinctCategories[k]);
      }
      popularitySums[k] += other.popularitySums[k];
      popularityEntries[k] += other.popularityEntries[k];
    }
    aucSum += other.aucSum;
    aucQueries += other.aucQueries;
    queries += other.queries;
    candidateSum += other.candidateSum;
  }

  /** Number of queries added. */
  public long queries() {
    return queries;
  }

  /** Mean number of candidates per query added (0 if none). */
  public double meanCandidates() {
    return queries == 0 ? 0 : (double) candidateSum / queries;
  }

  /**
   * The averages, in a fixed order: for each N, hr, recall, precision, f1, ndcg, map, mrr ("hr@10",
   * ...); then "auc"; then for each N distinct, coverage, distinctCategories (if categories were
   * given), avgPopularity (if popularity was given). Metrics of an empty accumulator are NaN.
   */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    String[] names = {"hr", "recall", "precision", "f1", "ndcg", "map", "mrr"};
    for (int k = 0; k < cutoffs.length; k++) {
      for (int j = 0; j < NUM_RANK_METRICS; j++) {
        m.put(
            names[j] + "@" + cutoffs[k],
            queries == 0 ? Double.NaN : sums[k * NUM_RANK_METRICS + j] / queries);
      }
    }
    m.put("auc", aucQueries == 0 ? Double.NaN : aucSum / aucQueries);
    for (int k = 0; k < cutoffs.length; k++) {
      int n = cutoffs[k];
      int d = distinct[k].cardinality();
      m.put("distinct@" + n, (double) d);
      m.put("coverage@" + n, universe == 0 ? Double.NaN : (double) d / universe);
      if (distinctCategories != null) {
        m.put("distinctCategories@" + n, (double) distinctCategories[k].cardinality());
      }
      if (maxPopularity >= 0) {
        m.put(
            "avgPopularity@" + n,
            popularityEntries[k] == 0 || maxPopularity == 0
                ? Double.NaN
                : popularitySums[k] / popularityEntries[k]);
      }
    }
    return m;
  }
}
