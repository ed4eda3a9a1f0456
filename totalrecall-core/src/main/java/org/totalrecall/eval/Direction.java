package org.totalrecall.eval;

/**
 * Which way a protocol retrieves: items for a user ({@code U2I}) or users for an item or item group
 * ({@code I2U}).
 */
public enum Direction {
  /** Queries are users, candidates are items. */
  U2I,
  /** Queries are items (or item groups), candidates are users. */
  I2U;

  /** The lower-case name used in reports: "u2i" or "i2u". */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
