package org.totalrecall.data;

import java.util.Locale;

/**
 * What a reader does with a row repeating an earlier (user, item) pair of the same part (train or
 * test). Whatever the policy, every repeat is counted in {@link LoadReport#duplicates()}.
 *
 * <p>Files without a weight column (NCF, LightGCN, SEQUENCE, DELIMITED without weight) give
 * unit-weight interactions: there SUM, MAX and FIRST all keep one interaction of weight 1 and
 * differ only in the timestamp kept.
 */
public enum DuplicatePolicy {
  /**
   * One interaction whose weight is the sum of the rows' weights and whose timestamp is the latest.
   */
  SUM,
  /** One interaction with the largest weight; timestamp of the first row holding it. */
  MAX,
  /** Keep the first row (weight and timestamp); later repeats are counted and skipped. */
  FIRST,
  /** A repeat is an {@link InteractionFormatException} naming its line and the earlier line. */
  REJECT;

  /**
   * Parses a CLI value ({@code sum}, {@code max}, {@code first}, {@code reject}; case-insensitive).
   */
  public static DuplicatePolicy parse(String value) {
    for (DuplicatePolicy p : values()) {
      if (p.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown duplicate policy \"" + value + "\"; valid values: sum, max, first, reject");
  }

  /** The CLI spelling, lower case. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
