package org.totalrecall.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Parses numbers straight from the bytes of a field (no String, no regex on the common path) and
 * throws {@link InteractionFormatException} naming file, line and field when a field is bad.
 * Stateless.
 */
final class FieldParser {
  /** Ids and timestamps longer than this many digits are rejected (they would overflow a long). */
  private static final int MAX_DIGITS = 18;

  private FieldParser() {}

  /**
   * Parses a non-negative integer id ({@code 007} reads as 7).
   *
   * @throws InteractionFormatException if the field is empty, not an integer, negative or too long
   */
  static long parseIntegerId(byte[] b, int s, int e, Path file, long line, String field) {
    if (s >= e) {
      throw new InteractionFormatException(file, line, field, "is empty");
    }
    if (e - s > MAX_DIGITS) {
      throw new InteractionFormatException(
          file,
          line,
          field,
          (allDigits(b, s, e) ? "is too large, got " : "is not an integer, got ") + quote(b, s, e));
    }
    long v = 0;
    for (int i = s; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        if (i == s && b[i] == '-' && e - s > 1 && allDigits(b, s + 1, e)) {
          throw new InteractionFormatException(
              file, line, field, "must be a non-negative integer, got " + quote(b, s, e));
        }
        throw new InteractionFormatException(
            file, line, field, "is not an integer, got " + quote(b, s, e));
      }
      v = v * 10 + d;
    }
    return v;
  }

  /**
   * The value of a canonical non-negative decimal integer (digits only, no leading zero unless the
   * field is "0", at most 18 digits), or -1 if the field is anything else. Such ids round-trip
   * through {@link Long#toString(long)}, so they can be keyed by value.
   */
  static long canonicalIntegerOrMinusOne(byte[] b, int s, int e) {
    int n = e - s;
    if (n <= 0 || n > MAX_DIGITS || (b[s] == '0' && n > 1)) {
      return -1;
    }
    long v = 0;
    for (int i = s; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** Parses a (possibly negative) integer timestamp. */
  static long parseTimestamp(byte[] b, int s, int e, Path file, long line, String field) {
    if (s >= e) {
      throw new InteractionFormatException(file, line, field, "is empty");
    }
    int i = s;
    boolean negative = false;
    if (b[i] == '-' || b[i] == '+') {
      negative = b[i] == '-';
      i++;
    }
    if (i >= e) {
      throw new InteractionFormatException(
          file, line, field, "is not an integer, got " + quote(b, s, e));
    }
    if (e - i > MAX_DIGITS) {
      throw new InteractionFormatException(
          file,
          line,
          field,
          (allDigits(b, i, e) ? "is too large, got " : "is not an integer, got ") + quote(b, s, e));
    }
    long v = 0;
    for (; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        throw new InteractionFormatException(
            file, line, field, "is not an integer, got " + quote(b, s, e));
      }
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }

  /**
   * Parses a weight: a finite number > 0. Plain integers take a fast path; anything else goes
   * through {@link Float#parseFloat} after a character check that keeps out Java-only syntax such
   * as {@code 1f} or hex floats. {@code NaN} and {@code Infinity} parse, then fail the range check,
   * which is written so that NaN fails it.
   */
  static float parseWeight(byte[] b, int s, int e, Path file, long line, String field) {
    float w = (float) parseNumber(b, s, e, file, line, field);
    if (!(w > 0f) || Float.isInfinite(w)) {
      throw new InteractionFormatException(
          file, line, field, "must be finite and > 0, got " + quote(b, s, e));
    }
    return w;
  }

  /** Parses a finite number (NCF ratings, which are validated but not used as weights). */
  static double parseFiniteNumber(byte[] b, int s, int e, Path file, long line, String field) {
    double v = parseNumber(b, s, e, file, line, field);
    if (!Double.isFinite(v) || !Float.isFinite((float) v)) {
      throw new InteractionFormatException(
          file, line, field, "must be a finite number (as a float), got " + quote(b, s, e));
    }
    return v;
  }

  private static double parseNumber(byte[] b, int s, int e, Path file, long line, String field) {
    if (s >= e) {
      throw new InteractionFormatException(file, line, field, "is empty");
    }
    if (e - s <= 9 && allDigits(b, s, e)) {
      int v = 0;
      for (int i = s; i < e; i++) {
        v = v * 10 + (b[i] - '0');
      }
      return v;
    }
    String text = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
    boolean special =
        text.equals("NaN")
            || text.equals("Infinity")
            || text.equals("+Infinity")
            || text.equals("-Infinity");
    if (!special) {
      for (int i = s; i < e; i++) {
        byte c = b[i];
        boolean ok =
            (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
        if (!ok) {
          throw new InteractionFormatException(
              file, line, field, "is not a number, got " + quote(b, s, e));
        }
      }
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException ex) {
      throw new InteractionFormatException(
          file, line, field, "is not a number, got " + quote(b, s, e));
    }
  }

  private static boolean allDigits(byte[] b, int s, int e) {
    if (s >= e) {
      return false;
    }
    for (int i = s; i < e; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
    }
    return true;
  }

  /** The field text in double quotes for messages (UTF-8, cut at 60 characters). */
  static String quote(byte[] b, int s, int e) {
    String t = new String(b, s, e - s, StandardCharsets.UTF_8);
    if (t.length() > 60) {
      t = t.substring(0, 57) + "...";
    }
    return "\"" + t + "\"";
  }
}
