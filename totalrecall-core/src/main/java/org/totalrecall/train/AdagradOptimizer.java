package org.totalrecall.train;

import org.totalrecall.util.Checks;

/**
 * Adagrad (Duchi, Hazan &amp; Singer 2011, JMLR): per coordinate, G ← G + g², w ← w − η·g / (√G +
 * ε), with G starting at 0 (PyTorch's defaults: initial accumulator 0, ε outside the root). Only
 * touched rows change, so the sparse update is exact. State: one accumulator per parameter.
 */
public final class AdagradOptimizer implements RowOptimizer {
  private final int dim;
  private final LearningRateSchedule schedule;
  private final float epsilon;
  private final float[] accumulator;

  public AdagradOptimizer(int rows, int dim, LearningRateSchedule schedule, float epsilon) {
    Checks.nonNegative("rows", rows);
    this.dim = Checks.positive("dim", dim);
    this.schedule = Checks.notNull("schedule", schedule);
    this.epsilon = Checks.positive("epsilon", epsilon);
    this.accumulator = new float[Math.multiplyExact(rows, dim)];
  }

  @Override
  public java.util.Map<String, Object> state() {
    return java.util.Map.of("accumulator", accumulator);
  }

  @Override
  public void step(float[] params, int pOff, float[] grad, int gOff, int row, long step) {
    final float[] acc = accumulator;
    final int aOff = row * dim;
    final float lr = schedule.rateAt(step);
    final float eps = epsilon;
    for (int k = 0; k < dim; k++) {
      float g = grad[gOff + k];
      float a = acc[aOff + k] + g * g;
      acc[aOff + k] = a;
      params[pOff + k] -= lr * g / ((float) Math.sqrt(a) + eps);
    }
  }
}
