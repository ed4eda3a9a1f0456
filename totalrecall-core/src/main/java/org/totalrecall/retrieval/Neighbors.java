package org.totalrecall.retrieval;

/**
 * A ranked result list: dense indices and their scores, best first. Immutable; the accessors return
 * copies except {@link #index(int)} / {@link #score(int)}.
 */
public final class Neighbors {
  private final int[] indices;
  private final float[] scores;

  public Neighbors(int[] indices, float[] scores) {
    if (indices.length != scores.length) {
      throw new IllegalArgumentException("indices and scores must have the same length");
    }
    this.indices = indices;
    this.scores = scores;
  }

  public int size() {
    return indices.length;
  }

  /** Dense index of the result at rank {@code rank} (0 = best). */
  public int index(int rank) {
    return indices[rank];
  }

  /** Score of the result at rank {@code rank} (0 = best). */
  public float score(int rank) {
    return scores[rank];
  }

  public int[] indices() {
    return indices.clone();
  }

  public float[] scores() {
    return scores.clone();
  }
}
