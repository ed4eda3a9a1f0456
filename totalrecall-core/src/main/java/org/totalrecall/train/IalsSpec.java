package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * Implicit alternating least squares, iALS (Hu, Koren &amp; Volinsky 2008), in the general form of
 * Rendle's survey (paper 001, sec. 5.1, eq. 21 and Algorithm 4): the square loss over every (user,
 * item) pair with the Gramian trick,
 *
 * <pre>
 *   L = Σ_{(u,i) ∈ S} c_ui (⟨w_u, h_i⟩ − 1)² + α0 Σ_u Σ_i ⟨w_u, h_i⟩² + Σ_u λ_u ‖w_u‖² + Σ_i λ_i ‖h_i‖²
 *   c_ui = 1 + α·r_ui  (confidence linear)   or   1 + α·log(1 + r_ui/ε)  (log; Hu et al. eq. 6)
 *   λ_u = λ·(|S_u| + α0·|I|)^ν             (ν = 1: the frequency-scaled L2 of "Revisiting iALS")
 * </pre>
 *
 * with r_ui the interaction's weight (1 without a weight column), α0 the weight of every unobserved
 * pair and λ the run's {@code --l2}. Solved alternately row by row ({@link IalsSolver}): exactly by
 * Cholesky, approximately by a few warm-started conjugate-gradient steps, or by one sweep of exact
 * coordinate minimisation per row ({@code icd}: Bayer et al. 2017, the coordinate descent of the
 * survey sec. 5.1.2, O(n·d + d²) per row). Dot scores only.
 *
 * @param alpha α ≥ 0, the confidence scale (0: every observed pair weighs 1)
 * @param logConfidence log instead of linear confidence
 * @param epsilon ε &gt; 0 of the log confidence
 * @param unobservedWeight α0 &gt; 0
 * @param l2Exponent ν ≥ 0 of the frequency-scaled L2
 * @param solver how a row is solved
 * @param cgSteps conjugate-gradient steps per row and half-iteration, ≥ 1
 */
