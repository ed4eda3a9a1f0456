package org.totalrecall.data;

import java.util.Locale;

/**
 * What a reader does with a test or negative-candidate entry whose user or item never appears in
 * the training file(s). Every such entry is counted in {@link LoadReport#unknownIds()} whatever the
 * policy. Layouts without a test split (MovieLens, DELIMITED, SEQUENCE) never consult it.
 */
public enum UnknownIdPolicy {
  /**
   * The default. Ids seen only in test (or NCF negatives) join the index with empty training rows;
   * the report counts them as {@link LoadReport#testOnlyUsers()} / {@link
   * LoadReport#testOnlyItems()}. This is what NCF's ML-1M needs: 2 of its 3,706 items occur only in
   * test rows.
   */
  KEEP,
  /** Such an entry is an {@link InteractionFormatException} naming file, line and field. */
  REJECT,
  /**
   * Such a test row (or a single negative candidate, or a whole negatives row whose user is
   * unknown) is left out; the index holds training ids only.
   */
  DROP;

  /** Parses a CLI value ({@code keep}, {@code reject}, {@code drop}; case-insensitive). */
  public static UnknownIdPolicy parse(String value) {
    for (UnknownIdPolicy p : values()) {
      if (p.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown unknown-id policy \"" + value + "\"; valid values: keep, reject, drop");
  }

  /** The CLI spelling, lower case. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
