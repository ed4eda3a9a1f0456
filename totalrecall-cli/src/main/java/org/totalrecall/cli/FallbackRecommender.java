package org.totalrecall.cli;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.TopK;

/**
 * Single-query exact retrieval by a plain scan (one dot product per candidate through
 * {@link VectorOps}), used by the CLI until the blocked multi-threaded
 * {@code retrieval.Recommender} is available. Scores are φ of the model's scorer (for cosine,
 * cos/τ). Dense indices in and out. Not thread-safe (reuses its mask).
 */
final class FallbackRecommender {
  /** How the per-item scores of a group combine into one user score: aggregate of exp φ. */
  enum Aggregation {
    MEAN,
    MAX,
    SUM
  }

  private final FactorModel model;
  private final VectorOps ops = VectorOps.best();
  private final float scale;

  FallbackRecommender(FactorModel model) {
    this.model = model;
    this.scale = model.scorer().isCosine() ? 1f / model.scorer().temperature() : 1f;
  }

  /** The k items with the highest φ(user, ·), without the user's training items if asked. */
  Neighbors recommendItems(int user, int k, boolean excludeSeen) {
    boolean[] skip = new boolean[model.numItems()];
    Interactions seen = model.seen();
    if (excludeSeen && seen != null) {
      for (int p = seen.start(user); p < seen.end(user); p++) {
        skip[seen.cols()[p]] = true;
      }
    }
    EmbeddingTable q = model.retrievalUsers();
    return scan(q.data(), q.offset(user), model.retrievalItems(), k, skip);
  }

  /** The k users with the highest φ(·, item), without the item's training users if asked. */
  Neighbors recommendUsers(int item, int k, boolean excludeSeen) {
    return recommendUsersForItems(new int[] {item}, k, Aggregation.MEAN, excludeSeen);
  }

  /**
   * The k users with the highest aggregate over the group of exp φ(u, i), reported as the log
   * of that aggregate (so a one-item group scores φ); users with a training interaction in the
   * group are left out if asked.
   */
  Neighbors recommendUsersForItems(int[] items, int k, Aggregation agg, boolean excludeSeen) {
    int numUsers = model.numUsers();
    boolean[] skip = new boolean[numUsers];
    Interactions seen = model.seen();
    if (excludeSeen && seen != null) {
      Interactions byItem = seen.transpose();
      for (int item : items) {
        for (int p = byItem.start(item); p < byItem.end(item); p++) {
          skip[byItem.cols()[p]] = true;
        }
      }
    }
    EmbeddingTable users = model.retrievalUsers();
    EmbeddingTable itemTable = model.retrievalItems();
    int dim = model.dim();
    TopK top = new TopK(k);
    double[] phi = new double[items.length];
    for (int u = 0; u < numUsers; u++) {
      if (skip[u]) {
        continue;
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < items.length; j++) {
        phi[j] = scale * ops.dot(users.data(), users.offset(u), itemTable.data(), itemTable.offset(items[j]), dim);
        max = Math.max(max, phi[j]);
      }
      double score;
      if (agg == Aggregation.MAX) {
        score = max;
      } else {
        double sum = 0; // log-sum-exp, shifted by the max so that exp cannot overflow
        for (double x : phi) {
          sum += Math.exp(x - max);
        }
        score = max + Math.log(agg == Aggregation.MEAN ? sum / items.length : sum);
      }
      top.offer(u, (float) score);
    }
    return top.drain();
  }

  /** The k items most similar to {@code item} by φ between item vectors; the item itself excluded. */
  Neighbors similarItems(int item, int k) {
    boolean[] skip = new boolean[model.numItems()];
    skip[item] = true;
    EmbeddingTable t = model.retrievalItems();
    return scan(t.data(), t.offset(item), t, k, skip);
  }

  /** The k users most similar to {@code user}; the user itself excluded. */
  Neighbors similarUsers(int user, int k) {
    boolean[] skip = new boolean[model.numUsers()];
    skip[user] = true;
    EmbeddingTable t = model.retrievalUsers();
    return scan(t.data(), t.offset(user), t, k, skip);
  }

  private Neighbors scan(float[] q, int qOff, EmbeddingTable candidates, int k, boolean[] skip) {
    TopK top = new TopK(k);
    float[] c = candidates.data();
    int dim = candidates.dim();
    for (int r = 0; r < candidates.rows(); r++) {
      if (!skip[r]) {
        top.offer(r, scale * ops.dot(q, qOff, c, candidates.offset(r), dim));
      }
    }
    return top.drain();
  }
}
