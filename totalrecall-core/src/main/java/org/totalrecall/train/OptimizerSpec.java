package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.totalrecall.util.Checks;

/**
 * The per-row optimizer and its regularisation: Adam (β1, β2, ε), Adagrad (ε) or SGD, and the L2
 * penalty λ added to each touched row's gradient (+ λ·w, the gradient of (λ/2)‖w‖²).
 *
 * @param kind the optimizer
 * @param l2 λ ≥ 0
 * @param beta1 Adam β1 in [0, 1)
 * @param beta2 Adam β2 in [0, 1)
 * @param epsilon Adam's and Adagrad's ε &gt; 0
 */
public record OptimizerSpec(OptimizerKind kind, float l2, float beta1, float beta2, float epsilon) {
  public OptimizerSpec {
    Checks.notNull("optimizer", kind);
    Checks.nonNegative("l2", l2);
    if (!(beta1 >= 0f && beta1 < 1f)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0f && beta2 < 1f)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
    }
    Checks.positive("epsilon", epsilon);
  }

  /** Adam with PyTorch's defaults (β1 0.9, β2 0.999, ε 1e-8) and no L2. */
  public static OptimizerSpec adam() {
    return new OptimizerSpec(OptimizerKind.ADAM, 0f, 0.9f, 0.999f, 1e-8f);
  }

  public OptimizerSpec withKind(OptimizerKind k) {
    return new OptimizerSpec(k, l2, beta1, beta2, epsilon);
  }

  public OptimizerSpec withL2(float v) {
    return new OptimizerSpec(kind, v, beta1, beta2, epsilon);
  }

  public OptimizerSpec withBeta1(float v) {
    return new OptimizerSpec(kind, l2, v, beta2, epsilon);
  }

  public OptimizerSpec withBeta2(float v) {
    return new OptimizerSpec(kind, l2, beta1, v, epsilon);
  }

  public OptimizerSpec withEpsilon(float v) {
    return new OptimizerSpec(kind, l2, beta1, beta2, v);
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", kind.cliName());
    m.put("l2", MapValues.decimal(l2));
    m.put("beta1", MapValues.decimal(beta1));
    m.put("beta2", MapValues.decimal(beta2));
    m.put("epsilon", MapValues.decimal(epsilon));
    return m;
  }

  static OptimizerSpec fromMap(Map<String, ?> m) {
    return new OptimizerSpec(
        OptimizerKind.parse(MapValues.string(m, "name")),
        MapValues.real(m, "l2"),
        MapValues.real(m, "beta1"),
        MapValues.real(m, "beta2"),
        MapValues.real(m, "epsilon"));
  }
}
