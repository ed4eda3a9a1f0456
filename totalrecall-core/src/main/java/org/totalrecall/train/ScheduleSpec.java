package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.totalrecall.util.Checks;

/**
 * The learning-rate schedule: η, constant or decaying linearly towards 0 over all steps ({@link
 * LearningRateSchedule}).
 *
 * @param learningRate η &gt; 0 (the initial one when decaying)
 * @param decay CONSTANT or LINEAR
 */
public record ScheduleSpec(float learningRate, LearningRateSchedule.Decay decay) {
  public ScheduleSpec {
    Checks.positive("learningRate", learningRate);
    Checks.notNull("learningRateDecay", decay);
  }

  /** The schedule over {@code totalSteps} steps. */
  public LearningRateSchedule create(long totalSteps) {
    return new LearningRateSchedule(learningRate, decay, totalSteps);
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("learningRate", MapValues.decimal(learningRate));
    m.put("decay", decay.name().toLowerCase(Locale.ROOT));
    return m;
  }

  static ScheduleSpec fromMap(Map<String, ?> m) {
    return new ScheduleSpec(
        MapValues.real(m, "learningRate"),
        LearningRateSchedule.Decay.valueOf(MapValues.string(m, "decay").toUpperCase(Locale.ROOT)));
  }
}
