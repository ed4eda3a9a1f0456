/**
 * Objectives: pure arithmetic from scores to a loss and its gradient with respect to the scores.
 * Losses never touch embeddings; trainers own every parameter and update, so each loss is checked
 * against finite differences on its own.
 *
 * <ul>
 *   <li>{@link org.totalrecall.loss.BatchObjective}: a loss over a mini-batch's score matrix (users
 *       × item candidates, positives on the diagonal).
 *   <li>{@link org.totalrecall.loss.InfoNceLoss}: Bi-InfoNCE of TotalRecall (paper 000, eq. 3) and
 *       its two Uni-InfoNCE terms (u2i, i2u), over scores φ that are cosine/temperature (eq. 2) or
 *       dot; with the logQ correction of Yi et al. 2019 ("Sampling-bias-corrected neural modeling
 *       for large corpus item recommendations", RecSys) or, without it, CLRec's in-batch
 *       contrastive loss (Zhou et al. 2021, "Contrastive learning for debiased candidate generation
 *       in large-scale recommender systems", KDD).
 *   <li>{@link org.totalrecall.loss.RowObjective}: a loss over per-row candidate blocks (one
 *       positive and its own sampled negatives per row), with per-row example weights:
 *       <ul>
 *         <li>{@link org.totalrecall.loss.BprLoss}: BPR (Rendle et al. 2009), one pair per negative
 *             (survey, paper 001, eq. 11 with eq. 10b; sec. 4.2.1);
 *         <li>{@link org.totalrecall.loss.LogisticLoss}, {@link org.totalrecall.loss.SquareLoss},
 *             {@link org.totalrecall.loss.HingeLoss}: the pointwise losses of the survey's eq. 9–10
 *             with a negative weight, the MFb of TotalRecall (paper 000, sec. 3.5);
 *         <li>{@link org.totalrecall.loss.WarpLoss}: WARP (Weston et al. 2011; survey sec. 4.2.3,
 *             eq. 17), rank estimate ⌊(N−1)/trials⌋ and harmonic rank weight;
 *         <li>{@link org.totalrecall.loss.CclLoss}: SimpleX's cosine contrastive loss (Mao et al.
 *             2021, CIKM), on raw cosine scores;
 *         <li>{@link org.totalrecall.loss.SampledSoftmaxRowLoss}: sampled softmax with or without
 *             the −log(m·q) correction (survey eq. 19).
 *       </ul>
 * </ul>
 */
package org.totalrecall.loss;
