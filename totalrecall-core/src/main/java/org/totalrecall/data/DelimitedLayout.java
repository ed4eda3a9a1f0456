package org.totalrecall.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Works out how a DELIMITED file is laid out (delimiter, header, which column is what) from {@link
 * LoadOptions} and the file's first non-blank line; see the rules on {@link LoadOptions}. Without a
 * header the first row fixes the field count every row must have; with a header, the header does.
 * Stateless.
 */
final class DelimitedLayout {
  static final List<String> USER_NAMES = List.of("user", "userid", "user_id");
  static final List<String> ITEM_NAMES =
      List.of("item", "itemid", "item_id", "movieid", "movie_id");
  static final List<String> WEIGHT_NAMES = List.of("weight", "rating", "count");
  static final List<String> TIMESTAMP_NAMES = List.of("timestamp", "time", "ts");

  private DelimitedLayout() {}

  /** The resolved layout: how to split, and the columns. */
  record Layout(LoadOptions.Delimiter delimiter, RowReader.Columns columns) {}

  static Layout resolve(Path file, LoadOptions options) throws IOException {
    String first = null;
    long firstLine = 0;
    try (LineReader in = LineReader.open(file)) {
      while (in.next()) {
        if (!in.isBlank()) {
          first =
              new String(in.buffer(), in.start(), in.end() - in.start(), StandardCharsets.UTF_8);
          firstLine = in.lineNumber();
          break;
        }
      }
    }
    LoadOptions.Delimiter delimiter = options.delimiter();
    if (delimiter == LoadOptions.Delimiter.AUTO) {
      delimiter = first == null ? LoadOptions.Delimiter.WHITESPACE : detectDelimiter(first);
    }
    if (first == null) {
      return new Layout(
          delimiter,
          new RowReader.Columns(
              new String[] {"user", "item"}, 0, 1, -1, -1, -1, false, false, false));
    }
    FieldSplitter splitter = new FieldSplitter(delimiter, true);
    byte[] bytes = first.getBytes(StandardCharsets.UTF_8);
    int n = splitter.split(bytes, 0, bytes.length);
    if (splitter.unterminatedQuote() != null) {
      throw new InteractionFormatException(
          file, firstLine, "column " + n, splitter.unterminatedQuote());
    }
    List<String> fields = new ArrayList<>(n);
    for (int f = 0; f < n; f++) {
      fields.add(splitter.text(bytes, f, StandardCharsets.UTF_8));
    }
    String name = InteractionFormatException.displayName(file);
    boolean header =
        switch (options.header()) {
          case PRESENT -> true;
          case ABSENT -> false;
          case AUTO ->
              matchesName(fields, options.userColumn(), USER_NAMES) >= 0
                  && matchesName(fields, options.itemColumn(), ITEM_NAMES) >= 0;
        };
    int user;
    int item;
    int weight;
    int timestamp;
    if (header) {
      user = column(name, fields, "userColumn", options.userColumn(), USER_NAMES, 0, true);
      item = column(name, fields, "itemColumn", options.itemColumn(), ITEM_NAMES, 1, true);
      weight =
          column(name, fields, "weightColumn", options.weightColumn(), WEIGHT_NAMES, -1, false);
      timestamp =
          column(
              name,
              fields,
              "timestampColumn",
              options.timestampColumn(),
              TIMESTAMP_NAMES,
              -1,
              false);
    } else {
      if (n < 2 && options.userColumn() == null && options.itemColumn() == null) {
        // a data row (there is no header) without the two id columns: a row error like any other
        throw new InteractionFormatException(
            file,
            firstLine,
            "item",
            "is missing: expected at least 2 fields (user, item), got " + n);
      }
      user = indexColumn(name, n, "userColumn", options.userColumn(), 0);
      item = indexColumn(name, n, "itemColumn", options.itemColumn(), 1);
      weight = indexColumn(name, n, "weightColumn", options.weightColumn(), n > 2 ? 2 : -1);
      timestamp =
          indexColumn(name, n, "timestampColumn", options.timestampColumn(), n > 3 ? 3 : -1);
    }
    if (user == item
        || (weight >= 0 && (weight == user || weight == item))
        || (timestamp >= 0 && (timestamp == user || timestamp == item || timestamp == weight))) {
      throw new IllegalArgumentException(
          name
              + ": user, item, weight and timestamp must be different columns, got "
              + user
              + ", "
              + item
              + ", "
              + weight
              + ", "
              + timestamp
              + " (0-based; -1 = none)");
    }
    String[] names = new String[n];
    for (int f = 0; f < n; f++) {
      names[f] = header ? fields.get(f) : "column " + (f + 1);
    }
    names[user] = "user";
    names[item] = "item";
    if (weight >= 0) {
      names[weight] = "weight";
    }
    if (timestamp >= 0) {
      names[timestamp] = "timestamp";
    }
    return new Layout(
        delimiter,
        new RowReader.Columns(names, user, item, weight, timestamp, -1, false, false, header));
  }

