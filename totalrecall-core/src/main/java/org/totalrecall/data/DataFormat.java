package org.totalrecall.data;

import java.util.Locale;

/**
 * The input layouts TotalRecall reads; {@code --format} names them in lower case with dashes
 * ({@link #cliName()}, {@link #parse(String)}).
 */
public enum DataFormat {
  /** NCF leave-one-out: {@code *.train.rating}, {@code *.test.rating}, {@code *.test.negative}. */
  NCF,
  /**
   * LightGCN adjacency lists: {@code train.txt} / {@code test.txt}, lines {@code user item item
   * ...}.
   */
  LIGHTGCN,
  /** MovieLens {@code ratings.dat}: {@code UserID::MovieID::Rating::Timestamp}. */
  MOVIELENS_DAT,
  /** MovieLens-100k {@code u.data}: tab-separated user, item, rating, timestamp. */
  MOVIELENS_UDATA,
  /** Delimited text with a header or column flags: user, item, optional weight and timestamp. */
  DELIMITED,
  /**
   * Sequential data (SASRec's {@code Video.txt}): one {@code user item} line per action, whitespace
   * separated, integer ids, already in time order within each user. There are no timestamps in the
   * file: the timestamp of an interaction is its 1-based line number, so that sorting a user's
   * interactions by time restores the file order.
   */
  SEQUENCE,
  /**
   * Apache Parquet: one {@code *.parquet} file, or a directory of part files; user, item and
   * optional weight and timestamp columns by name (see {@link LoadOptions}).
   */
  PARQUET;

  /** The {@code --format} spelling: lower case with dashes, e.g. {@code movielens-dat}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses a {@code --format} value (case-insensitive; dashes or underscores).
   *
   * @throws IllegalArgumentException naming the value and listing the valid ones
   */
  public static DataFormat parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (DataFormat f : values()) {
      if (f.cliName().equals(v)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown format \"" + value + "\"; valid values: " + validValues());
  }

  /** The valid {@code --format} values, comma separated. */
  public static String validValues() {
    StringBuilder sb = new StringBuilder();
    for (DataFormat f : values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(f.cliName());
    }
    return sb.toString();
  }
}
