package org.totalrecall.train;

import org.totalrecall.util.Checks;

/** Plain stochastic gradient descent: w ← w − η(t)·g, η(t) from the schedule. Stateless per row. */
public final class SgdOptimizer implements RowOptimizer {
  private final int dim;
  private final LearningRateSchedule schedule;

  public SgdOptimizer(int dim, LearningRateSchedule schedule) {
    this.dim = Checks.positive("dim", dim);
    this.schedule = Checks.notNull("schedule", schedule);
  }

  /** η at global step {@code step}. */
  public float rate(long step) {
    return schedule.rateAt(step);
  }

  @Override
  public void step(float[] params, int pOff, float[] grad, int gOff, int row, long step) {
    final float lr = schedule.rateAt(step);
    for (int k = 0; k < dim; k++) {
      params[pOff + k] -= lr * grad[gOff + k];
    }
  }
}
