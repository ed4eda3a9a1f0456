package org.totalrecall.sampler;

import org.totalrecall.util.Checks;

/**
 * The candidates of one mini-batch, filled by a {@link BatchSampler}: user candidates (the rows of
 * the batch score matrix) and item candidates (its columns), each with the log-probability with
 * which the sampler produced it. Indices are dense. The first {@code numPositives} users and items
 * are the batch's positive pairs, in batch order; samplers may append extra candidates after them.
 *
 * <p>A reusable buffer sized once per worker (no allocation per batch); not thread-safe. The arrays
 * returned by the accessors are the live storage, written by samplers and read by trainers.
 */
public final class BatchCandidates {
  private final int[] users;
  private final float[] userLogQ;
  private final int[] items;
  private final float[] itemLogQ;
  private int numPositives;
  private boolean inBatchNegatives = true;
  private int numUsers;
  private int numItems;
  private float[] cachedItemVectors;
  private int cachedItemsFrom;

  /**
   * @param maxUsers capacity for user candidates
   * @param maxItems capacity for item candidates
   */
  public BatchCandidates(int maxUsers, int maxItems) {
    Checks.positive("maxUsers", maxUsers);
    Checks.positive("maxItems", maxItems);
    this.users = new int[maxUsers];
    this.userLogQ = new float[maxUsers];
    this.items = new int[maxItems];
    this.itemLogQ = new float[maxItems];
  }

  /**
   * Writes the batch's positive pairs at the front of both candidate lists: users[b] =
   * batchUsers[from + b], items[b] = batchItems[from + b] for b &lt; size, each with its entry of
   * the sampler's per-index log Q tables. Counts are left to {@link #setCounts}.
   */
  public void putPositives(
      int[] batchUsers,
      int[] batchItems,
      int from,
      int size,
      float[] userLogQTable,
      float[] itemLogQTable) {
    for (int b = 0; b < size; b++) {
      int u = batchUsers[from + b];
      int i = batchItems[from + b];
      users[b] = u;
      items[b] = i;
      userLogQ[b] = userLogQTable[u];
      itemLogQ[b] = itemLogQTable[i];
    }
  }

  /** Sets the counts after a sampler has written the arrays. */
  public void setCounts(int numPositives, int numUsers, int numItems) {
    if (numPositives < 0
        || numPositives > numUsers
        || numPositives > numItems
        || numUsers > users.length
        || numItems > items.length) {
      throw new IllegalArgumentException(
          "counts (positives "
              + numPositives
              + ", users "
              + numUsers
              + ", items "
              + numItems
              + ") exceed the capacity ("
              + users.length
              + ", "
              + items.length
              + ") or have fewer candidates than positives");
    }
    this.numPositives = numPositives;
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.cachedItemVectors = null;
    this.cachedItemsFrom = numItems;
  }

  /**
   * Declares the item candidates from {@code from} on (after {@link #setCounts}) as cached key
   * vectors rather than rows of the live item table (MoCo's queue, CLRec sec. 3.2.3): column {@code
   * from + k} is row k of {@code vectors} (row-major, the table's width), and receives no gradient.
   * Their indices and log Q stay in {@link #items()} and {@link #itemLogQ()}.
   *
   * @param from the first cached column, in [numPositives, numItems]
   * @param vectors at least (numItems − from) rows of the table's width; kept by reference
   */
  public void setCachedItems(int from, float[] vectors) {
    if (from < numPositives || from > numItems) {
      throw new IllegalArgumentException(
          "from must be in [" + numPositives + ", " + numItems + "], got " + from);
    }
    this.cachedItemsFrom = from;
    this.cachedItemVectors = vectors;
  }

  /**
   * The item candidates that are rows of the live table (and receive gradients): the first {@code
   * itemRows()} columns; the rest are {@link #cachedItemVectors()}.
   */
  public int itemRows() {
    return cachedItemsFrom;
  }

  /**
   * The cached key vectors of columns {@link #itemRows()}.. onwards, or null when there are none.
   */
  public float[] cachedItemVectors() {
    return cachedItemVectors;
  }

  /** Dense user indices of the row candidates; live storage. */
  public int[] users() {
    return users;
  }

  /** log q of each user candidate (natural log); live storage. */
  public float[] userLogQ() {
    return userLogQ;
  }

  /** Dense item indices of the column candidates; live storage. */
  public int[] items() {
    return items;
  }

  /** log q of each item candidate (natural log); live storage. */
  public float[] itemLogQ() {
    return itemLogQ;
  }

  /**
   * Whether the positives of the other rows (columns) are negatives of a row (column): true for
   * in-batch and mixed sampling; false for a shared sample, where a row's candidates are its own
   * positive and the sampled extras only (the trainer masks the rest, and accidental hits of the
   * row's positive among the extras).
   */
  public boolean inBatchNegatives() {
    return inBatchNegatives;
  }

  /** Sets {@link #inBatchNegatives()}; samplers that share a sample set it to false. */
  public void setInBatchNegatives(boolean value) {
    this.inBatchNegatives = value;
  }

  /** Number of positive pairs at the front of both candidate lists. */
  public int numPositives() {
    return numPositives;
  }

  /** Number of user candidates (rows). */
  public int numUsers() {
    return numUsers;
  }

  /** Number of item candidates (columns). */
  public int numItems() {
    return numItems;
  }

  /** Capacity for user candidates. */
  public int maxUsers() {
    return users.length;
  }

  /** Capacity for item candidates. */
  public int maxItems() {
    return items.length;
  }
}
