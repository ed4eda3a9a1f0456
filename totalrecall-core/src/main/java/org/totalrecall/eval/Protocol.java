package org.totalrecall.eval;

import java.util.Locale;

/**
 * The evaluation protocols of PROTOCOLS.md. Each names how the data is split into a training and a
 * test part, which way retrieval goes, and which candidates a query is ranked against.
 */
public enum Protocol {
  /**
   * Sampled leave-one-out over a fixed NCF split (He et al. 2017): positive + 99 listed negatives.
   */
  NCF("ncf", Direction.U2I, false),
  /** Full ranking over a fixed train/test split (LightGCN/NGCF layout). */
  FULL("full", Direction.U2I, false),
  /** Leave-last-out by time: last = test, second-last = validation, rest = train. */
  LOO("loo", Direction.U2I, true),
  /** Per-user seeded random holdout of a fraction of the interactions (AdaSIR, OneBP). */
  RANDOM_SPLIT("random-split", Direction.U2I, true),
  /**
   * Potential users of one item (TotalRecall sec. 5.2): seeded 1% of each popular item's users held
   * out.
   */
  PUMS("pums", Direction.I2U, true),
  /** Potential users of a group of items (TotalRecall A.7.2): genre × popularity groups. */
  PUMS_GROUP("pums-group", Direction.I2U, true);

  private final String cliName;
  private final Direction direction;
  private final boolean selfSplitting;

  Protocol(String cliName, Direction direction, boolean selfSplitting) {
    this.cliName = cliName;
    this.direction = direction;
    this.selfSplitting = selfSplitting;
  }

  /** The name on the command line and in reports, e.g. "random-split". */
  public String cliName() {
    return cliName;
  }

  /** Which way the protocol retrieves. */
  public Direction direction() {
    return direction;
  }

  /**
   * True if the protocol makes its own split from the data (and, where it draws anything at random,
   * from a seed), false if it uses the fixed split of the data files (ncf, full).
   */
  public boolean selfSplitting() {
    return selfSplitting;
  }

  /**
   * Parses a command-line value ({@code ncf, full, loo, random-split, pums, pums-group};
   * case-insensitive, '_' accepted for '-').
   *
   * @throws IllegalArgumentException naming the value and listing the valid ones
   */
  public static Protocol parse(String value) {
    if (value != null) {
      String v = value.strip().toLowerCase(Locale.ROOT).replace('_', '-');
      for (Protocol p : values()) {
        if (p.cliName.equals(v)) {
          return p;
        }
      }
    }
    StringBuilder valid = new StringBuilder();
    for (Protocol p : values()) {
      valid.append(valid.length() == 0 ? "" : ", ").append(p.cliName);
    }
    throw new IllegalArgumentException(
        "unknown protocol \"" + value + "\"; valid protocols: " + valid);
  }

  @Override
  public String toString() {
    return cliName;
  }
}
