package org.totalrecall.train;

import java.util.Map;
import org.totalrecall.model.FactorModel;

/**
 * Measures a model on held-out data during training, for early stopping, best-model keeping and the
 * convergence log. Higher values of {@link #monitoredMetric()} are better.
 */
public interface Validator {
  /**
   * Returns metrics keyed like {@code "ndcg@10"}, {@code "hr@10"}, {@code "recall@20"}. The model
   * is a snapshot the validator may keep (its tables are copies, not the live training tables).
   * Called from the thread that called {@link Trainer#train}, never concurrently with training.
   */
  Map<String, Double> validate(FactorModel model);

  /**
   * The key of the metric early stopping and best-model keeping follow; must be in every result.
   */
  default String monitoredMetric() {
    return "ndcg@10";
  }
}
