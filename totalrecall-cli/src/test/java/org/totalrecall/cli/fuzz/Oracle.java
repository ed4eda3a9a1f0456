package org.totalrecall.cli.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The contract's reading of the data formats, written independently of the project's parsers (whole
 * file decoded at once, lines and fields split with plain String methods): for a {@link Sample},
 * either the load report an accepting reader must produce, or where the first error must be
 * reported.
 *
 * <p>Lines split on {@code \n}; one trailing {@code \r} is stripped; any other {@code \r} makes the
 * line an error; a UTF-8 BOM at the start of the file is skipped; a line that is not valid UTF-8 is
 * an error; a blank line is empty or only spaces and tabs. Gzip (magic 1f 8b) is read with {@link
 * Gzip#gunzip} (all members; anything else after a member, truncation or corruption is an error
 * naming the file). A training file without interactions is an error naming the file. Ids of the
 * integer formats are 1 to 18 ASCII digits ({@code 007} is 7); timestamps an optional sign and 1 to
 * 18 digits; weights (MovieLens ratings, delimited weights) finite floats > 0; NCF ratings finite
 * floats. Duplicates SUM (counted), unknown test ids KEEP (counted).
 */
final class Oracle {
  private Oracle() {}

  /**
   * Where an error must be reported: a file and 1-based line, or line 0 for "anywhere in this
   * file".
   */
  record Loc(String file, long line) {
    @Override
    public String toString() {
      return line == 0 ? file : file + ":" + line;
    }
  }

  /**
   * The required outcome: the load report's counts (accept), or the acceptable error locations
   * (reject) and why.
   */
  record Expected(Map<String, Long> counts, List<Loc> errors, String reason) {
    boolean accepts() {
      return counts != null;
    }

    @Override
    public String toString() {
      return accepts() ? "accept " + counts : "reject at " + errors + " (" + reason + ")";
    }
  }

  /** The first error found. */
  static final class Reject extends Exception {
    private static final long serialVersionUID = 1L;
    final Loc loc;
    final String reason;

    Reject(Loc loc, String reason) {
      super(loc + ": " + reason, null, false, false);
      this.loc = loc;
      this.reason = reason;
    }
  }

  /**
   * A physical line: its text (null if it has a problem), whether it is blank, and its problem or
   * null.
   */
  record Line(long number, String text, boolean blank, String problem) {}

  static Expected expect(Sample s) {
    return switch (s.reader()) {
      case NCF -> ncf(s);
      case LIGHTGCN -> lightGcn(s);
      case MOVIELENS_DAT, MOVIELENS_UDATA, SEQUENCE -> rows(s);
      case DELIMITED -> delimited(s);
    };
  }

  // ---------------------------------------------------------------- lines and fields

  static List<Line> lines(String name, byte[] raw) throws Reject {
    byte[] c = raw;
    if (Gzip.isGzip(raw)) {
      Gzip.Decoded d = Gzip.gunzip(raw);
      if (d.problem() != null) {
        String p = d.problem();
        String reason =
            p.startsWith("trailing")
                ? "gzip-trailing-bytes"
                : p.contains("truncated")
                    ? "gzip-truncated"
                    : p.contains("reserved") ? "gzip-reserved-flag" : "gzip-corrupt";
        throw new Reject(new Loc(name, 0), reason);
      }
      c = d.content();
    }
    List<Line> out = new ArrayList<>();
    int i = 0;
    long number = 0;
    while (i < c.length) {
      int nl = i;
      while (nl < c.length && c[nl] != '\n') {
        nl++;
      }
      number++;
      int s = i;
      if (number == 1
          && nl - s >= 3
          && (c[s] & 0xFF) == 0xEF
          && (c[s + 1] & 0xFF) == 0xBB
          && (c[s + 2] & 0xFF) == 0xBF) {
        s += 3;
      }
      int e = nl;
      if (e > s && c[e - 1] == '\r') {
        e--;
      }
      String problem = null;
      for (int k = s; k < e; k++) {
        if (c[k] == '\r') {
          problem = "cr-in-line";
        }
      }
      String text = null;
      if (problem == null) {
        text = strictUtf8(c, s, e);
        if (text == null) {
          problem = "invalid-utf8";
        }
      }
      boolean blank = text != null && isBlank(text);
      out.add(new Line(number, text, blank, problem));
      i = nl + 1;
    }
    return out;
  }

