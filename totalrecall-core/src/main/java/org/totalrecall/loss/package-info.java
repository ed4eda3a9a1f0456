/**
 * Objectives: pure arithmetic from scores to a loss and its gradient with respect to the scores.
 * Losses never touch embeddings; trainers own every parameter and update, so each loss is
 * checked against finite differences on its own.
 *
 * <ul>
 *   <li>{@link org.totalrecall.loss.BatchObjective}: a loss over a mini-batch's score matrix
 *       (users × item candidates, positives on the diagonal).
 *   <li>{@link org.totalrecall.loss.InfoNceLoss}: Bi-InfoNCE of TotalRecall (paper 000, eq. 3)
 *       and its two Uni-InfoNCE terms (u2i, i2u), over scores φ that are cosine/temperature (eq. 2)
 *       or dot; with the logQ correction of Yi et al. 2019 ("Sampling-bias-corrected neural
 *       modeling for large corpus item recommendations", RecSys) or, without it, CLRec's in-batch
 *       contrastive loss (Zhou et al. 2021, "Contrastive learning for debiased candidate
 *       generation in large-scale recommender systems", KDD).
 * </ul>
 */
package org.totalrecall.loss;
