package org.totalrecall.eval;

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
import org.totalrecall.data.ItemCategories;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;

/**
 * Small builders for the eval tests: data sets from pairs, models with known scores, the shared
 * data folder.
 */
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

  static Dataset dataset(
      Interactions train, Interactions test, int[][] negatives, DataFormat format) {
    return new Dataset(
        IdIndex.identity(train.numUsers()),
        IdIndex.identity(train.numItems()),
        train,
        test,
        negatives,
        format,
        null);
  }

  /**
   * A dim-1 dot model: every user vector is 1, item i's vector is itemScores[i], so φ(u, i) =
   * itemScores[i].
   */
  static FactorModel itemScoreModel(int numUsers, float[] itemScores) {
    float[] u = new float[numUsers];
    Arrays.fill(u, 1f);
    return new FactorModel(
        new EmbeddingTable(numUsers, 1, u),
        new EmbeddingTable(itemScores.length, 1, itemScores.clone()),
        null,
        null,
        Scorer.dot(),
        null,
        null);
  }

  /** A dot model with the given row-major tables. */
  static FactorModel model(int dim, float[] users, float[] items, Interactions seen) {
    return new FactorModel(
        new EmbeddingTable(users.length / dim, dim, users),
        new EmbeddingTable(items.length / dim, dim, items),
        null,
        null,
        Scorer.dot(),
        null,
        seen);
  }

  /**
   * A random full-ranking case: a split of {@code users × items} and a dot model with random
   * tables.
   */
  @SuppressWarnings("ArrayRecordComponent") // a test case's tables, never compared
  record RandomCase(
      ProtocolSplit split,
      FactorModel model,
      Interactions train,
      Interactions test,
      float[] users,
      float[] items) {}

  /**
   * Each (user, item) is train with probability 2/{@code spread}, test with 1/{@code spread}; the
   * model's tables are standard normal; all seeded.
   */
  static RandomCase randomCase(long seed, int users, int items, int dim, int spread) {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    java.util.List<int[]> train = new java.util.ArrayList<>();
    java.util.List<int[]> test = new java.util.ArrayList<>();
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < items; i++) {
        int r = rnd.nextInt(spread);
        if (r < 2) {
          train.add(new int[] {u, i});
        } else if (r == 2) {
          test.add(new int[] {u, i});
        }
      }
    }
    Interactions tr = pairs(users, items, train.toArray(new int[0][]));
    Interactions te = pairs(users, items, test.toArray(new int[0][]));
    ProtocolSplit split =
        Protocols.split(
            Protocol.FULL, dataset(tr, te, null, DataFormat.LIGHTGCN), ProtocolOptions.defaults());
    float[] u = new float[users * dim];
    float[] v = new float[items * dim];
    for (int k = 0; k < u.length; k++) {
      u[k] = (float) rnd.nextGaussian();
    }
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) rnd.nextGaussian();
    }
    return new RandomCase(split, model(dim, u, v, tr), tr, te, u, v);
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
   * Item categories for items whose external ids are integers, via a movies.dat written to {@code
   * dir}: item i gets the '|'-separated genres {@code genres[i]}. Genre ids are then alphabetical
   * (see ItemCategories).
   */
  static ItemCategories categories(Path dir, IdIndex items, String[] genres) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      text.append(items.idOf(i))
          .append("::Title ")
          .append(i)
          .append(" (2000)::")
          .append(genres[i])
          .append('\n');
    }
    Path file = dir.resolve("movies.dat");
    Files.writeString(file, text, StandardCharsets.ISO_8859_1);
    return ItemCategories.readMovieLensGenres(file, items);
  }

  /** The same data set with identity ids ("0", "1", ...), so that ids are integers. */
  static Dataset withIdentityIds(Dataset d) {
    return new Dataset(
        IdIndex.identity(d.numUsers()),
        IdIndex.identity(d.numItems()),
        d.train(),
        d.test(),
        d.testNegatives(),
        d.format(),
        d.report());
  }
}
