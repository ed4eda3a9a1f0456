package org.totalrecall.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;

/** Small builders for the eval tests: data sets from pairs, models with known scores, the shared data folder. */
final class EvalFixtures {
  private EvalFixtures() {}

  /** Interactions from {row, col} pairs. */
  static Interactions pairs(int rows, int cols, int[][] pairs) {
    int[] r = new int[pairs.length];
    int[] c = new int[pairs.length];
    for (int k = 0; k < pairs.length; k++) {
      r[k] = pairs[k][0];
      c[k] = pairs[k][1];
    }
    return Interactions.fromPairs(rows, cols, r, c, null, null, pairs.length);
  }

  /** Interactions from {row, col, time} triples. */
  static Interactions timed(int rows, int cols, long[][] triples) {
    int[] r = new int[triples.length];
    int[] c = new int[triples.length];
    long[] t = new long[triples.length];
    for (int k = 0; k < triples.length; k++) {
      r[k] = (int) triples[k][0];
      c[k] = (int) triples[k][1];
      t[k] = triples[k][2];
    }
    return Interactions.fromPairs(rows, cols, r, c, null, t, triples.length);
  }

  static Dataset dataset(Interactions train, Interactions test, int[][] negatives, DataFormat format) {
    return new Dataset(IdIndex.identity(train.numUsers()), IdIndex.identity(train.numItems()), train, test, negatives, format, null);
  }

  /** A dim-1 dot model: every user vector is 1, item i's vector is itemScores[i], so φ(u, i) = itemScores[i]. */
  static FactorModel itemScoreModel(int numUsers, float[] itemScores) {
    float[] u = new float[numUsers];
    Arrays.fill(u, 1f);
    return new FactorModel(new EmbeddingTable(numUsers, 1, u), new EmbeddingTable(itemScores.length, 1, itemScores.clone()),
        null, null, Scorer.dot(), null, null);
  }

  /** A dot model with the given row-major tables. */
  static FactorModel model(int dim, float[] users, float[] items, Interactions seen) {
    return new FactorModel(new EmbeddingTable(users.length / dim, dim, users), new EmbeddingTable(items.length / dim, dim, items),
        null, null, Scorer.dot(), null, seen);
  }

  /** /work/shared/data seen from the module directory or the repository root, or null. */
  static Path sharedData() {
    for (String p : List.of("../../shared/data", "../shared/data")) {
      Path d = Path.of(p);
      if (Files.isDirectory(d)) {
        return d;
      }
    }
    return null;
  }

  /**
   * ml-1m/ratings-no-time.csv as a Dataset: users and items by first appearance, every pair a
   * training interaction, no test split. A minimal reader for these tests only.
   */
  static Dataset readMl1mPairs(Path dir) throws IOException {
    Path file = dir.resolve("ratings-no-time.csv");
    IdIndex users = new IdIndex();
    IdIndex items = new IdIndex();
    int[] r = new int[1 << 20];
    int[] c = new int[1 << 20];
    int n = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      String header = in.readLine();
      if (!"UserID,MovieID".equals(header)) {
        throw new IOException(file + ":1: unexpected header " + header);
      }
      String line;
      while ((line = in.readLine()) != null) {
        int comma = line.indexOf(',');
        if (n == r.length) {
          r = Arrays.copyOf(r, 2 * n);
          c = Arrays.copyOf(c, 2 * n);
        }
        r[n] = users.getOrAdd(line.substring(0, comma));
        c[n] = items.getOrAdd(line.substring(comma + 1));
        n++;
      }
    }
    Interactions all = Interactions.fromPairs(users.size(), items.size(), r, c, null, null, n);
    return new Dataset(users, items, all, null, null, DataFormat.DELIMITED, null);
  }

  /**
   * ml-1m-ncf (ml-1m.train.rating, ml-1m.test.rating, ml-1m.test.negative) with identity ids
   * (the files' ids are already dense). A minimal reader for these tests only.
   */
  static Dataset readNcf(Path dir) throws IOException {
    int[][] trainPairs = readRatingPairs(dir.resolve("ml-1m.train.rating"));
    int[][] testPairs = readRatingPairs(dir.resolve("ml-1m.test.rating"));
    int numUsers = 0;
    int numItems = 0;
    for (int[][] p : new int[][][] {trainPairs, testPairs}) {
      for (int k = 0; k < p[0].length; k++) {
        numUsers = Math.max(numUsers, p[0][k] + 1);
        numItems = Math.max(numItems, p[1][k] + 1);
      }
    }
    int[][] negatives = new int[numUsers][];
    try (BufferedReader in = Files.newBufferedReader(dir.resolve("ml-1m.test.negative"), StandardCharsets.US_ASCII)) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split("\t");
        int user = Integer.parseInt(f[0].substring(1, f[0].indexOf(',')));
        int[] neg = new int[f.length - 1];
        for (int k = 1; k < f.length; k++) {
          neg[k - 1] = Integer.parseInt(f[k]);
          numItems = Math.max(numItems, neg[k - 1] + 1);
        }
        negatives[user] = neg;
      }
    }
    Interactions train = Interactions.fromPairs(numUsers, numItems, trainPairs[0], trainPairs[1], null, null, trainPairs[0].length);
    Interactions test = Interactions.fromPairs(numUsers, numItems, testPairs[0], testPairs[1], null, null, testPairs[0].length);
    return new Dataset(IdIndex.identity(numUsers), IdIndex.identity(numItems), train, test, negatives, DataFormat.NCF, null);
  }

  private static int[][] readRatingPairs(Path file) throws IOException {
    int[] u = new int[1 << 20];
    int[] i = new int[1 << 20];
    int n = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      String line;
      while ((line = in.readLine()) != null) {
        int t1 = line.indexOf('\t');
        int t2 = line.indexOf('\t', t1 + 1);
        if (n == u.length) {
          u = Arrays.copyOf(u, 2 * n);
          i = Arrays.copyOf(i, 2 * n);
        }
        u[n] = Integer.parseInt(line, 0, t1, 10);
        i[n] = Integer.parseInt(line, t1 + 1, t2, 10);
        n++;
      }
    }
    return new int[][] {Arrays.copyOf(u, n), Arrays.copyOf(i, n)};
  }
}
