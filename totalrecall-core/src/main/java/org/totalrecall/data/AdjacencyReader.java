package org.totalrecall.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads LightGCN adjacency lists ({@code train.txt}, {@code test.txt}): one line per user, {@code
 * user item item ...}, whitespace separated, non-negative integer ids. A user line listing no item
 * is allowed: the user is kept (with an empty row) and the line is counted in {@link
 * LoadReport#emptyRows()}. Streaming; stateless; one call per file.
 */
final class AdjacencyReader {
  private AdjacencyReader() {}

  static void read(LoadState state, Path file) throws IOException {
    final boolean test = state.inTest();
    final PairBuffer out = test ? state.test : state.train;
    final FieldSplitter splitter = new FieldSplitter(LoadOptions.Delimiter.WHITESPACE, false);
    state.files.add(file.toString());
    try (LineReader in = LineReader.open(file)) {
      while (in.next()) {
        state.lines++;
        final long line = in.lineNumber();
        final byte[] b = in.buffer();
        final int n = splitter.split(b, in.start(), in.end());
        if (n == 0) {
          state.blankLines++;
          continue;
        }
        state.rows++;
        long uValue =
            FieldParser.parseIntegerId(b, splitter.start(0), splitter.end(0), file, line, "user");
        if (n == 1) {
          state.emptyRows++;
        }
        int u;
        if (!test) {
          u = state.users.getOrAdd(uValue);
        } else {
          u = state.testId(true, uValue, null, file, line, "user");
          if (u < 0) {
            for (int f = 1; f < n; f++) {
              FieldParser.parseIntegerId(b, splitter.start(f), splitter.end(f), file, line, "item");
            }
            // DROP: the whole line goes; count each of its entries (or the bare line).
            state.unknownIds += Math.max(1, n - 1);
            continue;
          }
          if (n == 1 && !state.isTrainUser(u)) {
            state.unknownIds++;
          }
        }
        for (int f = 1; f < n; f++) {
          long iValue =
              FieldParser.parseIntegerId(b, splitter.start(f), splitter.end(f), file, line, "item");
          int i;
          if (!test) {
            i = state.items.getOrAdd(iValue);
          } else {
            i = state.testId(false, iValue, null, file, line, "item");
            if (i < 0) {
              state.unknownIds++;
              continue;
            }
            if (!state.isTrainUser(u) || !state.isTrainItem(i)) {
              state.unknownIds++;
            }
          }
          out.add(u, i, 1f, 0L, line);
        }
      }
    }
  }
}
