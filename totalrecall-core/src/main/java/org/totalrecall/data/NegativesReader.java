package org.totalrecall.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads an NCF {@code *.test.negative} file: one tab-separated line per test row, {@code
 * (user,item) \t neg_1 \t ... \t neg_k}. The {@code (user,item)} pair of data row r must equal data
 * row r of the {@code *.test.rating} file (checked; the error names both files and lines); each
 * user may have one row. Negatives are kept in file order, repeats and the held-out item included
 * (NCF's quirk: PROTOCOLS.md). Unknown ids follow the {@link UnknownIdPolicy}. Streaming;
 * stateless.
 */
final class NegativesReader {
  private NegativesReader() {}

  /**
   * @param testPairs (user, item) integer ids of the test file's data rows, interleaved
   * @param testLines the 1-based line of each test data row
   */
  static void read(LoadState state, Path file, Path testFile, long[] testPairs, long[] testLines)
      throws IOException {
    final FieldSplitter splitter = new FieldSplitter(LoadOptions.Delimiter.TAB, false);
    final int testRows = testPairs.length / 2;
    int[] rowLineOfUser = new int[1024];
    int dataRow = 0;
    long lastLine = 0;
    state.files.add(file.toString());
    try (LineReader in = LineReader.open(file)) {
      while (in.next()) {
        state.lines++;
        final long line = in.lineNumber();
        lastLine = line;
        if (in.isBlank()) {
          state.blankLines++;
          continue;
        }
        state.rows++;
        state.negativeRows++;
        final byte[] b = in.buffer();
        final int n = splitter.split(b, in.start(), in.end());
        final int s0 = splitter.start(0);
        final int e0 = splitter.end(0);
        int comma = -1;
        for (int k = s0; k < e0; k++) {
          if (b[k] == ',') {
            comma = k;
            break;
          }
        }
        if (e0 - s0 < 5 || b[s0] != '(' || b[e0 - 1] != ')' || comma < 0) {
          throw new InteractionFormatException(
              file,
              line,
              "pair",
              "is not of the form (user,item), got " + FieldParser.quote(b, s0, e0));
        }
        long uValue = FieldParser.parseIntegerId(b, s0 + 1, comma, file, line, "pair");
        long iValue = FieldParser.parseIntegerId(b, comma + 1, e0 - 1, file, line, "pair");
        String testName = InteractionFormatException.displayName(testFile);
        if (dataRow >= testRows) {
          throw new InteractionFormatException(
              file,
              line,
              "pair",
              "has no matching row: "
                  + testName
                  + " has only "
                  + testRows
                  + " rows, got "
                  + FieldParser.quote(b, s0, e0));
        }
        if (testPairs[2 * dataRow] != uValue || testPairs[2 * dataRow + 1] != iValue) {
          throw new InteractionFormatException(
              file,
              line,
              "pair",
              "must equal the pair of "
                  + testName
                  + ":"
                  + testLines[dataRow]
                  + ", ("
                  + testPairs[2 * dataRow]
                  + ","
                  + testPairs[2 * dataRow + 1]
                  + "), got "
                  + FieldParser.quote(b, s0, e0));
        }
        dataRow++;
        int u = state.testId(true, uValue, null, file, line, "pair");
        if (u < 0) {
          // DROP: the whole row goes, but a malformed row is still an error.
          for (int f = 1; f < n; f++) {
            FieldParser.parseIntegerId(
                b, splitter.start(f), splitter.end(f), file, line, "negative " + f);
          }
          state.unknownIds++;
          continue;
        }
        if (u >= rowLineOfUser.length) {
          rowLineOfUser = Arrays.copyOf(rowLineOfUser, Math.max(u + 1, rowLineOfUser.length * 2));
        }
        if (rowLineOfUser[u] != 0) {
          throw new InteractionFormatException(
              file,
              line,
              "pair",
              "repeats user \""
                  + uValue
                  + "\" of line "
                  + rowLineOfUser[u]
                  + ": one negatives row per user");
        }
        rowLineOfUser[u] = (int) Math.min(line, Integer.MAX_VALUE);
        state.beginNegatives(u);
        for (int f = 1; f < n; f++) {
          long value =
              FieldParser.parseIntegerId(
                  b, splitter.start(f), splitter.end(f), file, line, "negative " + f);
          int i = state.testId(false, value, null, file, line, "negative " + f);
          if (i < 0) {
            state.unknownIds++;
            continue;
          }
          if (!state.isTrainItem(i)) {
            state.unknownIds++;
          }
          state.addNegative(i);
        }
      }
    }
    if (dataRow < testRows) {
      throw new InteractionFormatException(
          file,
          lastLine + 1,
          "pair",
          "is missing: "
              + InteractionFormatException.displayName(testFile)
              + " has "
              + testRows
              + " rows but this file ends after "
              + dataRow
              + " (row for "
              + InteractionFormatException.displayName(testFile)
              + ":"
              + testLines[dataRow]
              + ")");
    }
  }
}
