package org.totalrecall.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mutable state of one {@link DataLoader#load} call: the two id mappers, the train and test row
 * buffers, the NCF negatives and the report counters. Readers feed it; {@link #finish} fixes the
 * dense order and builds the {@link Dataset}. Single-threaded.
 */
final class LoadState {
  final LoadOptions options;
  final IdMapper users = new IdMapper();
  final IdMapper items = new IdMapper();
  final List<String> files = new ArrayList<>();
  long lines;
  long rows;
  long blankLines;
  long headerLines;
  long emptyRows;
  long unknownIds;
  long negativeRows;
  long negatives;
  PairBuffer train;
  PairBuffer test;

  /** Users and items seen in training: provisional indices below these are training ids. */
  private int usersInTrain = -1;

  private int itemsInTrain = -1;
  // NCF negatives, one entry per kept negatives row: provisional user, start in negItems.
  private int[] negRowUser = new int[256];
  private int[] negRowStart = new int[257];
  private int[] negItems = new int[1 << 12];
  private int negRowCount;
  private int negItemCount;

  LoadState(LoadOptions options) {
    this.options = options;
  }

  /**
   * Refuses a training file that yielded no interaction (empty, blank lines only, header only,
   * LightGCN users without items): an error of the whole file, with the line counts.
   */
  void requireTrainInteractions(Path file) {
    if (train.size() == 0) {
      throw InteractionFormatException.ofFile(
          file,
          "no interactions after "
              + lines
              + " lines ("
              + blankLines
              + " blank, "
              + headerLines
              + " header"
              + (emptyRows > 0 ? ", " + emptyRows + " users without items" : "")
              + ")");
    }
  }

  /** Marks the end of the training files: ids seen so far are the training ids. */
  void endTrain() {
    usersInTrain = users.size();
    itemsInTrain = items.size();
  }

  boolean inTest() {
    return usersInTrain >= 0;
  }

  /** True if provisional user {@code u} was seen in training (only meaningful after endTrain). */
  boolean isTrainUser(int u) {
    return u < usersInTrain;
  }

  boolean isTrainItem(int i) {
    return i < itemsInTrain;
  }

  /**
   * Resolves an id of a test or negative entry under the unknown-id policy: KEEP adds it if new;
   * REJECT throws if it is not a training id; DROP returns -1 for it (the caller counts and skips).
   *
   * @param str the id as a string, or null when {@code value} holds an integer id
   */
  int testId(boolean user, long value, String str, Path file, long line, String field) {
    IdMapper m = user ? users : items;
    int watermark = user ? usersInTrain : itemsInTrain;
    if (options.unknownIdPolicy() == UnknownIdPolicy.KEEP) {
      return str == null ? m.getOrAdd(value) : m.getOrAdd(str);
    }
    int p = str == null ? m.find(value) : m.find(str);
    if (p >= 0 && p < watermark) {
      return p;
    }
    if (options.unknownIdPolicy() == UnknownIdPolicy.REJECT) {
      String shown = str == null ? Long.toString(value) : str;
      throw new InteractionFormatException(
          file,
          line,
          field,
          "is not in the training data, got \"" + shown + "\" (unknown-id policy REJECT)");
    }
    return -1;
  }

  /** Starts a negatives row for provisional user {@code user}. */
  void beginNegatives(int user) {
    if (negRowCount == negRowUser.length) {
      negRowUser = Arrays.copyOf(negRowUser, negRowCount * 2);
      negRowStart = Arrays.copyOf(negRowStart, negRowCount * 2 + 1);
    }
    negRowUser[negRowCount] = user;
    negRowStart[negRowCount] = negItemCount;
    negRowCount++;
    negRowStart[negRowCount] = negItemCount;
  }

  /** Appends a negative candidate (provisional item) to the current negatives row. */
  void addNegative(int item) {
    if (negItemCount == negItems.length) {
      negItems = Arrays.copyOf(negItems, negItemCount + (negItemCount >> 1));
    }
    negItems[negItemCount++] = item;
    negRowStart[negRowCount] = negItemCount;
    negatives++;
  }

  /** Fixes the dense order, builds the matrices and the report. */
  Dataset finish(DataFormat format, boolean hasNegatives) {
    IdMapper.Result u = users.finish(options.idOrder());
    IdMapper.Result i = items.finish(options.idOrder());
    long duplicates = 0;
    train.remap(u.remap(), i.remap());
    Interactions trainMatrix = train.build(u.index(), i.index(), options.duplicatePolicy());
    duplicates += train.duplicates();
    Interactions testMatrix = null;
    long overlap = 0;
    if (test != null) {
      test.remap(u.remap(), i.remap());
      testMatrix = test.build(u.index(), i.index(), options.duplicatePolicy());
      duplicates += test.duplicates();
      for (int r = 0; r < testMatrix.numRows(); r++) {
        for (int p = testMatrix.start(r); p < testMatrix.end(r); p++) {
          if (trainMatrix.contains(r, testMatrix.cols()[p])) {
            overlap++;
          }
        }
      }
    }
    int[][] testNegatives = null;
    if (hasNegatives) {
      testNegatives = new int[u.index().size()][];
      for (int row = 0; row < negRowCount; row++) {
        int[] list = new int[negRowStart[row + 1] - negRowStart[row]];
        for (int k = 0; k < list.length; k++) {
          list[k] = i.remap()[negItems[negRowStart[row] + k]];
        }
        testNegatives[u.remap()[negRowUser[row]]] = list;
      }
      for (int d = 0; d < testNegatives.length; d++) {
        if (testNegatives[d] == null) {
          testNegatives[d] = new int[0];
        }
      }
    }
    int testOnlyUsers = usersInTrain < 0 ? 0 : users.size() - usersInTrain;
    int testOnlyItems = itemsInTrain < 0 ? 0 : items.size() - itemsInTrain;
    LoadReport report =
        new LoadReport(
            files,
            lines,
            rows,
            blankLines,
            headerLines,
            duplicates,
            options.duplicatePolicy().name(),
            unknownIds,
            options.unknownIdPolicy().name(),
            u.index().size(),
            i.index().size(),
            trainMatrix.size(),
            testMatrix == null ? 0 : testMatrix.size(),
            emptyRows,
            testOnlyUsers,
            testOnlyItems,
            negativeRows,
            negatives,
            overlap);
    return new Dataset(
        u.index(), i.index(), trainMatrix, testMatrix, testNegatives, format, report);
  }
}
