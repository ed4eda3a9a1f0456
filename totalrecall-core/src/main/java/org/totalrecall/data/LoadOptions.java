package org.totalrecall.data;

import java.util.Locale;
import org.totalrecall.util.Checks;

/**
 * How {@link DataLoader} reads interaction files: the policies for duplicates and for test ids
 * unseen in training, and, for {@link DataFormat#DELIMITED} files, the delimiter, header and
 * columns. Immutable; validated on construction (messages name the field).
 *
 * <p>Column references ({@link #userColumn()} etc.) are either a 0-based column index written in
 * decimal ({@code "2"}) or a header name matched case-insensitively ({@code "MovieID"}); null means
 * the default: header names matched against {@code user, userid, user_id} / {@code item, itemid,
 * item_id, movieid, movie_id} / {@code weight, rating, count} / {@code timestamp, time, ts}, or,
 * without a header, columns 0, 1, [2], [3] (weight and timestamp only when the rows have that many
 * fields). {@code "none"} turns the optional weight or timestamp column off.
 *
 * @param duplicatePolicy what to do with repeated (user, item) pairs (all formats)
 * @param unknownIdPolicy what to do with test/negative ids absent from training (NCF, LightGCN)
 * @param delimiter the field separator of DELIMITED files ({@link Delimiter#AUTO} detects it)
 * @param header whether DELIMITED files start with a header line
 * @param userColumn user column reference, or null for the default
 * @param itemColumn item column reference, or null for the default
 * @param weightColumn weight column reference, {@code "none"}, or null for the default
 * @param timestampColumn timestamp column reference, {@code "none"}, or null for the default
 * @param idOrder how dense indices are assigned to external ids (all formats)
 */
