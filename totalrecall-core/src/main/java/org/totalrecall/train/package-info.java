/**
 * Trainers: own the embedding tables and all parameter updates; combine an objective ({@code
 * loss}), a sampler ({@code sampler}) and a per-row optimizer.
 *
 * <ul>
 *   <li>{@link org.totalrecall.train.Trainer} with {@link org.totalrecall.train.TrainConfig}:
 *       two-tower training of TotalRecall (paper 000: cosine/temperature scores, eq. 2; Bi-InfoNCE,
 *       eq. 3) with in-batch negatives and the logQ correction (Yi et al. 2019); mini-batches split
 *       over a fixed pool of threads that update the shared tables without locks (Hogwild!, Niu,
 *       Recht, Ré &amp; Wright 2011, NIPS); validation, early stopping, best-model keeping and a
 *       convergence log against records consumed.
 *   <li>{@link org.totalrecall.train.RowOptimizer}: sparse per-row updates: {@link
 *       org.totalrecall.train.AdamOptimizer} (Kingma &amp; Ba 2015, ICLR, lazy per-row moments),
 *       {@link org.totalrecall.train.AdagradOptimizer} (Duchi, Hazan &amp; Singer 2011, JMLR),
 *       {@link org.totalrecall.train.SgdOptimizer}.
 *   <li>{@link org.totalrecall.train.Validator}, {@link org.totalrecall.train.TrainingListener},
 *       {@link org.totalrecall.train.TrainingDivergedException}: hooks and errors.
 * </ul>
 */
package org.totalrecall.train;
