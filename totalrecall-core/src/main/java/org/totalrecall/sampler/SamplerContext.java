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
 * @param scoreScale the factor of the model's score: 1/τ for a cosine model, 1 for a dot-product
 *     one (samplers whose target is the model's softmax need the scale, not only the ranking)
 * @param seed the run's seed, for samplers that draw state of their own outside the workers'
 *     generators (e.g. AdaSIR's pools, rebuilt per user and epoch)
 */
public record SamplerContext(
    Interactions train,
    int batchSize,
    EmbeddingTable users,
    EmbeddingTable items,
    boolean extraUsers,
    boolean extraItems,
    boolean cosineScores,
    float scoreScale,
    long seed) {
  public SamplerContext {
    Checks.notNull("train", train);
    Checks.positive("batchSize", batchSize);
    if (!(scoreScale > 0f) || Float.isInfinite(scoreScale)) {
      throw new IllegalArgumentException(
          "scoreScale must be positive and finite, got " + scoreScale);
    }
  }

  /** A context with score scale 1 and seed 0. */
  public SamplerContext(
      Interactions train,
      int batchSize,
      EmbeddingTable users,
      EmbeddingTable items,
      boolean extraUsers,
      boolean extraItems,
      boolean cosineScores) {
    this(train, batchSize, users, items, extraUsers, extraItems, cosineScores, 1f, 0L);
  }

  /** A context whose objective scores extra candidates on both sides, for a dot-product model. */
  public SamplerContext(
      Interactions train, int batchSize, EmbeddingTable users, EmbeddingTable items) {
    this(train, batchSize, users, items, true, true, false);
  }

  /** A context for a dot-product model. */
  public SamplerContext(
      Interactions train,
      int batchSize,
      EmbeddingTable users,
      EmbeddingTable items,
      boolean extraUsers,
      boolean extraItems) {
    this(train, batchSize, users, items, extraUsers, extraItems, false);
  }
}
