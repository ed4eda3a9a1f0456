package org.totalrecall.sampler;

/**
 * How the candidates of a training step are laid out for the objective, as the sampler states it;
 * an objective declares the layouts it accepts and a mismatch is refused when the configuration is
 * built.
 */
public enum CandidateLayout {
  /**
   * Every positive against the batch's common candidates: a rows × cols score matrix whose first B
   * rows and columns are the B positive pairs (the positive of row b is column b) and whose other
   * entries are negatives (in-batch, mixed, CLRec queues, one shared sample).
   */
  SHARED,
  /** Each positive against its own K candidates (BPR, WARP, pointwise losses, DNS). */
  PER_ROW,
  /** Every positive against every item (or user) of the catalogue (full softmax). */
  FULL
}