public record IalsSpec(
    float alpha,
    boolean logConfidence,
    float epsilon,
    float unobservedWeight,
    float l2Exponent,
    RowSolver solver,
    int cgSteps)
    implements GramianObjective, java.io.Serializable {
  /** How {@link IalsSolver} solves a row's least-squares problem. */
  public enum RowSolver {
    /**
     * {@link IalsSpec#cgSteps()} warm-started conjugate-gradient steps (Takács et al. 2011; {@code
     * implicit}).
     */
    CG,
    /** Exact: a Cholesky factorisation in double precision. */
    CHOLESKY,
    /**
     * One sweep of exact coordinate minimisation over the row's d entries (iCD, Bayer et al. 2017).
     */
    CD
  }

  private static final List<Param> LOSS_PARAMS =
      List.of(
          new Param(
              "alpha",
              Param.Kind.FLOAT,
              "A",
              "Confidence scale of iALS: c = 1 + A*r (default 0: weight 1)."),
          new Param(
              "confidence",
              Param.Kind.STRING,
              "SCALING",
              "How iALS turns an interaction weight r into confidence: linear (1 + A*r) or log (1 + A*log(1 + r/EPS))"
                  + " (default linear)."),
          new Param(
              "epsilon", Param.Kind.FLOAT, "EPS", "Epsilon of iALS's log confidence (default 1)."),
          new Param(
              "unobserved-weight",
              Param.Kind.FLOAT,
              "A0",
              "Weight of every unobserved (user, item) pair in iALS's square loss (default 0.1)."),
          new Param(
              "l2-exponent",
              Param.Kind.FLOAT,
              "NU",
              "iALS's L2 of a row is --l2 * (its interactions + A0 * other side's rows)^NU (default 1: frequency"
                  + " scaled, Rendle et al. 2021; 0: plain --l2)."));

  /** {@code --solver}, shared with {@link PairwiseSquareSpec} (one flag, one description). */
  static final Param SOLVER =
      new Param(
          "solver",
          Param.Kind.STRING,
          "SOLVER",
          "How the square loss is solved. ials: cg (warm-started conjugate gradient per row; default), cholesky (exact)"
              + " or cd (coordinate descent, the same as --objective icd). pairwise-square: als (alternating least"
              + " squares by conjugate gradient; default), als-cholesky (the same, exact rows) or sgd.");

  /** {@code --cg-steps}, shared with {@link PairwiseSquareSpec}. */
  static final Param CG_STEPS =
      new Param(
          "cg-steps",
          Param.Kind.INT,
          "N",
          "Conjugate-gradient steps per row and half-iteration (default 3).");

  static final SpecType<ObjectiveSpec> TYPE =
      new SpecType<>(
          "ials",
          "iALS: square loss over all pairs by alternating least squares with the Gramian (Hu et al. 2008;"
              + " survey sec. 5.1, Algorithm 4); dot scores.",
          concat(LOSS_PARAMS, List.of(SOLVER, CG_STEPS)),
          p -> parseLoss(p, parseSolver(p.getString("solver", "cg")), p.getInt("cg-steps", 3)));

  /** The same loss as {@code ials}, solved by coordinate descent. */
  static final SpecType<ObjectiveSpec> ICD_TYPE =
      new SpecType<>(
          "icd",
          "iCD: the iALS loss by coordinate descent with the Gramian (Bayer et al. 2017; survey sec. 5.1.2); dot scores.",
          LOSS_PARAMS,
          p -> parseLoss(p, RowSolver.CD, 3));

  private static IalsSpec parseLoss(Params p, RowSolver solver, int cgSteps) {
    return new IalsSpec(
        p.getFloat("alpha", 0f),
        parseConfidence(p.getString("confidence", "linear")),
        p.getFloat("epsilon", 1f),
        p.getFloat("unobserved-weight", 0.1f),
        p.getFloat("l2-exponent", 1f),
        solver,
        cgSteps);
  }

  private static List<Param> concat(List<Param> a, List<Param> b) {
    List<Param> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  public IalsSpec {
    if (solver == null) {
      throw new IllegalArgumentException("--solver must be given");
    }
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
    if (!(l2Exponent >= 0f)) {
      throw new IllegalArgumentException("--l2-exponent must be >= 0, got " + l2Exponent);
    }
    if (cgSteps < 1 || cgSteps > 1000) {
      throw new IllegalArgumentException("--cg-steps must be in 1..1000, got " + cgSteps);
    }
    if (solver != RowSolver.CG && cgSteps != 3) {
      throw new IllegalArgumentException(
          "--cg-steps applies only to --solver cg, not " + solver.name().toLowerCase(Locale.ROOT));
    }
  }

  /** The defaults: α 0, linear, ε 1, α0 0.1, ν 1, conjugate gradient with 3 steps. */
  public static IalsSpec defaults() {
    return new IalsSpec(0f, false, 1f, 0.1f, 1f, RowSolver.CG, 3);
  }

  /** {@code --confidence}: linear (false) or log (true); shared with {@link GramianSgdSpec}. */
  static boolean parseConfidence(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "linear" -> false;
      case "log" -> true;
      default ->
          throw new IllegalArgumentException("--confidence must be linear or log, got '" + s + "'");
    };
  }

  private static RowSolver parseSolver(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "cg" -> RowSolver.CG;
      case "cholesky" -> RowSolver.CHOLESKY;
      case "cd" -> RowSolver.CD;
      default ->
          throw new IllegalArgumentException(
              "--solver must be cg, cholesky or cd, got '" + s + "'");
    };
  }

  /** c = 1 + α·r or 1 + α·log(1 + r/ε). */
  float confidence(float r) {
    return confidence(alpha, logConfidence, epsilon, r);
  }

  /**
   * Hu et al.'s confidence of an interaction of weight r: 1 + α·r, or 1 + α·log(1 + r/ε) (their eq.
   * 6).
   */
  static float confidence(float alpha, boolean log, float epsilon, float r) {
    return log ? (float) (1 + alpha * Math.log1p(r / epsilon)) : 1 + alpha * r;
  }

  /** {@code icd} for coordinate descent, else {@code ials}. */
  @Override
  public String name() {
    return solver == RowSolver.CD ? ICD_TYPE.name() : TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alpha", MapValues.decimal(alpha));
    m.put("confidence", logConfidence ? "log" : "linear");
    m.put("epsilon", MapValues.decimal(epsilon));
    m.put("unobserved-weight", MapValues.decimal(unobservedWeight));
    m.put("l2-exponent", MapValues.decimal(l2Exponent));
    if (solver != RowSolver.CD) {
      m.put("solver", solver.name().toLowerCase(Locale.ROOT));
      m.put("cg-steps", cgSteps);
    }
    return m;
  }

  /**
   * iALS solves rows, it has no gradient steps to follow: One Backpropagation's aggregation does
   * not apply.
   */
  @Override
  public String updateProblem(UpdateSpec update) {
    return update instanceof SidedUpdateSpec
        ? null
        : "--update "
            + update.name()
            + " follows gradient steps, which --objective ials does not take; use two-sided,"
            + " items-only or users-only";
  }

  @Override
  public Solver createSolver(
      Interactions train,
      TrainConfig config,
      EmbeddingTable users,
      EmbeddingTable items,
      VectorOps ops) {
    return new IalsSolver(train, config, this, users, items, ops);
  }
}
