package org.totalrecall.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.util.Checks;

/**
 * A trained two-tower factor model: a user table and an item table of the same width, the id maps
 * that give their rows external ids, the {@link Scorer}, and the metadata that produced it
 * (objective, hyperparameters, data and split, training summary) as an ordered JSON-like map
 * (values: String, Number, Boolean, List, Map), and optionally the training interactions, so that
 * retrieval excludes what a user or item already has by default without re-reading data.
 *
 * <p>The tables are live: a trainer that returns a model hands over ownership and no longer writes
 * to them. Safe to share between threads for reading.
 */
public final class FactorModel {
  private final EmbeddingTable users;
  private final EmbeddingTable items;
  private final IdIndex userIds;
  private final IdIndex itemIds;
  private final Scorer scorer;
  private final Map<String, Object> metadata;
  private final Interactions seen;
  private volatile EmbeddingTable retrievalUsers;
  private volatile EmbeddingTable retrievalItems;

  public FactorModel(
      EmbeddingTable users,
      EmbeddingTable items,
      IdIndex userIds,
      IdIndex itemIds,
      Scorer scorer,
      Map<String, Object> metadata,
      Interactions seen) {
    Checks.notNull("users", users);
    Checks.notNull("items", items);
    Checks.notNull("scorer", scorer);
    if (users.dim() != items.dim()) {
      throw new IllegalArgumentException(
          "user and item tables must have the same dim, got "
              + users.dim()
              + " and "
              + items.dim());
    }
    if (userIds != null && userIds.size() != users.rows()) {
      throw new IllegalArgumentException(
          "userIds has " + userIds.size() + " ids for " + users.rows() + " user rows");
    }
    if (itemIds != null && itemIds.size() != items.rows()) {
      throw new IllegalArgumentException(
          "itemIds has " + itemIds.size() + " ids for " + items.rows() + " item rows");
    }
    this.users = users;
    this.items = items;
    this.userIds = userIds == null ? IdIndex.identity(users.rows()) : userIds;
    this.itemIds = itemIds == null ? IdIndex.identity(items.rows()) : itemIds;
    this.scorer = scorer;
    this.metadata = metadata == null ? new LinkedHashMap<>() : new LinkedHashMap<>(metadata);
    if (seen != null && (seen.numUsers() != users.rows() || seen.numItems() != items.rows())) {
      throw new IllegalArgumentException(
          "seen interactions are "
              + seen.numUsers()
              + " x "
              + seen.numItems()
              + " but the model has "
              + users.rows()
              + " users and "
              + items.rows()
              + " items");
    }
    if (scorer.isGmf() && scorer.numWeights() != users.dim()) {
      throw new IllegalArgumentException(
          "the gmf scorer has " + scorer.numWeights() + " weights for dim " + users.dim());
    }
    this.seen = seen;
  }

  /**
   * The interactions the model was trained on (users × items), used as the default exclusion set of
   * retrieval, or null if the model was stored without them.
   */
  public Interactions seen() {
    return seen;
  }

  /**
   * The same model with other seen interactions (tables, ids and metadata shared): for evaluating
   * on a validation part, whose model was fitted to less than the training part it stores.
   */
  public FactorModel withSeen(Interactions newSeen) {
    return new FactorModel(users, items, userIds, itemIds, scorer, metadata, newSeen);
  }

  /** The same model with another metadata map (tables, ids and seen interactions shared). */
  public FactorModel withMetadata(Map<String, Object> newMetadata) {
    return new FactorModel(users, items, userIds, itemIds, scorer, newMetadata, seen);
  }

  public int numUsers() {
    return users.rows();
  }

  public int numItems() {
    return items.rows();
  }

  public int dim() {
    return users.dim();
  }

  /** The raw user table (as trained). */
  public EmbeddingTable userTable() {
    return users;
  }

  /** The raw item table (as trained). */
  public EmbeddingTable itemTable() {
    return items;
  }

  public IdIndex userIds() {
    return userIds;
  }

  public IdIndex itemIds() {
    return itemIds;
  }

  public Scorer scorer() {
    return scorer;
  }

  /** Metadata as stored in the model file; unmodifiable. */
  public Map<String, Object> metadata() {
    return Collections.unmodifiableMap(metadata);
  }

  /**
   * The user table that retrieval ranks by inner product: the raw table for dot, a row-normalised
   * copy for cosine, and for gmf a copy with h folded in (row u becomes h ⊙ u, so ⟨h ⊙ u, i⟩ = hᵀ(u
   * ⊙ i) in both directions); copies are made once and cached.
   */
  public EmbeddingTable retrievalUsers() {
    EmbeddingTable t = retrievalUsers;
    if (t == null) {
      t =
          scorer.isCosine()
              ? users.normalizedCopy()
              : scorer.isGmf() ? users.columnScaledCopy(scorer.weights()) : users;
      retrievalUsers = t;
    }
    return t;
  }

  /** The item table that retrieval ranks by inner product; see {@link #retrievalUsers()}. */
  public EmbeddingTable retrievalItems() {
    EmbeddingTable t = retrievalItems;
    if (t == null) {
      t = scorer.isCosine() ? items.normalizedCopy() : items;
      retrievalItems = t;
    }
    return t;
  }

  /**
   * The retrieval-space query of a raw user vector (one not in the table, e.g. folded in): a copy,
   * normalised for cosine and with h folded in for gmf, so that its inner product with {@link
   * #retrievalItems()} ranks as φ does.
   */
  public float[] retrievalQuery(float[] rawUser) {
    Checks.notNull("rawUser", rawUser);
    if (rawUser.length != dim()) {
      throw new IllegalArgumentException(
          "the user vector has " + rawUser.length + " entries for dim " + dim());
    }
    float[] q = rawUser.clone();
    if (scorer.isCosine()) {
      double sq = 0;
      for (float v : q) {
        sq += (double) v * v;
      }
      if (sq > 0) {
        float inv = (float) (1.0 / Math.sqrt(sq));
        for (int k = 0; k < q.length; k++) {
          q[k] *= inv;
        }
      }
    } else if (scorer.isGmf()) {
      for (int k = 0; k < q.length; k++) {
        q[k] *= scorer.weight(k);
      }
    }
    return q;
  }

  /**
   * φ(user, item) in the model's scorer, dense indices. For cosine this includes the 1/τ factor.
   */
  public float score(int user, int item) {
    float s =
        VectorOps.best()
            .dot(
                retrievalUsers().data(),
                retrievalUsers().offset(user),
                retrievalItems().data(),
                retrievalItems().offset(item),
                dim());
    return scorer.isCosine() ? s / scorer.temperature() : s;
  }
}
