/**
 * Negative samplers: where the candidates of a training example or batch come from, and with
 * what log-probability (log Q), so that objectives can correct for the sampling distribution
 * (Yi et al. 2019) and diagnostics can compare samplers.
 *
 * <ul>
 *   <li>{@link org.totalrecall.sampler.BatchSampler} and its buffer
 *       {@link org.totalrecall.sampler.BatchCandidates}: candidates for a mini-batch objective.
 *   <li>{@link org.totalrecall.sampler.InBatchSampler}: the batch's own users and items as shared
 *       negatives (TotalRecall eq. 3; CLRec's intra-batch negatives), log Q = log of the
 *       empirical marginal frequency in the training data.
 *   <li>{@link org.totalrecall.sampler.MixedSampler}: in-batch plus M uniform candidates per side
 *       (Yang et al. 2020, mixed negative sampling), log Q = log(B·q + M/N), the log expected
 *       multiplicity under the mixture.
 * </ul>
 */
package org.totalrecall.sampler;
