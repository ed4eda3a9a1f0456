package org.totalrecall.retrieval;

import java.util.ArrayList;
import java.util.List;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import org.totalrecall.util.Checks;

/**
 * The symmetric recommendation façade over a {@link FactorModel}: items for a user (u2i), users for
 * an item (i2u) or for a group of items, and nearest neighbours of an item or user. Every index,
 * argument and result, is dense. Every list is best first, ties to the smaller index, and holds
 * fewer than k entries when fewer candidates remain after exclusion.
 *
 * <p>Scores are φ in the model's {@link org.totalrecall.model.Scorer}: ⟨u, i⟩ for dot, and cos(u,
 * i)/τ for cosine (retrieval ranks by the inner product of the model's retrieval tables, which are
 * row-normalised for cosine, and reports it times 1/τ). {@link #similarItems} and {@link
 * #similarUsers} report the plain cosine similarity of the raw vectors instead.
 *
 * <p>"Seen" exclusion uses the model's training interactions ({@link FactorModel#seen()}) and their
 * transpose. Thread-safe: calls may run concurrently. Single-query calls run in the calling thread;
 * {@link #recommendUsersForItems} uses {@code threads} workers.
 */
public final class Recommender {
  private final FactorModel model;
  private final int threads;
  private final VectorOps ops;
  private final Retriever items;
  private final Retriever users;
  private volatile Retriever cosineItems;
  private volatile Retriever cosineUsers;

  /**
   * A recommender over {@code model} (shared, not copied) with {@code threads} workers for batch
   * work.
   */
  public Recommender(FactorModel model, int threads) {
    this(model, threads, null, null);
  }

  /**
   * A recommender that answers u2i through {@code items} and i2u through {@code users} (for example
   * HNSW indexes over the model's retrieval tables), each exact when null. A group's audience takes
   * its candidates through {@code users} and scores them exactly ({@link #recommendUsersForItems});
   * the similarity searches use the same retrievers for a cosine model (whose retrieval tables are
   * the normalised raw vectors) and stay exact otherwise.
   *
   * @throws IllegalArgumentException if a retriever's candidates are not the model's retrieval
   *     table of that side (another model's index)
   */
  public Recommender(FactorModel model, int threads, Retriever items, Retriever users) {
    this.model = Checks.notNull("model", model);
    this.threads = Checks.positive("threads", threads);
    this.ops = VectorOps.best();
    this.items =
        items != null
            ? checked("items", items, model.retrievalItems())
            : new ExactRetriever(model.retrievalItems(), threads, ops);
    this.users =
        users != null
            ? checked("users", users, model.retrievalUsers())
            : new ExactRetriever(model.retrievalUsers(), threads, ops);
  }

  private static Retriever checked(String side, Retriever r, EmbeddingTable expected) {
    EmbeddingTable c = r.candidates();
    if (c.rows() != expected.rows() || c.dim() != expected.dim()) {
      throw new IllegalArgumentException(
          "the "
              + side
              + " retriever holds "
              + c.rows()
              + " x "
              + c.dim()
              + " candidates but the model's "
              + side
              + " table is "
              + expected.rows()
              + " x "
              + expected.dim());
    }
    return r;
  }

  /** The model served. */
  public FactorModel model() {
    return model;
  }

  /**
   * The retriever over the model's retrieval item table (exact unless one was given), for batch u2i
   * (for example {@link Retriever#forEachTopK} over all users). Its scores are inner products of
   * the retrieval tables: multiply by {@link #phiScale()} to get φ.
   */
  public Retriever itemRetriever() {
    return items;
  }

  /**
   * The retriever over the model's retrieval user table, for batch i2u; see {@link
   * #itemRetriever()}.
   */
  public Retriever userRetriever() {
    return users;
  }

  /** The factor from a retrieval inner product to φ: 1/τ for cosine, 1 for dot. */
  public float phiScale() {
    return model.scorer().isCosine() ? 1f / model.scorer().temperature() : 1f;
  }

