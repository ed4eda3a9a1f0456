package org.totalrecall.loss;

/**
 * The numerically stable scalar functions of the logistic losses, in double precision.
 *
 * <p>{@code softplus(x) = log(1 + e^x) = −log σ(−x)}, so −log σ(z) = softplus(−z). Each function
 * branches on the sign of its argument so that the exponential it evaluates is of a non-positive
 * number: e^x never overflows, and for large |x| the result degrades gracefully to the exact
 * asymptote (softplus(x) → x, σ(x) → 1) instead of to ∞/∞ or log(∞). Stateless.
 */
final class Activations {
  private Activations() {}

  /**
   * Returns log(1 + e^x), computed as x + log1p(e^−x) for x &gt; 0 and log1p(e^x) otherwise. Finite
   * for every finite x; ≥ 0.
   */
  static double softplus(double x) {
    // log1p keeps the tail accurate: for x = −40, e^x = 4e−18 and 1 + e^x would round to 1
    return x > 0 ? x + log1p(Math.exp(-x)) : log1p(Math.exp(x));
  }

  /**
   * log(1 + y) for y ≥ 0 to within a few ulp, through the intrinsic {@link Math#log} (Goldberg
   * 1991, "What every computer scientist should know about floating-point arithmetic", Theorem 4:
   * with u = 1 ⊕ y, log(u)·y/(u − 1) corrects the rounding of 1 + y). {@link Math#log1p} is a
   * pure-Java fdlibm routine here, about ten times slower, and the losses call this per entry.
   */
  static double log1p(double y) {
    double u = 1 + y;
    return u == 1 ? y : Math.log(u) * y / (u - 1);
  }

  /**
   * Returns σ(x) = 1 / (1 + e^−x), computed from e^−|x| so that it never overflows: in [0, 1] for
   * every finite x, and the derivative of {@link #softplus}.
   */
  static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x); // in (0, 1): σ(x) = e^x / (1 + e^x) keeps its relative accuracy
    return e / (1 + e);
  }
}