public record LoadOptions(
    DuplicatePolicy duplicatePolicy,
    UnknownIdPolicy unknownIdPolicy,
    Delimiter delimiter,
    HeaderMode header,
    String userColumn,
    String itemColumn,
    String weightColumn,
    String timestampColumn,
    IdOrder idOrder) {

  /** The value of {@link #weightColumn()} or {@link #timestampColumn()} that turns it off. */
  public static final String NONE = "none";

  /** Field separators of DELIMITED files. */
  public enum Delimiter {
    /**
     * Detect from the first non-blank line: {@code ::} if present, else tab, else comma, else
     * semicolon, else runs of spaces.
     */
    AUTO,
    /** A tab. */
    TAB,
    /** A comma. */
    COMMA,
    /** A semicolon. */
    SEMICOLON,
    /** Runs of spaces and tabs; leading and trailing whitespace is ignored. */
    WHITESPACE,
    /** The MovieLens {@code ::}. */
    DOUBLE_COLON;

    /**
     * Parses a CLI value: auto, tab, comma, semicolon, whitespace, double-colon, or the literal
     * "\t", ",", ";", "::".
     */
    public static Delimiter parse(String value) {
      String v = value == null ? "" : value;
      return switch (v) {
        case "\t", "\\t" -> TAB;
        case "," -> COMMA;
        case ";" -> SEMICOLON;
        case "::" -> DOUBLE_COLON;
        case " " -> WHITESPACE;
        default -> {
          String n = v.trim().toUpperCase(Locale.ROOT).replace('-', '_');
          for (Delimiter d : values()) {
            if (d.name().equals(n)) {
              yield d;
            }
          }
          throw new IllegalArgumentException(
              "unknown delimiter \""
                  + value
                  + "\"; valid values: auto, tab, comma, semicolon, whitespace, double-colon");
        }
      };
    }
  }

  /** Whether a DELIMITED file starts with a header line. */
  public enum HeaderMode {
    /**
     * A header is present iff the user and item columns can both be found by name in the first
     * non-blank line (given names, or the default names listed on {@link LoadOptions}).
     */
    AUTO,
    /** The first non-blank line is a header. */
    PRESENT,
    /** Every non-blank line is data. */
    ABSENT
  }

  /** How dense indices are assigned to external ids once a load has seen them all. */
  public enum IdOrder {
    /**
     * If every id of a kind (users, or items) is a canonical non-negative decimal integer, dense
     * indices follow numeric order, so ids 0..n-1 map to themselves (NCF, LightGCN); otherwise
     * order of first appearance. The default.
     */
    NUMERIC,
    /**
     * Order of first appearance in the files, in reading order (train, then test, then negatives).
     */
    FIRST_APPEARANCE
  }

  /** Validates every field; messages name the field. */
  public LoadOptions {
    Checks.notNull("duplicatePolicy", duplicatePolicy);
    Checks.notNull("unknownIdPolicy", unknownIdPolicy);
    Checks.notNull("delimiter", delimiter);
    Checks.notNull("header", header);
    Checks.notNull("idOrder", idOrder);
    checkColumn("userColumn", userColumn, false);
    checkColumn("itemColumn", itemColumn, false);
    checkColumn("weightColumn", weightColumn, true);
    checkColumn("timestampColumn", timestampColumn, true);
    if (header == HeaderMode.ABSENT) {
      for (String c : new String[] {userColumn, itemColumn, weightColumn, timestampColumn}) {
        if (c != null && !isIndex(c) && !NONE.equalsIgnoreCase(c)) {
          throw new IllegalArgumentException(
              "column \"" + c + "\" is a name, but header is ABSENT: use a 0-based column index");
        }
      }
    }
  }

  private static void checkColumn(String name, String value, boolean optional) {
    if (value == null) {
      return;
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    if (!optional && NONE.equalsIgnoreCase(value)) {
      throw new IllegalArgumentException(name + " cannot be \"none\": the column is required");
    }
    if (isIndex(value) && value.length() > 9) {
      throw new IllegalArgumentException(name + " index is too large, got " + value);
    }
  }

  /** True if a column reference is a 0-based index (decimal digits only). */
  static boolean isIndex(String column) {
    if (column.isEmpty()) {
      return false;
    }
    for (int i = 0; i < column.length(); i++) {
      char c = column.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * SUM duplicates, KEEP test-only ids, auto-detected delimiter and header, default columns,
   * NUMERIC id order.
   */
  public static LoadOptions defaults() {
    return new LoadOptions(
        DuplicatePolicy.SUM,
        UnknownIdPolicy.KEEP,
        Delimiter.AUTO,
        HeaderMode.AUTO,
        null,
        null,
        null,
        null,
        IdOrder.NUMERIC);
  }

  /** A copy with {@code duplicatePolicy} replaced. */
  public LoadOptions withDuplicatePolicy(DuplicatePolicy duplicatePolicy) {
    return new LoadOptions(
        duplicatePolicy,
        unknownIdPolicy,
        delimiter,
        header,
        userColumn,
        itemColumn,
        weightColumn,
        timestampColumn,
        idOrder);
  }

  /** A copy with {@code unknownIdPolicy} replaced. */
  public LoadOptions withUnknownIdPolicy(UnknownIdPolicy unknownIdPolicy) {
    return new LoadOptions(
        duplicatePolicy,
        unknownIdPolicy,
        delimiter,
        header,
        userColumn,
        itemColumn,
        weightColumn,
        timestampColumn,
        idOrder);
  }

  /** A copy with {@code delimiter} replaced. */
  public LoadOptions withDelimiter(Delimiter delimiter) {
    return new LoadOptions(
        duplicatePolicy,
        unknownIdPolicy,
        delimiter,
        header,
        userColumn,
        itemColumn,
        weightColumn,
        timestampColumn,
        idOrder);
  }

  /** A copy with {@code header} replaced. */
  public LoadOptions withHeader(HeaderMode header) {
    return new LoadOptions(
        duplicatePolicy,
        unknownIdPolicy,
        delimiter,
        header,
        userColumn,
        itemColumn,
        weightColumn,
        timestampColumn,
        idOrder);
  }

  /** A copy with all four column references replaced (each may be null for the default). */
  public LoadOptions withColumns(
      String userColumn, String itemColumn, String weightColumn, String timestampColumn) {
    return new LoadOptions(
        duplicatePolicy,
        unknownIdPolicy,
        delimiter,
        header,
        userColumn,
        itemColumn,
        weightColumn,
        timestampColumn,
        idOrder);
  }

  /** A copy with {@code idOrder} replaced. */
  public LoadOptions withIdOrder(IdOrder idOrder) {
    return new LoadOptions(
        duplicatePolicy,
        unknownIdPolicy,
        delimiter,
        header,
        userColumn,
        itemColumn,
        weightColumn,
        timestampColumn,
        idOrder);
  }
}
