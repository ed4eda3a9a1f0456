package org.totalrecall.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The (user, item, weight, timestamp, line) rows of one part (train or test) as read, in file
 * order, in growable primitive arrays; {@link #build} turns them into {@link Interactions}, merging
 * repeated pairs by the {@link DuplicatePolicy}. Not thread-safe.
 */
final class PairBuffer {
  private final Path file;
  private final boolean weighted;
  private final boolean timed;
  private int[] users = new int[1 << 12];
  private int[] items = new int[1 << 12];
  private float[] weights;
  private long[] times;
  private int[] lines = new int[1 << 12];
  private int size;
  private long duplicates;

  /**
   * @param file the file the rows come from (for REJECT messages)
   * @param weighted whether rows carry a weight
   * @param timed whether rows carry a timestamp
   */
  PairBuffer(Path file, boolean weighted, boolean timed) {
    this.file = file;
    this.weighted = weighted;
    this.timed = timed;
    this.weights = weighted ? new float[1 << 12] : null;
    this.times = timed ? new long[1 << 12] : null;
  }

  int size() {
    return size;
  }

  /** Repeats found by the last {@link #build}. */
  long duplicates() {
    return duplicates;
  }

  /** Appends a row (provisional indices); {@code weight}/{@code time} are ignored if not kept. */
  void add(int user, int item, float weight, long time, long line) {
    if (size == users.length) {
      int n = size + (size >> 1);
      users = Arrays.copyOf(users, n);
      items = Arrays.copyOf(items, n);
      lines = Arrays.copyOf(lines, n);
      if (weights != null) {
        weights = Arrays.copyOf(weights, n);
      }
      if (times != null) {
        times = Arrays.copyOf(times, n);
      }
    }
    users[size] = user;
    items[size] = item;
    lines[size] = line > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) line;
    if (weights != null) {
      weights[size] = weight;
    }
    if (times != null) {
      times[size] = time;
    }
    size++;
  }

  /** Rewrites provisional user and item indices to dense ones. */
  void remap(int[] userRemap, int[] itemRemap) {
    for (int n = 0; n < size; n++) {
      users[n] = userRemap[users[n]];
      items[n] = itemRemap[items[n]];
    }
  }

  /**
   * Builds the CSR matrix. Rows are bucketed by user (counting sort), each user's entries sorted by
   * (item, file position), and runs of one item merged by {@code policy}; every merged-away entry
   * counts as a duplicate. With REJECT the error names the earliest repeating line and the line it
   * repeats.
   */
  Interactions build(IdIndex userIndex, IdIndex itemIndex, DuplicatePolicy policy) {
    int numUsers = userIndex.size();
    int numItems = itemIndex.size();
    int[] rowStart = new int[numUsers + 1];
    for (int n = 0; n < size; n++) {
      rowStart[users[n] + 1]++;
    }
    for (int r = 0; r < numUsers; r++) {
      rowStart[r + 1] += rowStart[r];
    }
    int[] fill = Arrays.copyOf(rowStart, numUsers);
    // key = item << 32 | position: sorting a row's keys orders it by item, then file position.
    long[] keys = new long[size];
    for (int n = 0; n < size; n++) {
      keys[fill[users[n]]++] = ((long) items[n] << 32) | n;
    }
    int[] outStart = new int[numUsers + 1];
    int[] outCols = new int[size];
    float[] outWeights = weighted ? new float[size] : null;
    long[] outTimes = timed ? new long[size] : null;
    int out = 0;
    long dups = 0;
    int rejectN = -1;
    int rejectFirst = -1;
    for (int r = 0; r < numUsers; r++) {
      int from = rowStart[r];
      int to = rowStart[r + 1];
      Arrays.sort(keys, from, to);
      int prevItem = -1;
      int firstN = -1;
      for (int p = from; p < to; p++) {
        int item = (int) (keys[p] >>> 32);
        int n = (int) keys[p];
        if (item == prevItem) {
          dups++;
          switch (policy) {
            case SUM -> {
              if (outWeights != null) {
                outWeights[out - 1] += weights[n];
                if (Float.isInfinite(outWeights[out - 1])) {
                  throw new InteractionFormatException(
                      file,
                      lines[n],
                      "weight",
                      "makes the summed weight of the pair (user \""
                          + userIndex.idOf(users[n])
                          + "\", item \""
                          + itemIndex.idOf(items[n])
                          + "\") overflow a float"
                          + " (duplicate policy SUM; use --duplicates max or first)");
                }
              }
              if (outTimes != null) {
                outTimes[out - 1] = Math.max(outTimes[out - 1], times[n]);
              }
            }
            case MAX -> {
              if (outWeights != null && weights[n] > outWeights[out - 1]) {
                outWeights[out - 1] = weights[n];
                if (outTimes != null) {
                  outTimes[out - 1] = times[n];
                }
              }
            }
            case FIRST -> {
              // the first row of the run is already stored
            }
            case REJECT -> {
              if (rejectN < 0 || lines[n] < lines[rejectN]) {
                rejectN = n;
                rejectFirst = firstN;
              }
            }
          }
          continue;
        }
        outCols[out] = item;
        if (outWeights != null) {
          outWeights[out] = weights[n];
        }
        if (outTimes != null) {
          outTimes[out] = times[n];
        }
        out++;
        prevItem = item;
        firstN = n;
      }
      outStart[r + 1] = out;
    }
    duplicates = dups;
    if (rejectN >= 0) {
      String again =
          lines[rejectN] == lines[rejectFirst]
              ? "earlier on the same line"
              : "of line " + lines[rejectFirst];
      throw new InteractionFormatException(
          file,
          lines[rejectN],
          "item",
          "repeats the pair (user \""
              + userIndex.idOf(users[rejectN])
              + "\", item \""
              + itemIndex.idOf(items[rejectN])
              + "\") "
              + again
              + " (duplicate policy REJECT)");
    }
    if (out < size) {
      outCols = Arrays.copyOf(outCols, out);
      outWeights = outWeights == null ? null : Arrays.copyOf(outWeights, out);
      outTimes = outTimes == null ? null : Arrays.copyOf(outTimes, out);
    }
    return new Interactions(numUsers, numItems, outStart, outCols, outWeights, outTimes);
  }
}
