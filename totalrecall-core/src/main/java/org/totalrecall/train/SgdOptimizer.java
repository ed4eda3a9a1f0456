package org.totalrecall.train;

import org.totalrecall.util.Checks;

/** Plain stochastic gradient descent: w ← w − η·g, with a constant rate η. Stateless per row. */
public final class SgdOptimizer implements RowOptimizer {
  private final int dim;
  private final float learningRate;

  public SgdOptimizer(int dim, float learningRate) {
    this.dim = Checks.positive("dim", dim);
    this.learningRate = Checks.positive("learningRate", learningRate);
  }

  @Override
  public void step(float[] params, int pOff, float[] grad, int gOff, int row, long step) {
    final float lr = learningRate;
    for (int k = 0; k < dim; k++) {
      params[pOff + k] -= lr * grad[gOff + k];
    }
  }
}
