package org.totalrecall.retrieval;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.util.Checks;

/**
 * The audience job of TotalRecall sec. 3.6: every user's top-K items (u2i, through any {@link
 * Retriever}), inverted into each item's top-N users, so that no user is in more than K audiences
 * however many items are promoted at once. An item's audience is the users whose top-K holds it,
 * best score first (ties to the smaller user), cut at N.
 *
 * <p>Memory: the users' lists (users × K × 8 bytes) and the inverted lists of the same size; the
 * users are searched in chunks of {@value #CHUNK}, and {@code progress} hears after each chunk.
 */
public final class AudienceInversion {
  /** Users searched per chunk (one progress step). */
  public static final int CHUNK = 1 << 14;

  private AudienceInversion() {}

  /**
   * Each item's audience.
   *
   * @param start item i's users are {@code users[start[i], start[i + 1])}, best first
   * @param users user rows
   * @param scores their inner products with the item (retrieval space)
   * @param usersCovered users in at least one audience
   */
  @SuppressWarnings("ArrayRecordComponent") // a carrier of flat arrays, never compared or hashed
  public record Result(int[] start, int[] users, float[] scores, int usersCovered) {
    /** Items. */
    public int numItems() {
      return start.length - 1;
    }

    /** Items with an empty audience. */
    public int itemsWithoutAudience() {
      int n = 0;
      for (int i = 0; i + 1 < start.length; i++) {
        n += start[i] == start[i + 1] ? 1 : 0;
      }
      return n;
    }
  }

  /**
   * Every user's top-K items, inverted into every item's best N users (no user in more than K
   * audiences).
   *
   * @param items the u2i retriever (candidates: the retrieval item table)
   * @param userQueries the retrieval user table (one query per row)
   * @param perUser K, the items kept per user
   * @param perItem N, the users kept per item
   * @param exclude a user's items never offered to them (the training interactions), or null
   * @param progress told the number of users done after each chunk (may be null)
   */
  public static Result invert(
      Retriever items,
      EmbeddingTable userQueries,
      int perUser,
      int perItem,
      Interactions exclude,
      IntConsumer progress) {
    Checks.notNull("items", items);
    Checks.notNull("userQueries", userQueries);
    Checks.positive("perUser", perUser);
    Checks.positive("perItem", perItem);
    final int numUsers = userQueries.rows();
    final int numItems = items.candidates().rows();
    final long slots = (long) numUsers * perUser;
    if (slots > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          numUsers + " users x " + perUser + " items exceed one array; lower --per-user");
    }
    final int[] itemOf = new int[(int) slots];
    final float[] scoreOf = new float[(int) slots];
    Arrays.fill(itemOf, -1);
    for (int from = 0; from < numUsers; from += CHUNK) {
      int to = Math.min(numUsers, from + CHUNK);
      items.forEachTopK(
          userQueries,
          from,
          to,
          perUser,
          exclude,
          (u, idx, sc, count) -> {
            System.arraycopy(idx, 0, itemOf, u * perUser, count);
            System.arraycopy(sc, 0, scoreOf, u * perUser, count);
          });
      if (progress != null) {
        progress.accept(to);
      }
    }
    // bucket the (user, score) pairs by item; users arrive in increasing order
    int[] count = new int[numItems + 1];
    for (int i : itemOf) {
      if (i >= 0) {
        count[i + 1]++;
      }
    }
    for (int i = 0; i < numItems; i++) {
      count[i + 1] += count[i];
    }
    int[] fill = Arrays.copyOf(count, numItems);
    long[] keyed = new long[count[numItems]];
    for (int s = 0; s < itemOf.length; s++) {
      int i = itemOf[s];
      if (i >= 0) {
        keyed[fill[i]++] = key(scoreOf[s], s / perUser);
      }
    }
    // per item: best score first, ties to the smaller user; keep N
    int[] start = new int[numItems + 1];
    int kept = 0;
    for (int i = 0; i < numItems; i++) {
      Arrays.sort(keyed, count[i], count[i + 1]);
      kept += Math.min(perItem, count[i + 1] - count[i]);
      start[i + 1] = kept;
    }
    int[] users = new int[kept];
    float[] scores = new float[kept];
    boolean[] covered = new boolean[numUsers];
    int distinct = 0;
    for (int i = 0; i < numItems; i++) {
      int n = start[i + 1] - start[i];
      for (int r = 0; r < n; r++) {
        long k = keyed[count[i] + r];
        int u = (int) (k & 0xffffffffL);
        users[start[i] + r] = u;
        scores[start[i] + r] = score(k);
        if (!covered[u]) {
          covered[u] = true;
          distinct++;
        }
      }
    }
    return new Result(start, users, scores, distinct);
  }

  /** A long that sorts ascending as (score descending, user ascending). */
  static long key(float score, int user) {
    int bits = Float.floatToIntBits(score);
    int sortable = bits ^ ((bits >> 31) & 0x7fffffff); // signed int order = float order
    return ((long) ~sortable << 32) | (user & 0xffffffffL); // ~ reverses the order
  }

  /** The score of a {@link #key}. */
  static float score(long key) {
    int sortable = ~(int) (key >> 32);
    return Float.intBitsToFloat(sortable ^ ((sortable >> 31) & 0x7fffffff));
  }
}
