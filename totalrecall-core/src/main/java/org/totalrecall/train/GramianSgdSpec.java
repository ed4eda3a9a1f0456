package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * The square loss of {@link IalsSpec} over every (user, item) pair, learned by stochastic gradient
 * descent with the Gramian trick instead of negative sampling (Rendle's survey, paper 001, sec.
 * 5.1.3, eq. 30–41 and Algorithm 5; Krichene et al. 2019): each positive's loss carries its share
 * of the all-pairs term through running estimates Ĝ of the two Gramians,
 *
 * <pre>
 *   l(u, i) = c_ui (⟨w_u, h_i⟩ − 1)² + (α0/2)·(w_uᵀ Ĝ_items w_u / |I_u| + h_iᵀ Ĝ_users h_i / |U_i|)    (eq. 33)
 *   Ĝ_users ← Ĝ_users (1 − η/|I_u|) + (η/|I_u|)·|U|·w_u w_uᵀ                                          (eq. 41)
 * </pre>
 *
 * and likewise for Ĝ_items; {@link GramianSgdSolver}. No sampler: every unobserved pair is in the
 * Gramian term. Dot scores only; the run's optimizer, learning rate and {@code --l2} (per example,
 * as for the other SGD objectives) apply.
 *
 * @param alpha α ≥ 0, the confidence scale
 * @param logConfidence log instead of linear confidence
 * @param epsilon ε &gt; 0 of the log confidence
 * @param unobservedWeight α0 &gt; 0
 */
public record GramianSgdSpec(
    float alpha, boolean logConfidence, float epsilon, float unobservedWeight)
    implements GramianObjective {
  static final SpecType<ObjectiveSpec> TYPE =
      new SpecType<>(
          "gramian-sgd",
          "The iALS square loss by SGD with running Gramian estimates instead of negatives (survey sec. 5.1.3,"
              + " Algorithm 5); dot scores.",
          List.of(
              new Param("alpha", Param.Kind.FLOAT, "A", "-"),
              new Param("confidence", Param.Kind.STRING, "SCALING", "-"),
              new Param("epsilon", Param.Kind.FLOAT, "EPS", "-"),
              new Param("unobserved-weight", Param.Kind.FLOAT, "A0", "-")),
          p ->
              new GramianSgdSpec(
                  p.getFloat("alpha", 0f),
                  IalsSpec.parseConfidence(p.getString("confidence", "linear")),
                  p.getFloat("epsilon", 1f),
                  p.getFloat("unobserved-weight", 0.1f)));

  public GramianSgdSpec {
    if (!(alpha >= 0f)) {
      throw new IllegalArgumentException("--alpha must be >= 0, got " + alpha);
    }
    if (!(epsilon > 0f)) {
      throw new IllegalArgumentException("--epsilon must be > 0, got " + epsilon);
    }
    if (!(unobservedWeight > 0f)) {
      throw new IllegalArgumentException(
          "--unobserved-weight must be > 0, got " + unobservedWeight);
    }
  }

  /** c = 1 + α·r or 1 + α·log(1 + r/ε), as for iALS. */
  float confidence(float r) {
    return IalsSpec.confidence(alpha, logConfidence, epsilon, r);
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alpha", MapValues.decimal(alpha));
    m.put("confidence", logConfidence ? "log" : "linear");
    m.put("epsilon", MapValues.decimal(epsilon));
    m.put("unobserved-weight", MapValues.decimal(unobservedWeight));
    return m;
  }

  @Override
  public Solver createSolver(
      Interactions train,
      TrainConfig config,
      EmbeddingTable users,
      EmbeddingTable items,
      VectorOps ops) {
    return new GramianSgdSolver(train, config, this, users, items, ops);
  }
}
