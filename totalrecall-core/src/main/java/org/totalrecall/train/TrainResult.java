package org.totalrecall.train;

import org.totalrecall.model.FactorModel;
import org.totalrecall.util.Checks;

/**
 * A trained model (metadata: {@code "config"} and {@code "training"} maps; {@code seen} = the
 * training interactions) and the summary of the run that produced it.
 */
public record TrainResult(FactorModel model, TrainingSummary summary) {
  public TrainResult {
    Checks.notNull("model", model);
    Checks.notNull("summary", summary);
  }
}
