package org.totalrecall.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads files with one interaction per line and a fixed set of columns (NCF rating files,
 * MovieLens, SEQUENCE, DELIMITED) into a {@link LoadState}: streaming, every line counted, every
 * bad field an {@link InteractionFormatException}. Stateless; one call per file.
 */
final class RowReader {
  private RowReader() {}

  /**
   * Where the fields of a row are. Column indices are 0-based; -1 means absent.
   *
   * @param fieldNames display name of every field, in order; the row must have exactly this many
   * @param user user id column
   * @param item item id column
   * @param weight weight column kept as the interaction weight, or -1
   * @param timestamp timestamp column kept, or -1
   * @param rating a number column that is validated but not kept (NCF), or -1
   * @param integerIds whether ids must be non-negative integers (else arbitrary non-empty strings)
   * @param timeIsLine whether the timestamp is the 1-based line number (SEQUENCE)
   * @param header whether the first non-blank line is a header to skip
   */
  @SuppressWarnings("ArrayRecordComponent") // a carrier of flat arrays, never compared or hashed
  record Columns(
      String[] fieldNames,
      int user,
      int item,
      int weight,
      int timestamp,
      int rating,
      boolean integerIds,
      boolean timeIsLine,
      boolean header) {
    boolean weighted() {
      return weight >= 0;
    }

    boolean timed() {
      return timestamp >= 0 || timeIsLine;
    }

    String describe() {
      return fieldNames.length + " fields (" + String.join(", ", fieldNames) + ")";
    }
  }

  /**
   * Reads {@code file} into {@code state.train} (before endTrain) or {@code state.test}.
   *
   * @param rawPairsOut null, or a 2-element array that receives the integer (user, item) ids of
   *     every data row, interleaved, in [0], and their line numbers in [1] (NCF test rows, to check
   *     the negatives file against)
   */
  static void read(
      LoadState state, Path file, FieldSplitter splitter, Columns c, long[][] rawPairsOut)
      throws IOException {
    final boolean test = state.inTest();
    final PairBuffer out = test ? state.test : state.train;
    final int expected = c.fieldNames().length;
    final int uCol = c.user();
    final int iCol = c.item();
    final int wCol = c.weight();
    final int tCol = c.timestamp();
    final int rCol = c.rating();
    final boolean integerIds = c.integerIds();
    long[] raw = rawPairsOut == null ? null : new long[2 * 1024];
    long[] rawLines = rawPairsOut == null ? null : new long[1024];
    int rawCount = 0;
    boolean headerPending = c.header();
    state.files.add(file.toString());
    try (LineReader in = LineReader.open(file)) {
      while (in.next()) {
        state.lines++;
        final long line = in.lineNumber();
        if (in.isBlank()) {
          state.blankLines++;
          continue;
        }
        if (headerPending) {
          headerPending = false;
          state.headerLines++;
          continue;
        }
        state.rows++;
        final byte[] b = in.buffer();
        int n = splitter.split(b, in.start(), in.end());
        if (splitter.unterminatedQuote() != null) {
          throw new InteractionFormatException(
              file,
              line,
              c.fieldNames()[Math.min(n - 1, expected - 1)],
              splitter.unterminatedQuote());
        }
        if (n != expected) {
          throw wrongCount(file, line, c, n);
        }
        float weight = 1f;
        long time = 0;
        if (wCol >= 0) {
          weight =
              FieldParser.parseWeight(
                  b, splitter.start(wCol), splitter.end(wCol), file, line, c.fieldNames()[wCol]);
        }
        if (tCol >= 0) {
          time =
              FieldParser.parseTimestamp(
                  b, splitter.start(tCol), splitter.end(tCol), file, line, c.fieldNames()[tCol]);
        } else if (c.timeIsLine()) {
          time = line;
        }
        if (rCol >= 0) {
          FieldParser.parseFiniteNumber(
              b, splitter.start(rCol), splitter.end(rCol), file, line, c.fieldNames()[rCol]);
        }
        long uValue;
        long iValue;
        String uText = null;
        String iText = null;
        if (integerIds) {
          uValue =
              FieldParser.parseIntegerId(
                  b, splitter.start(uCol), splitter.end(uCol), file, line, c.fieldNames()[uCol]);
          iValue =
              FieldParser.parseIntegerId(
                  b, splitter.start(iCol), splitter.end(iCol), file, line, c.fieldNames()[iCol]);
        } else {
          uValue =
              FieldParser.canonicalIntegerOrMinusOne(b, splitter.start(uCol), splitter.end(uCol));
          if (uValue < 0) {
            uText = stringId(b, splitter, uCol, file, line, c);
          }
          iValue =
              FieldParser.canonicalIntegerOrMinusOne(b, splitter.start(iCol), splitter.end(iCol));
          if (iValue < 0) {
            iText = stringId(b, splitter, iCol, file, line, c);
          }
        }
        if (raw != null) {
          if (rawCount * 2 == raw.length) {
            raw = Arrays.copyOf(raw, raw.length * 2);
            rawLines = Arrays.copyOf(rawLines, rawLines.length * 2);
          }
          rawLines[rawCount] = line;
          raw[2 * rawCount] = uValue;
          raw[2 * rawCount + 1] = iValue;
          rawCount++;
        }
        int u;
        int i;
        if (!test) {
          u = uText == null ? state.users.getOrAdd(uValue) : state.users.getOrAdd(uText);
          i = iText == null ? state.items.getOrAdd(iValue) : state.items.getOrAdd(iText);
        } else {
          u = state.testId(true, uValue, uText, file, line, c.fieldNames()[uCol]);
          if (u < 0) {
            state.unknownIds++;
            continue;
          }
          i = state.testId(false, iValue, iText, file, line, c.fieldNames()[iCol]);
          if (i < 0) {
            state.unknownIds++;
            continue;
          }
          if (!state.isTrainUser(u) || !state.isTrainItem(i)) {
            state.unknownIds++;
          }
        }
        out.add(u, i, weight, time, line);
      }
    }
    if (rawPairsOut != null) {
      rawPairsOut[0] = Arrays.copyOf(raw, 2 * rawCount);
      rawPairsOut[1] = Arrays.copyOf(rawLines, rawCount);
    }
  }

  private static String stringId(
      byte[] b, FieldSplitter s, int col, Path file, long line, Columns c) {
    if (s.start(col) >= s.end(col)) {
      throw new InteractionFormatException(file, line, c.fieldNames()[col], "is empty");
    }
    return s.text(b, col, StandardCharsets.UTF_8);
  }

  /** The error for a row with {@code n} fields instead of {@code c.fieldNames().length}. */
  static InteractionFormatException wrongCount(Path file, long line, Columns c, int n) {
    int expected = c.fieldNames().length;
    if (n < expected) {
      return new InteractionFormatException(
          file, line, c.fieldNames()[n], "is missing: expected " + c.describe() + ", got " + n);
    }
    return new InteractionFormatException(
        file,
        line,
        "column " + (expected + 1),
        "is unexpected: expected " + c.describe() + ", got " + n);
  }
}