  /**
   * The k items with the highest φ(user, ·).
   *
   * @param excludeSeen leave out the items the user interacted with in training
   * @throws IllegalStateException if excludeSeen and the model holds no training interactions
   */
  public Neighbors recommendItems(int user, int k, boolean excludeSeen) {
    Checks.index("user", user, model.numUsers());
    Checks.positive("k", k);
    EmbeddingTable q = model.retrievalUsers();
    Interactions ex = excludeSeen ? seen() : null;
    Neighbors found =
        ex == null
            ? items.search(q.data(), q.offset(user), k, null, 0, 0)
            : items.search(q.data(), q.offset(user), k, ex.cols(), ex.start(user), ex.end(user));
    return scaled(found, phiScale());
  }

  /**
   * The k items with the highest φ for a user given as a raw vector (e.g. folded in from a list of
   * items; see {@link FactorModel#retrievalQuery}).
   *
   * @param exclude item indices never to return (any order, duplicates allowed); may be empty
   */
  public Neighbors recommendItems(float[] rawUser, int k, int[] exclude) {
    Checks.positive("k", k);
    Checks.notNull("exclude", exclude);
    int[] sorted = exclude.clone();
    java.util.Arrays.sort(sorted);
    float[] q = model.retrievalQuery(rawUser);
    return scaled(items.search(q, 0, k, sorted, 0, sorted.length), phiScale());
  }

  /**
   * The k users with the highest φ(·, item): the item's audience.
   *
   * @param excludeSeen leave out the users who interacted with the item in training
   * @throws IllegalStateException if excludeSeen and the model holds no training interactions
   */
  public Neighbors recommendUsers(int item, int k, boolean excludeSeen) {
    Checks.index("item", item, model.numItems());
    Checks.positive("k", k);
    EmbeddingTable q = model.retrievalItems();
    Interactions ex = excludeSeen ? seen().transpose() : null;
    Neighbors found =
        ex == null
            ? users.search(q.data(), q.offset(item), k, null, 0, 0)
            : users.search(q.data(), q.offset(item), k, ex.cols(), ex.start(item), ex.end(item));
    return scaled(found, phiScale());
  }

