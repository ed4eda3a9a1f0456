/**
 * Evaluation: the protocols of PROTOCOLS.md and the ranking metrics they report.
 *
 * <ul>
 *   <li>{@link org.totalrecall.eval.Protocol} and {@link org.totalrecall.eval.Protocols} build a
 *       {@link org.totalrecall.eval.ProtocolSplit} — the training part a model may see and the part
 *       it is evaluated on — for {@code ncf} (sampled leave-one-out, He et al. 2017; Rendle et al.
 *       2020), {@code full} (LightGCN/NGCF fixed split), {@code loo} (leave-last-out by time,
 *       SASRec: Kang &amp; McAuley 2018), {@code random-split} (AdaSIR, OneBP), {@code pums} and
 *       {@code pums-group} (TotalRecall sec. 5.2 and A.7.2, potential users of an item or of a
 *       genre × popularity group). Self-splitting protocols draw everything from a seed.
 *   <li>{@link org.totalrecall.eval.RankingMetrics} defines every metric by formula (pessimistic
 *       ranks, distinct candidates); {@link org.totalrecall.eval.MetricAccumulator} sums them over
 *       queries with the diversity metrics (Distinct, Coverage, DistinctCategories, AvgPopularity).
 *   <li>{@link org.totalrecall.eval.Evaluator} ranks candidates with a model in both directions,
 *       sampled or full (Krichene &amp; Rendle 2020 on why both are reported), deterministic for
 *       any thread count.
 *   <li>{@link org.totalrecall.eval.LeakageCheck} refuses to evaluate a model on data it was
 *       trained on; {@link org.totalrecall.eval.HoldoutValidation} carves validation sets out of a
 *       training part for early stopping.
 * </ul>
 */
package org.totalrecall.eval;