  /**
   * Detects the delimiter of a line: "::", else tab, else comma, else semicolon, else whitespace.
   */
  static LoadOptions.Delimiter detectDelimiter(String line) {
    if (line.contains("::")) {
      return LoadOptions.Delimiter.DOUBLE_COLON;
    }
    if (line.indexOf('\t') >= 0) {
      return LoadOptions.Delimiter.TAB;
    }
    if (line.indexOf(',') >= 0) {
      return LoadOptions.Delimiter.COMMA;
    }
    if (line.indexOf(';') >= 0) {
      return LoadOptions.Delimiter.SEMICOLON;
    }
    return LoadOptions.Delimiter.WHITESPACE;
  }

  /**
   * Index of the first field matching the option (a name, or an index whose field has a known
   * name), or -1.
   */
  private static int matchesName(List<String> fields, String option, List<String> known) {
    if (option != null && LoadOptions.isIndex(option)) {
      int idx = Integer.parseInt(option);
      return idx < fields.size() && known.contains(fields.get(idx).trim().toLowerCase(Locale.ROOT))
          ? idx
          : -1;
    }
    for (int f = 0; f < fields.size(); f++) {
      String h = fields.get(f).trim();
      if (option != null
          ? h.equalsIgnoreCase(option)
          : known.contains(h.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    return -1;
  }

  private static int column(
      String file,
      List<String> fields,
      String optionName,
      String option,
      List<String> known,
      int fallback,
      boolean required) {
    if (option != null && LoadOptions.NONE.equalsIgnoreCase(option)) {
      return -1;
    }
    if (option != null && LoadOptions.isIndex(option)) {
      return checkIndex(file, fields.size(), optionName, Integer.parseInt(option));
    }
    int found = matchesName(fields, option, known);
    if (found >= 0) {
      return found;
    }
    if (option != null) {
      throw new IllegalArgumentException(
          optionName
              + " \""
              + option
              + "\" is not a column of "
              + file
              + "; its header is "
              + fields);
    }
    if (required && fallback < fields.size()) {
      return fallback;
    }
    if (required) {
      throw new IllegalArgumentException(
          file
              + ": the header "
              + fields
              + " has no "
              + optionName.replace("Column", "")
              + " column (names tried: "
              + known
              + ") and too few columns for position "
              + fallback);
    }
    return -1;
  }

  private static int indexColumn(
      String file, int n, String optionName, String option, int fallback) {
    if (option == null) {
      if (fallback >= n) {
        throw new IllegalArgumentException(
            file
                + ": the first row has "
                + n
                + " field(s); need at least "
                + (fallback + 1)
                + " for the default "
                + optionName.replace("Column", "")
                + " column "
                + fallback);
      }
      return fallback;
    }
    if (LoadOptions.NONE.equalsIgnoreCase(option)) {
      return -1;
    }
    if (!LoadOptions.isIndex(option)) {
      throw new IllegalArgumentException(
          optionName
              + " \""
              + option
              + "\" is a name, but the first line of "
              + file
              + " is not a header (it has no user and item column names); use a 0-based index or set the header to PRESENT");
    }
    return checkIndex(file, n, optionName, Integer.parseInt(option));
  }

  private static int checkIndex(String file, int n, String optionName, int idx) {
    if (idx >= n) {
      throw new IllegalArgumentException(
          optionName
              + " "
              + idx
              + " is out of range: the first line of "
              + file
              + " has "
              + n
              + " fields (0-based indices 0.."
              + (n - 1)
              + ")");
    }
    return idx;
  }
}
