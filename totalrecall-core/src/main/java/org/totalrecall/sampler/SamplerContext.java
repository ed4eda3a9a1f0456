package org.totalrecall.sampler;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.util.Checks;

/**
 * What a sampler may see when it is built: the training interactions (marginals, per-user rows),
 * the batch size, and read access to the live embedding tables (score-aware samplers rank
 * candidates by the current model; they must only read, and tolerate Hogwild updates racing with
 * their reads).
 *
 * @param train the training interactions (users × items)
 * @param batchSize positive pairs per step
 * @param users the live user table (read only)
 * @param items the live item table (read only)
 * @param extraUsers whether the objective scores extra user candidates (it has an i2u term); a
 *     shared sampler draws none otherwise
 * @param extraItems whether the objective scores extra item candidates (it has a u2i term)
 * @param cosineScores whether the model scores by cosine (score-aware samplers rank by it)
 */
public record SamplerContext(Interactions train, int batchSize, EmbeddingTable users, EmbeddingTable items,
    boolean extraUsers, boolean extraItems, boolean cosineScores) {
  public SamplerContext {
    Checks.notNull("train", train);
    Checks.positive("batchSize", batchSize);
  }

  /** A context whose objective scores extra candidates on both sides, for a dot-product model. */
  public SamplerContext(Interactions train, int batchSize, EmbeddingTable users, EmbeddingTable items) {
    this(train, batchSize, users, items, true, true, false);
  }

  /** A context for a dot-product model. */
  public SamplerContext(Interactions train, int batchSize, EmbeddingTable users, EmbeddingTable items,
      boolean extraUsers, boolean extraItems) {
    this(train, batchSize, users, items, extraUsers, extraItems, false);
  }
}
