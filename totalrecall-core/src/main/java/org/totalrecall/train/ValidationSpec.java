package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.totalrecall.util.Checks;

/**
 * Validation and early stopping, used when a {@link Validator} is given: validate every {@code
 * evalEvery} epochs (and after the last), also every {@code evalEveryRecords} records within epochs
 * if set, stop after {@code patience} validations without improvement (0 = never), and return the
 * best validated tables if {@code keepBest}.
 *
 * @param evalEvery epochs between validations, ≥ 1
 * @param evalEveryRecords records between validations within epochs; 0 = off
 * @param patience validations without improvement before stopping; 0 = never stop early
 * @param keepBest return the best validated tables instead of the last ones
 */
public record ValidationSpec(int evalEvery, long evalEveryRecords, int patience, boolean keepBest) {
  public ValidationSpec {
    Checks.positive("evalEvery", evalEvery);
    if (evalEveryRecords < 0) {
      throw new IllegalArgumentException("evalEveryRecords must be >= 0, got " + evalEveryRecords);
    }
    Checks.nonNegative("patience", patience);
  }

  public ValidationSpec withEvalEvery(int v) {
    return new ValidationSpec(v, evalEveryRecords, patience, keepBest);
  }

  public ValidationSpec withEvalEveryRecords(long v) {
    return new ValidationSpec(evalEvery, v, patience, keepBest);
  }

  public ValidationSpec withPatience(int v) {
    return new ValidationSpec(evalEvery, evalEveryRecords, v, keepBest);
  }

  public ValidationSpec withKeepBest(boolean v) {
    return new ValidationSpec(evalEvery, evalEveryRecords, patience, v);
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("evalEvery", evalEvery);
    m.put("evalEveryRecords", evalEveryRecords);
    m.put("patience", patience);
    m.put("keepBest", keepBest);
    return m;
  }

  static ValidationSpec fromMap(Map<String, ?> m) {
    return new ValidationSpec(
        MapValues.integer(m, "evalEvery"),
        MapValues.longInteger(m, "evalEveryRecords"),
        MapValues.integer(m, "patience"),
        MapValues.bool(m, "keepBest"));
  }
}