  private static String strictUtf8(byte[] b, int s, int e) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, s, e - s))
          .toString();
    } catch (CharacterCodingException ex) {
      return null;
    }
  }

  private static boolean isBlank(String s) {
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  private static Reject reject(String file, Line l, String reason) {
    return new Reject(new Loc(file, l.number()), reason);
  }

  /** Strips spaces (only spaces) from both ends, as the single-character splitters do. */
  static String trimSpaces(String f) {
    int a = 0;
    int b = f.length();
    while (a < b && f.charAt(a) == ' ') {
      a++;
    }
    while (b > a && f.charAt(b - 1) == ' ') {
      b--;
    }
    return f.substring(a, b);
  }

  /** Fields separated by the literal {@code d}, each trimmed of spaces (no quoting). */
  static List<String> splitLiteral(String line, String d) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (true) {
      int j = line.indexOf(d, i);
      if (j < 0) {
        out.add(trimSpaces(line.substring(i)));
        return out;
      }
      out.add(trimSpaces(line.substring(i, j)));
      i = j + d.length();
    }
  }

  /** Fields separated by runs of spaces and tabs, ignoring leading and trailing ones. */
  static List<String> splitWhitespace(String line) {
    List<String> out = new ArrayList<>();
    for (String f : line.split("[ \t]+", -1)) {
      if (!f.isEmpty()) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * RFC 4180-style fields separated by {@code d}: a field may be in double quotes ({@code ""}
   * inside is one quote); unquoted fields are trimmed of spaces; a quoted field must be closed and
   * followed (after spaces) by the delimiter or the end.
   *
   * @return the fields, or null if the quoting is broken
   */
  static List<String> splitQuoted(String line, char d) {
    List<String> out = new ArrayList<>();
    int n = line.length();
    int i = 0;
    while (true) {
      int s = i;
      while (s < n && line.charAt(s) == ' ') {
        s++;
      }
      if (s < n && line.charAt(s) == '"') {
        StringBuilder sb = new StringBuilder();
        int q = s + 1;
        boolean closed = false;
        while (q < n) {
          char c = line.charAt(q);
          if (c == '"') {
            if (q + 1 < n && line.charAt(q + 1) == '"') {
              sb.append('"');
              q += 2;
              continue;
            }
            closed = true;
            break;
          }
          sb.append(c);
          q++;
        }
        if (!closed) {
          return null;
        }
        out.add(sb.toString());
        int j = q + 1;
        while (j < n && line.charAt(j) == ' ') {
          j++;
        }
        if (j >= n) {
          return out;
        }
        if (line.charAt(j) != d) {
          return null;
        }
        i = j + 1;
        if (i == n) {
          out.add("");
          return out;
        }
        continue;
      }
      int e = line.indexOf(d, s);
      if (e < 0) {
        out.add(trimSpaces(line.substring(s)));
        return out;
      }
      out.add(trimSpaces(line.substring(s, e)));
      i = e + 1;
      if (i == n) {
        out.add("");
        return out;
      }
    }
  }

  /** An id of the integer formats: 1 to 18 ASCII digits. */
  static boolean isIntegerId(String f) {
    if (f.isEmpty() || f.length() > 18) {
      return false;
    }
    for (int k = 0; k < f.length(); k++) {
      if (f.charAt(k) < '0' || f.charAt(k) > '9') {
        return false;
      }
    }
    return true;
  }

  /** The identity of an integer id: its value ({@code 007} and {@code 7} are one id). */
  static String canonical(String f) {
    return Long.toString(Long.parseLong(f));
  }

  /** A timestamp: an optional sign and 1 to 18 ASCII digits. */
  static boolean isTimestamp(String f) {
    String digits = f.startsWith("-") || f.startsWith("+") ? f.substring(1) : f;
    return isIntegerId(digits);
  }

  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  /** Null if {@code f} is a valid number (a weight must also be > 0), else the problem. */
  static String numberProblem(String f, boolean weight) {
    if (!NUMBER.matcher(f).matches()) {
      return f.isEmpty() ? "empty" : "not-a-number";
    }
    double d = Double.parseDouble(f);
    if (!Double.isFinite(d)) {
      return "non-finite";
    }
    float v = (float) d;
    if (!Float.isFinite(v)) {
      return "float-overflow";
    }
    if (weight && !(v > 0f)) {
      return "not-positive";
    }
    return null;
  }

  // ---------------------------------------------------------------- counting

  private record Pair(String user, String item) {}

  /** The counters of a load, kept the obvious way (sets of ids and pairs). */
  private static final class Tally {
    long lines;
    long rows;
    long blank;
    long header;
    long emptyRows;
    long unknownIds;
    long negativeRows;
    long negatives;
    long duplicates;
    final Set<String> users = new HashSet<>();
    final Set<String> items = new HashSet<>();
    final Set<String> trainUsers = new HashSet<>();
    final Set<String> trainItems = new HashSet<>();
    final Set<Pair> train = new HashSet<>();
    final Set<Pair> test = new HashSet<>();

    void trainUser(String u) {
      users.add(u);
      trainUsers.add(u);
    }

    /** Summed weights of the training pairs (duplicate policy SUM), for the weighted layouts. */
    final Map<Pair, Float> weights = new HashMap<>();

    /** A weighted training row: the summed weight of its pair must stay a finite float. */
    void addTrain(String u, String i, String weight, String file, Line l) throws Reject {
      float w = (float) Double.parseDouble(weight);
      Float sum = weights.merge(new Pair(u, i), w, Float::sum);
      if (Float.isInfinite(sum)) {
        throw reject(file, l, "weight-sum-overflow");
      }
      addTrain(u, i);
    }

    void addTrain(String u, String i) {
      trainUser(u);
      items.add(i);
      trainItems.add(i);
      if (!train.add(new Pair(u, i))) {
        duplicates++;
      }
    }

    void addTest(String u, String i) {
      if (!trainUsers.contains(u) || !trainItems.contains(i)) {
        unknownIds++;
      }
      users.add(u);
      items.add(i);
      if (!test.add(new Pair(u, i))) {
        duplicates++;
      }
    }

    Map<String, Long> counts() {
      Map<String, Long> m = new LinkedHashMap<>();
      m.put("lines", lines);
      m.put("rows", rows);
      m.put("blankLines", blank);
      m.put("headerLines", header);
      m.put("duplicates", duplicates);
      m.put("unknownIds", unknownIds);
      m.put("numUsers", (long) users.size());
      m.put("numItems", (long) items.size());
      m.put("trainInteractions", (long) train.size());
      m.put("testInteractions", (long) test.size());
      m.put("emptyRows", emptyRows);
      long testOnlyUsers = 0;
      for (String u : users) {
        testOnlyUsers += trainUsers.contains(u) ? 0 : 1;
      }
      long testOnlyItems = 0;
      for (String i : items) {
        testOnlyItems += trainItems.contains(i) ? 0 : 1;
      }
      m.put("testOnlyUsers", testOnlyUsers);
      m.put("testOnlyItems", testOnlyItems);
      m.put("negativeRows", negativeRows);
      m.put("negatives", negatives);
      long overlap = 0;
      for (Pair p : test) {
        overlap += train.contains(p) ? 1 : 0;
      }
      m.put("trainTestOverlap", overlap);
      return m;
    }
  }

  private static Expected accept(Tally t) {
    return new Expected(t.counts(), null, null);
  }

  /**
   * A rejection; {@code pending} (a training file without interactions) is also acceptable when
   * set.
   */
  private static Expected reject(Loc pending, String pendingReason, Reject r) {
    List<Loc> locs = new ArrayList<>();
    String reason;
    if (pending != null) {
      locs.add(pending);
      reason = r == null ? pendingReason : pendingReason + " or " + r.reason;
    } else {
      reason = r.reason;
    }
    if (r != null) {
      locs.add(r.loc);
    }
    return new Expected(null, locs, reason);
  }

  private static final String NO_INTERACTIONS = "no-interactions";

  // ---------------------------------------------------------------- formats

  /**
   * MovieLens ({@code ::} or tab, 4 fields) and SEQUENCE (whitespace, 2 fields): one file, integer
   * ids.
   */
  private static Expected rows(Sample s) {
    String name = s.reader().trainFile();
    Tally t = new Tally();
    try {
      for (Line l : lines(name, s.files().get(name))) {
        t.lines++;
        if (l.problem() != null) {
          throw reject(name, l, l.problem());
        }
        if (l.blank()) {
          t.blank++;
          continue;
        }
        t.rows++;
        List<String> f =
            switch (s.reader()) {
              case MOVIELENS_DAT -> splitLiteral(l.text(), "::");
              case MOVIELENS_UDATA -> splitLiteral(l.text(), "\t");
              default -> splitWhitespace(l.text());
            };
        int expected = s.reader() == Reader.SEQUENCE ? 2 : 4;
        if (f.size() != expected) {
          throw reject(name, l, "field-count");
        }
        if (!isIntegerId(f.get(0)) || !isIntegerId(f.get(1))) {
          throw reject(name, l, "bad-id");
        }
        if (expected == 4) {
          String p = numberProblem(f.get(2), true);
          if (p != null) {
            throw reject(name, l, "rating-" + p);
          }
          if (!isTimestamp(f.get(3))) {
            throw reject(name, l, "bad-timestamp");
          }
        }
        if (expected == 4) {
          t.addTrain(canonical(f.get(0)), canonical(f.get(1)), f.get(2), name, l);
        } else {
          t.addTrain(canonical(f.get(0)), canonical(f.get(1)));
        }
      }
    } catch (Reject r) {
      return reject(null, null, r);
    }
    if (t.train.isEmpty()) {
      return reject(new Loc(name, 0), NO_INTERACTIONS, null);
    }
    return accept(t);
  }

  private record TestRow(String user, String item, long line) {}

  private static Expected ncf(Sample s) {
    String trainName = "x.train.rating";
    String testName = "x.test.rating";
    String negName = "x.test.negative";
    Tally t = new Tally();
    Loc pending = null;
    try {
      ncfRatings(t, trainName, s.files().get(trainName), null);
      if (t.train.isEmpty()) {
        pending = new Loc(trainName, 0);
      }
      List<TestRow> testRows = new ArrayList<>();
      ncfRatings(t, testName, s.files().get(testName), testRows);
      ncfNegatives(t, negName, s.files().get(negName), testRows);
    } catch (Reject r) {
      return reject(pending, NO_INTERACTIONS, r);
    }
    if (pending != null) {
      return reject(pending, NO_INTERACTIONS, null);
    }
    return accept(t);
  }

  private static void ncfRatings(Tally t, String name, byte[] bytes, List<TestRow> testRows)
      throws Reject {
    for (Line l : lines(name, bytes)) {
      t.lines++;
      if (l.problem() != null) {
        throw reject(name, l, l.problem());
      }
      if (l.blank()) {
        t.blank++;
        continue;
      }
      t.rows++;
      List<String> f = splitLiteral(l.text(), "\t");
      if (f.size() != 4) {
        throw reject(name, l, "field-count");
      }
      if (!isIntegerId(f.get(0)) || !isIntegerId(f.get(1))) {
        throw reject(name, l, "bad-id");
      }
      String p = numberProblem(f.get(2), false);
      if (p != null) {
        throw reject(name, l, "rating-" + p);
      }
      if (!isTimestamp(f.get(3))) {
        throw reject(name, l, "bad-timestamp");
      }
      String u = canonical(f.get(0));
      String i = canonical(f.get(1));
      if (testRows == null) {
        t.addTrain(u, i);
      } else {
        t.addTest(u, i);
        testRows.add(new TestRow(u, i, l.number()));
      }
    }
  }

  private static void ncfNegatives(Tally t, String name, byte[] bytes, List<TestRow> testRows)
      throws Reject {
    int dataRow = 0;
    long lastLine = 0;
    Set<String> usersWithRow = new HashSet<>();
    for (Line l : lines(name, bytes)) {
      t.lines++;
      lastLine = l.number();
      if (l.problem() != null) {
        throw reject(name, l, l.problem());
      }
      if (l.blank()) {
        t.blank++;
        continue;
      }
      t.rows++;
      t.negativeRows++;
      List<String> f = splitLiteral(l.text(), "\t");
      String pair = f.get(0);
      int comma = pair.indexOf(',');
      if (pair.length() < 5 || !pair.startsWith("(") || !pair.endsWith(")") || comma < 0) {
        throw reject(name, l, "pair-form");
      }
      String pu = pair.substring(1, comma);
      String pi = pair.substring(comma + 1, pair.length() - 1);
      if (!isIntegerId(pu) || !isIntegerId(pi)) {
        throw reject(name, l, "pair-id");
      }
      if (dataRow >= testRows.size()) {
        throw reject(name, l, "pair-without-test-row");
      }
      TestRow r = testRows.get(dataRow);
      if (!r.user().equals(canonical(pu)) || !r.item().equals(canonical(pi))) {
        throw reject(name, l, "pair-mismatch");
      }
      dataRow++;
      if (!usersWithRow.add(canonical(pu))) {
        throw reject(name, l, "pair-repeats-user");
      }
      for (int k = 1; k < f.size(); k++) {
        if (!isIntegerId(f.get(k))) {
          throw reject(name, l, "bad-negative");
        }
      }
      for (int k = 1; k < f.size(); k++) {
        String i = canonical(f.get(k));
        if (!t.trainItems.contains(i)) {
          t.unknownIds++;
        }
        t.items.add(i);
        t.negatives++;
      }
    }
    if (dataRow < testRows.size()) {
      throw new Reject(new Loc(name, lastLine + 1), "negatives-missing-rows");
    }
  }

  private static Expected lightGcn(Sample s) {
    String trainName = "train.txt";
    String testName = "test.txt";
    Tally t = new Tally();
    Loc pending = null;
    try {
      adjacency(t, trainName, s.files().get(trainName), false);
      if (t.train.isEmpty()) {
        pending = new Loc(trainName, 0);
      }
      adjacency(t, testName, s.files().get(testName), true);
    } catch (Reject r) {
      return reject(pending, NO_INTERACTIONS, r);
    }
    if (pending != null) {
      return reject(pending, NO_INTERACTIONS, null);
    }
    return accept(t);
  }

  private static void adjacency(Tally t, String name, byte[] bytes, boolean test) throws Reject {
    for (Line l : lines(name, bytes)) {
      t.lines++;
      if (l.problem() != null) {
        throw reject(name, l, l.problem());
      }
      if (l.blank()) {
        t.blank++;
        continue;
      }
      t.rows++;
      List<String> f = splitWhitespace(l.text());
      for (String id : f) {
        if (!isIntegerId(id)) {
          throw reject(name, l, "bad-id");
        }
      }
      String u = canonical(f.get(0));
      if (f.size() == 1) {
        t.emptyRows++;
      }
      if (!test) {
        t.trainUser(u);
      } else {
        if (f.size() == 1 && !t.trainUsers.contains(u)) {
          t.unknownIds++;
        }
        t.users.add(u);
      }
      for (int k = 1; k < f.size(); k++) {
        String i = canonical(f.get(k));
        if (test) {
          t.addTest(u, i);
        } else {
          t.addTrain(u, i);
        }
      }
    }
  }

  private static final List<String> USER_NAMES = List.of("user", "userid", "user_id");
  private static final List<String> ITEM_NAMES =
      List.of("item", "itemid", "item_id", "movieid", "movie_id");
  private static final List<String> WEIGHT_NAMES = List.of("weight", "rating", "count");
  private static final List<String> TIMESTAMP_NAMES = List.of("timestamp", "time", "ts");

  private static int firstNamed(List<String> header, List<String> names) {
    for (int k = 0; k < header.size(); k++) {
      if (names.contains(header.get(k).trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    return -1;
  }

  /** Splits a delimited line by the detected delimiter; null if its quoting is broken. */
  private static List<String> splitDelimited(String line, String d) {
    return switch (d) {
      case "::" -> splitLiteral(line, "::");
      case " " -> splitWhitespace(line);
      default -> splitQuoted(line, d.charAt(0));
    };
  }

  /**
   * DELIMITED with the default options: the delimiter is detected on the first non-blank line
   * ({@code ::}, else tab, else comma, else semicolon, else whitespace); that line is a header if
   * it names a user and an item column; the header (or, without one, the first row) fixes the field
   * count; ids are non-empty strings compared exactly.
   */
  @SuppressWarnings("ReferenceEquality") // the header is the very first non-blank line object
  private static Expected delimited(Sample s) {
    String name = s.reader().trainFile();
    Tally t = new Tally();
    try {
      List<Line> lines = lines(name, s.files().get(name));
      Line first = null;
      for (Line l : lines) {
        if (l.problem() != null || !l.blank()) {
          first = l;
          break;
        }
      }
      if (first == null) {
        for (int k = 0; k < lines.size(); k++) {
          t.lines++;
          t.blank++;
        }
        return reject(new Loc(name, 0), NO_INTERACTIONS, null);
      }
      if (first.problem() != null) {
        throw reject(name, first, first.problem());
      }
      String text = first.text();
      String d =
          text.contains("::")
              ? "::"
              : text.indexOf('\t') >= 0
                  ? "\t"
                  : text.indexOf(',') >= 0 ? "," : text.indexOf(';') >= 0 ? ";" : " ";
      List<String> head = splitDelimited(text, d);
      if (head == null) {
        throw reject(name, first, "quote-in-first-line");
      }
      boolean header = firstNamed(head, USER_NAMES) >= 0 && firstNamed(head, ITEM_NAMES) >= 0;
      int n = head.size();
      int uc;
      int ic;
      int wc;
      int tc;
      if (header) {
        uc = firstNamed(head, USER_NAMES);
        ic = firstNamed(head, ITEM_NAMES);
        wc = firstNamed(head, WEIGHT_NAMES);
        tc = firstNamed(head, TIMESTAMP_NAMES);
      } else {
        if (n < 2) {
          throw reject(name, first, "first-row-has-one-field");
        }
        uc = 0;
        ic = 1;
        wc = n > 2 ? 2 : -1;
        tc = n > 3 ? 3 : -1;
      }
      for (Line l : lines) {
        t.lines++;
        if (l.problem() != null) {
          throw reject(name, l, l.problem());
        }
        if (l.blank()) {
          t.blank++;
          continue;
        }
        if (header && l == first) {
          t.header++;
          continue;
        }
        t.rows++;
        List<String> f = splitDelimited(l.text(), d);
        if (f == null) {
          throw reject(name, l, "quote");
        }
        if (f.size() != n) {
          throw reject(name, l, "field-count");
        }
        if (wc >= 0) {
          String p = numberProblem(f.get(wc), true);
          if (p != null) {
            throw reject(name, l, "weight-" + p);
          }
        }
        if (tc >= 0 && !isTimestamp(f.get(tc))) {
          throw reject(name, l, "bad-timestamp");
        }
        if (f.get(uc).isEmpty() || f.get(ic).isEmpty()) {
          throw reject(name, l, "empty-id");
        }
        if (wc >= 0) {
          t.addTrain(f.get(uc), f.get(ic), f.get(wc), name, l);
        } else {
          t.addTrain(f.get(uc), f.get(ic));
        }
      }
    } catch (Reject r) {
      return reject(null, null, r);
    }
    if (t.train.isEmpty()) {
      return reject(new Loc(name, 0), NO_INTERACTIONS, null);
    }
    return accept(t);
  }
}