  /**
   * The k users with the highest group score for the items {@code groupItems} (distinct dense item
   * indices), TotalRecall A.7.2: the {@link Aggregation} of exp φ(u, i) over the group, reported as
   * its logarithm (see {@link Aggregation} for the formulas; for MAX that is max φ), scored by
   * {@link GroupScores} (the code the pums-group evaluation uses).
   *
   * <p>With {@code excludeSeen}, each user's score aggregates only the group's items that user has
   * no training interaction with, and a user who has them all is not a candidate (PROTOCOLS.md's
   * pums-group: a user's earlier interactions exclude those items, not the user). With an
   * approximate i2u retriever (an index), the candidates are the union of each group item's {@value
   * #GROUP_CANDIDATES_PER_K}·k best users through it (without the users who have that item), each
   * scored exactly.
   *
   * @throws IllegalArgumentException if the group is empty, holds an index twice or out of range
   * @throws IllegalStateException if excludeSeen and the model holds no training interactions
   */
  public Neighbors recommendUsersForItems(
      int[] groupItems, int k, Aggregation agg, boolean excludeSeen) {
    Checks.notNull("groupItems", groupItems);
    Checks.notNull("agg", agg);
    Checks.positive("k", k);
    if (groupItems.length == 0) {
      throw new IllegalArgumentException("groupItems must hold at least one item");
    }
    int numItems = model.numItems();
    boolean[] inGroup = new boolean[numItems];
    for (int g = 0; g < groupItems.length; g++) {
      int item = groupItems[g];
      Checks.index("groupItems[" + g + "]", item, numItems);
      if (inGroup[item]) {
        throw new IllegalArgumentException(
            "groupItems[" + g + "] repeats item " + item + ": a group is a set");
      }
      inGroup[item] = true;
    }
    Interactions seen = excludeSeen ? seen() : null;
    int[] position = seen == null ? null : GroupScores.positions(groupItems, numItems);
    int numUsers = model.numUsers();
    int size = groupItems.length;
    int dim = model.dim();
    EmbeddingTable itemTable = model.retrievalItems();
    float[] group = new float[size * dim]; // the group's item rows, packed contiguously
    for (int g = 0; g < size; g++) {
      System.arraycopy(itemTable.data(), itemTable.offset(groupItems[g]), group, g * dim, dim);
    }
    if (!(users instanceof ExactRetriever)) {
      return groupThroughIndex(groupItems, group, k, agg, seen, position);
    }
    int heapSize = Math.min(k, Math.max(1, numUsers));
    int userBlock = GroupScores.userBlock(size);
    int numBlocks = (numUsers + userBlock - 1) / userBlock;
    List<GroupWorker> workers = new ArrayList<>();
    BlockRunner.run(
        "group-retrieval",
        threads,
        numBlocks,
        () -> {
          GroupWorker w = new GroupWorker(group, size, userBlock, heapSize, agg, seen, position);
          synchronized (workers) {
            workers.add(w);
          }
          return w;
        });
    // Each worker kept the best of its blocks; TopK's total order (score, then smaller index)
    // makes the merge independent of how blocks were spread over workers.
    TopK merged = new TopK(heapSize);
    int[] idx = new int[heapSize];
    float[] sc = new float[heapSize];
    for (GroupWorker w : workers) {
      int count = w.top.drainBestFirst(idx, sc, 0);
      for (int r = 0; r < count; r++) {
        merged.offer(idx[r], sc[r]);
      }
    }
    return merged.drain();
  }

  /**
   * A group's audience through the i2u index: the union of each group item's {@value
   * #GROUP_CANDIDATES_PER_K}·k best users (with {@code seen}, the users who have that item filtered
   * inside the search), each scored exactly with {@link GroupScores}; the best k. Approximate: a
   * user outside every item's list is not considered.
   */
  private Neighbors groupThroughIndex(
      int[] groupItems, float[] group, int k, Aggregation agg, Interactions seen, int[] position) {
    EmbeddingTable itemTable = model.retrievalItems();
    EmbeddingTable userTable = model.retrievalUsers();
    Interactions byItem = seen == null ? null : seen.transpose();
    java.util.TreeSet<Integer> candidates = new java.util.TreeSet<>();
    int per = Math.min(userTable.rows(), GROUP_CANDIDATES_PER_K * k);
    for (int item : groupItems) {
      Neighbors n =
          byItem == null
              ? users.search(itemTable.data(), itemTable.offset(item), per, null, 0, 0)
              : users.search(
                  itemTable.data(),
                  itemTable.offset(item),
                  per,
                  byItem.cols(),
                  byItem.start(item),
                  byItem.end(item));
      for (int u : n.indices()) {
        candidates.add(u);
      }
    }
    int size = groupItems.length;
    int[] rows = new int[candidates.size()];
    int j = 0;
    for (int u : candidates) {
      rows[j++] = u;
    }
    TopK top = new TopK(Math.max(1, Math.min(k, rows.length)));
    float[] scratch = new float[size];
    float[] value = new float[1];
    for (int u : rows) {
      GroupScores.score(
          userTable, u, 1, group, size, phiScale(), agg, ops, scratch, value, 0, seen, position);
      if (value[0] > top.threshold()) {
        top.offer(u, value[0]);
      }
    }
    return rows.length == 0 ? new Neighbors(new int[0], new float[0]) : top.drain();
  }

  /**
   * Users each group item contributes to a group's candidates through an index, per result wanted.
   */
  static final int GROUP_CANDIDATES_PER_K = 4;

