/**
 * Negative samplers: where the candidates of a training example or batch come from, and with what
 * log-probability (log Q), so that objectives can correct for the sampling distribution (Yi et al.
 * 2019) and diagnostics can compare samplers.
 *
 * <ul>
 *   <li>{@link org.totalrecall.sampler.BatchSampler} and its buffer {@link
 *       org.totalrecall.sampler.BatchCandidates}: candidates for a mini-batch objective.
 *   <li>{@link org.totalrecall.sampler.InBatchSampler}: the batch's own users and items as shared
 *       negatives (TotalRecall eq. 3; CLRec's intra-batch negatives), log Q = log of the empirical
 *       marginal frequency in the training data.
 *   <li>{@link org.totalrecall.sampler.MixedSampler}: in-batch plus M uniform candidates per side
 *       (Yang et al. 2020, mixed negative sampling), log Q = log(B·q + M/N), the log expected
 *       multiplicity under the mixture.
 *   <li>{@link org.totalrecall.sampler.RowSampler} and its buffer {@link
 *       org.totalrecall.sampler.RowCandidates}: each positive's own negatives, for per-row
 *       objectives.
 *   <li>{@link org.totalrecall.sampler.AliasTable}: O(1) draws from a discrete distribution (Walker
 *       1977; Vose 1991), and {@link org.totalrecall.sampler.NegativeDistribution}: the static
 *       proposals over items or users, uniform or popularity^β (Rendle's survey sec. 4.1;
 *       word2vec's unigram^0.75).
 *   <li>{@link org.totalrecall.sampler.StaticRowSampler}: per-row negatives from static proposals,
 *       with bounded rejection of training pairs: {@link org.totalrecall.sampler.RatioRowSampler}
 *       (MFb [a:b]: a negative users and b negative items per positive, TotalRecall sec. 3.5) and
 *       {@link org.totalrecall.sampler.RandomPairRowSampler} (MFb [n]: n independent random pairs,
 *       log Q = log q(user) + log q(item)).
 * </ul>
 */
package org.totalrecall.sampler;
