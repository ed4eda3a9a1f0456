package org.totalrecall.retrieval;

import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * The group score of TotalRecall A.7.2 for a block of users, the one code both the audience of a
 * group ({@link Recommender#recommendUsersForItems}) and the {@code pums-group} evaluation use, so
 * that they rank a group identically: one {@link VectorOps#gemmAbt} of the users against the
 * group's packed item rows, each row scaled to φ, then the {@link Aggregation} in log space (max;
 * max + log Σ exp(φ − max), less log of the items counted for the mean), over the items the user
 * has not interacted with when the caller says so. Users are scored in blocks of {@link #userBlock}
 * rows from user 0, whoever calls, so every score's bits are the same.
 */
public final class GroupScores {
  /** Users per block, at most. */
  public static final int USER_BLOCK = 512;

  /** Upper bound on a block's floats (users × group items). */
  public static final int BLOCK_FLOATS = 1 << 18;

  private GroupScores() {}

  /** Users per block for a group of {@code size} items. */
  public static int userBlock(int size) {
    return Math.max(1, Math.min(USER_BLOCK, BLOCK_FLOATS / Math.max(1, size)));
  }

  /**
   * Writes the group scores of users {@code [u0, u0 + un)} into {@code out[outOff, outOff + un)}.
   *
   * <p>With {@code seen}, each user's score aggregates only the group's items that user has no
   * interaction with in {@code seen} (PROTOCOLS.md's pums-group: "excluding the items he has
   * interacted previously"); a user who has seen every item of the group scores −∞.
   *
   * @param group the group's item rows (retrieval space), packed: item j at {@code j · dim}
   * @param scale φ per retrieval inner product (1/τ for cosine, 1 for dot)
   * @param scratch at least {@code un · size} floats
   * @param seen users × items interactions whose items are left out of each user's score, or null
   * @param position for every item, its index in the group or −1 (read only with {@code seen})
   */
  public static void score(
      EmbeddingTable users,
      int u0,
      int un,
      float[] group,
      int size,
      float scale,
      Aggregation agg,
      VectorOps ops,
      float[] scratch,
      float[] out,
      int outOff,
      org.totalrecall.data.Interactions seen,
      int[] position) {
    ops.gemmAbt(users.data(), users.offset(u0), un, group, 0, size, users.dim(), scratch, 0, size);
    double logSize = Math.log(size);
    for (int u = 0; u < un; u++) {
      int off = u * size;
      if (scale != 1f) {
        ops.scale(scale, scratch, off, size);
      }
      int left = size;
      if (seen != null) {
        int[] cols = seen.cols();
        for (int p = seen.start(u0 + u), e = seen.end(u0 + u); p < e; p++) {
          int j = position[cols[p]];
          if (j >= 0) {
            scratch[off + j] = Float.NEGATIVE_INFINITY;
            left--;
          }
        }
        if (left == 0) {
          out[outOff + u] = Float.NEGATIVE_INFINITY;
          continue;
        }
      }
      float max = ops.max(scratch, off, size);
      out[outOff + u] =
          switch (agg) {
            case MAX -> max;
            case SUM -> (float) (max + Math.log(ops.expShiftSum(scratch, off, size, max)));
            case MEAN ->
                (float)
                    (max
                        + Math.log(ops.expShiftSum(scratch, off, size, max))
                        - (left == size ? logSize : Math.log(left)));
          };
    }
  }

  /** For every item of a catalogue of {@code numItems}, its index in {@code groupItems} or −1. */
  public static int[] positions(int[] groupItems, int numItems) {
    int[] pos = new int[numItems];
    java.util.Arrays.fill(pos, -1);
    for (int j = 0; j < groupItems.length; j++) {
      pos[groupItems[j]] = j;
    }
    return pos;
  }
}
