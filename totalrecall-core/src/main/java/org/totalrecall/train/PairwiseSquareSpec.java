package org.totalrecall.train;

import java.util.List;
import java.util.Map;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * The pairwise square loss over every (positive, item) pair (Rendle's survey, paper 001, sec. 5.2,
 * eq. 42: L = Σ_{(u,i) ∈ S} Σ_{j ∈ I} (ŷ_ui − ŷ_uj − 1)²), learned by SGD with the Gramian trick:
 * eq. 44 rewrites it as N·Σ_S (ŷ − 1)² + ⟨Σ_u n_u w wᵀ, Σ_j h hᵀ⟩ − 2 Σ_S (ŷ − 1)⟨w_u, z⟩ with
 * z = Σ_j h_j (eq. 45), so no pair is sampled ({@link GramianSgdSolver}, pairwise mode). No
 * parameters besides the run's optimizer, learning rate and L2; dot scores only. The positives'
 * term carries the factor N = |I|, so plain SGD needs a learning rate about 1/N of the pointwise
 * one; Adam is scale-free.
 */
public record PairwiseSquareSpec() implements GramianObjective {
  static final SpecType<ObjectiveSpec> TYPE = new SpecType<>("pairwise-square",
      "Pairwise square loss (s_pos - s_j - 1)^2 over every item j, by SGD with the Gramian and z = sum of items"
          + " (survey sec. 5.2, eq. 42-45); dot scores.",
      List.of(), p -> new PairwiseSquareSpec());

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of();
  }

  @Override
  public Solver createSolver(Interactions train, TrainConfig config, EmbeddingTable users, EmbeddingTable items,
      VectorOps ops) {
    return new GramianSgdSolver(train, config, new GramianSgdSpec(0f, false, 1f, 1f), true, users, items, ops);
  }
}