  /** Scores blocks of users against the packed group and keeps its own top list. */
  private final class GroupWorker implements BlockRunner.Worker {
    private final float[] group;
    private final int size;
    private final int userBlock;
    private final Aggregation agg;
    private final Interactions seen;
    private final int[] position;
    private final float[] scores;
    private final float[] values;
    final TopK top;

    GroupWorker(
        float[] group,
        int size,
        int userBlock,
        int heapSize,
        Aggregation agg,
        Interactions seen,
        int[] position) {
      this.group = group;
      this.size = size;
      this.userBlock = userBlock;
      this.agg = agg;
      this.seen = seen;
      this.position = position;
      this.scores = new float[userBlock * size];
      this.values = new float[userBlock];
      this.top = new TopK(heapSize);
    }

    @Override
    public void process(int block) {
      EmbeddingTable userTable = model.retrievalUsers();
      int u0 = block * userBlock;
      int un = Math.min(userBlock, userTable.rows() - u0);
      GroupScores.score(
          userTable, u0, un, group, size, phiScale(), agg, ops, scores, values, 0, seen, position);
      float threshold = top.threshold();
      for (int u = 0; u < un; u++) {
        if (values[u] > threshold) {
          top.offer(u0 + u, values[u]);
          threshold = top.threshold();
        }
      }
    }
  }

  /**
   * The k items whose raw vectors have the largest cosine similarity with item {@code item}'s, the
   * item itself left out. Scores are cosines in [−1, 1] (zero vectors score 0).
   */
  public Neighbors similarItems(int item, int k) {
    Checks.index("item", item, model.numItems());
    Checks.positive("k", k);
    Retriever r = similarItemRetriever();
    EmbeddingTable t = r.candidates();
    return r.search(t.data(), t.offset(item), k, new int[] {item}, 0, 1);
  }

  /**
   * The k users whose raw vectors have the largest cosine similarity with user {@code user}'s, the
   * user itself left out. Scores are cosines in [−1, 1] (zero vectors score 0).
   */
  public Neighbors similarUsers(int user, int k) {
    Checks.index("user", user, model.numUsers());
    Checks.positive("k", k);
    Retriever r = similarUserRetriever();
    EmbeddingTable t = r.candidates();
    return r.search(t.data(), t.offset(user), k, new int[] {user}, 0, 1);
  }

  /**
   * The retriever of {@link #similarItems}: for a cosine model the u2i retriever (its retrieval
   * table is the row-normalised raw table, so an index serves both), else exact over a normalised
   * copy.
   */
  public Retriever similarItemRetriever() {
    Retriever r = cosineItems;
    if (r == null) {
      r =
          model.scorer().isCosine()
              ? items
              : new ExactRetriever(model.itemTable().normalizedCopy(), threads, ops);
      cosineItems = r;
    }
    return r;
  }

  /** The retriever of {@link #similarUsers}; see {@link #similarItemRetriever()}. */
  public Retriever similarUserRetriever() {
    Retriever r = cosineUsers;
    if (r == null) {
      r =
          model.scorer().isCosine()
              ? users
              : new ExactRetriever(model.userTable().normalizedCopy(), threads, ops);
      cosineUsers = r;
    }
    return r;
  }

  private Interactions seen() {
    Interactions seen = model.seen();
    if (seen == null) {
      throw new IllegalStateException(
          "excludeSeen=true needs the training interactions, but this model "
              + "holds none (FactorModel.seen() is null); pass excludeSeen=false or load the model with its interactions");
    }
    return seen;
  }

  private static Neighbors scaled(Neighbors found, float factor) {
    if (factor == 1f) {
      return found;
    }
    int[] idx = found.indices();
    float[] sc = found.scores();
    for (int r = 0; r < sc.length; r++) {
      sc[r] *= factor;
    }
    return new Neighbors(idx, sc);
  }
}
