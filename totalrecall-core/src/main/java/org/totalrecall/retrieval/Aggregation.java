package org.totalrecall.retrieval;

/**
 * How the per-item scores of a user against a group of items G combine into one group score
 * (TotalRecall, appendix A.7.2: the match score of a user and a group is an aggregate of P(u, i) =
 * exp(φ(u, i)) over the group's items). {@link Recommender#recommendUsersForItems} reports the
 * logarithm of the aggregate, computed stably in log space, so that every value is on the scale of
 * φ:
 *
 * <ul>
 *   <li>{@link #MEAN}: log((1/|G|) Σ_{i∈G} exp φ(u,i)) = LSE_i φ(u,i) − log |G|
 *   <li>{@link #MAX}: log max_{i∈G} exp φ(u,i) = max_{i∈G} φ(u,i)
 *   <li>{@link #SUM}: log Σ_{i∈G} exp φ(u,i) = LSE_i φ(u,i)
 * </ul>
 *
 * where LSE_i x_i = m + log Σ_i exp(x_i − m) with m = max_i x_i. For one group every candidate user
 * is scored over the same |G| items, so MEAN and SUM rank users identically and their scores differ
 * by the constant log |G|; they differ only when compared across groups.
 */
public enum Aggregation {
  /** The mean of exp φ over the group (the paper's best: mean &gt; max &gt; sum). */
  MEAN,
  /** The largest exp φ over the group. */
  MAX,
  /** The sum of exp φ over the group. */
  SUM
}
