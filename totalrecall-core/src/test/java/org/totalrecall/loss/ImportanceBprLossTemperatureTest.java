package org.totalrecall.loss;

/**
 * The contract and the finite differences of {@link ImportanceBprLoss} with weights at temperature
 * 0.5 (ŵ ∝ exp(2s − log Q)); the reference divides the scores in its weights by the same T.
 */
class ImportanceBprLossTemperatureTest extends ImportanceBprLossTest {
  @Override
  RowObjective create() {
    return new ImportanceBprLoss(0.5);
  }

  @Override
  double temperature() {
    return 0.5;
  }
}
