package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * The pairwise square loss over every (positive, item) pair (Rendle's survey, paper 001, sec. 5.2,
 * eq. 42: L = Σ_{(u,i) ∈ S} Σ_{j ∈ I} (ŷ_ui − ŷ_uj − 1)²) with the Gramian trick: eq. 44 rewrites
 * it as N·Σ_S (ŷ − 1)² + ⟨Σ_u n_u w wᵀ, Σ_j h hᵀ⟩ − 2 Σ_S (ŷ − 1)⟨w_u, z⟩ with z = Σ_j h_j (eq.
 * 45), so no pair is sampled. Two ways to learn it, as the survey says of iALS and SGD:
 *
 * <ul>
 *   <li>{@code --solver als} (default) and {@code als-cholesky}: alternating least squares ({@link
 *       PairwiseSquareAlsSolver}; users row by row, items by a block-Jacobi step with an exact line
 *       search), minimising eq. 42 / N plus a frequency-scaled L2 λ·Σ n_r‖row‖²;
 *   <li>{@code --solver sgd}: SGD with the Gramian and z kept current ({@link GramianSgdSolver},
 *       pairwise mode). The positives' term carries the factor N = |I|, so plain SGD needs a
 *       learning rate about 1/N of the pointwise one; Adam is scale-free.
 * </ul>
 *
 * Dot scores only.
 *
 * @param solver how the loss is learned
 * @param cgSteps conjugate-gradient steps per row and half-step of {@code als}
 */
public record PairwiseSquareSpec(Method solver, int cgSteps) implements GramianObjective {
  /** How the pairwise square loss is learned. */
  public enum Method {
    /** Alternating least squares, rows by warm-started conjugate gradient. */
    ALS,
    /** Alternating least squares, rows exactly by Cholesky. */
    ALS_CHOLESKY,
    /**
     * Stochastic gradient descent with the Gramian and z (survey Algorithm 5 for the pairwise
     * loss).
     */
    SGD;

    /** The {@code --solver} value. */
    public String flagValue() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  static final SpecType<ObjectiveSpec> TYPE =
      new SpecType<>(
          "pairwise-square",
          "Pairwise square loss (s_pos - s_j - 1)^2 over every item j with the Gramian and z = sum of items"
              + " (survey sec. 5.2, eq. 42-45), by alternating least squares or SGD; dot scores.",
          List.of(IalsSpec.SOLVER, IalsSpec.CG_STEPS),
          p ->
              new PairwiseSquareSpec(
                  parseMethod(p.getString("solver", "als")), p.getInt("cg-steps", 3)));

  public PairwiseSquareSpec {
    if (solver == null) {
      throw new IllegalArgumentException("--solver must be given");
    }
    if (cgSteps < 1 || cgSteps > 1000) {
      throw new IllegalArgumentException("--cg-steps must be in 1..1000, got " + cgSteps);
    }
    if (solver != Method.ALS && cgSteps != 3) {
      throw new IllegalArgumentException(
          "--cg-steps applies only to --solver als, not " + solver.flagValue());
    }
  }

  /** The defaults: alternating least squares with 3 conjugate-gradient steps per row. */
  public static PairwiseSquareSpec defaults() {
    return new PairwiseSquareSpec(Method.ALS, 3);
  }

  private static Method parseMethod(String s) {
    for (Method m : Method.values()) {
      if (m.flagValue().equals(s.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "--solver of --objective pairwise-square must be als, als-cholesky or sgd, got '"
            + s
            + "'");
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("solver", solver.flagValue());
    if (solver == Method.ALS) {
      m.put("cg-steps", cgSteps);
    }
    return m;
  }

  /**
   * The least-squares solvers take no gradient steps: One Backpropagation's aggregation applies to
   * sgd only.
   */
  @Override
  public String updateProblem(UpdateSpec update) {
    return solver == Method.SGD || update instanceof SidedUpdateSpec
        ? null
        : "--update "
            + update.name()
            + " follows gradient steps, which --objective pairwise-square --solver "
            + solver.flagValue()
            + " does not take; use two-sided, items-only or users-only, or --solver sgd";
  }

  @Override
  public Solver createSolver(
      Interactions train,
      TrainConfig config,
      EmbeddingTable users,
      EmbeddingTable items,
      VectorOps ops) {
    return switch (solver) {
      case ALS -> new PairwiseSquareAlsSolver(train, config, cgSteps, users, items, ops);
      case ALS_CHOLESKY -> new PairwiseSquareAlsSolver(train, config, 0, users, items, ops);
      case SGD ->
          new GramianSgdSolver(
              train, config, new GramianSgdSpec(0f, false, 1f, 1f), true, users, items, ops);
    };
  }
}
