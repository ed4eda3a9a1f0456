package org.totalrecall.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.Interactions;
import org.totalrecall.data.ItemCategories;
import org.totalrecall.util.Checks;

/**
 * Builds the split of each {@link Protocol} from a {@link Dataset}, exactly as PROTOCOLS.md defines
 * it. {@code ncf} and {@code full} use the data files' fixed split; the others split the union of
 * the dataset's train and test interactions themselves, drawing every random choice from {@link
 * ProtocolOptions#seed()} with one {@link SplittableRandom} consumed in a fixed order (users or
 * items in index order), so the same seed on the same data gives the same split. Stateless and
 * thread-safe.
 */
public final class Protocols {
  private Protocols() {}

  /**
   * Splits {@code data} for {@code protocol}. For {@code pums-group} the genres are read from
   * {@link ProtocolOptions#categoriesFile()} or, when that is null, from {@code movies.dat} beside
   * the first file the dataset was read from.
   *
   * @throws IllegalArgumentException if the data lacks what the protocol needs (a fixed test split,
   *     negatives, timestamps, categories), naming it
   * @throws UncheckedIOException if the categories file cannot be read
   */
  public static ProtocolSplit split(Protocol protocol, Dataset data, ProtocolOptions options) {
    Checks.notNull("protocol", protocol);
    Checks.notNull("data", data);
    Checks.notNull("options", options);
    if (protocol == Protocol.PUMS_GROUP) {
      Path file = categoriesFile(data, options);
      try {
        return split(
            protocol, data, options, ItemCategories.readMovieLensGenres(file, data.items()));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the genres of protocol pums-group from " + file, e);
      }
    }
    return split(protocol, data, options, null);
  }

  /**
   * Splits {@code data} for {@code protocol} with the given item categories (used by {@code
   * pums-group} only; may be null for the others).
   */
  public static ProtocolSplit split(
      Protocol protocol, Dataset data, ProtocolOptions options, ItemCategories categories) {
    Checks.notNull("protocol", protocol);
    Checks.notNull("data", data);
    Checks.notNull("options", options);
    return switch (protocol) {
      case NCF -> ncf(data, options);
      case FULL -> full(data, options);
      case LOO -> leaveLastOut(data, options);
      case RANDOM_SPLIT -> randomSplit(data, options);
      case PUMS -> pums(data, options);
      case PUMS_GROUP ->
          pumsGroup(
              data, options, Checks.notNull("categories (genres) for pums-group", categories));
    };
  }

  private static Path categoriesFile(Dataset data, ProtocolOptions options) {
    if (options.categoriesFile() != null) {
      return options.categoriesFile();
    }
    if (data.report() != null && !data.report().files().isEmpty()) {
      Path dir = Path.of(data.report().files().get(0)).toAbsolutePath().getParent();
      Path beside = dir == null ? null : dir.resolve("movies.dat");
      if (beside != null && Files.isRegularFile(beside)) {
        return beside;
      }
    }
    throw new IllegalArgumentException(
        "protocol pums-group needs item genres: no movies.dat beside the data files; "
            + "give ProtocolOptions.categoriesFile (MovieLens movies.dat)");
  }

  private static Interactions requireTest(Dataset data, Protocol protocol) {
    if (data.test() == null) {
      throw new IllegalArgumentException(
          "protocol "
              + protocol
              + " needs a data set with a fixed test split, but the "
              + data.format()
              + " data has none; use a self-splitting protocol (loo, random-split, pums, pums-group)");
    }
    return data.test();
  }

  /**
   * {@code ncf}: train = the train file, test = each user's held-out item, candidates = the
   * held-out item plus the user's listed negatives, merged into a distinct set (a negative listed
   * twice, or equal to the held-out item, competes once).
   */
  static ProtocolSplit ncf(Dataset data, ProtocolOptions options) {
    Interactions test = requireTest(data, Protocol.NCF);
    int[][] negatives = data.testNegatives();
    if (negatives == null) {
      throw new IllegalArgumentException(
          "protocol ncf needs the listed test negatives (*.test.negative); the "
              + data.format()
              + " data has none; use protocol full for full ranking");
    }
    int numUsers = data.numUsers();
    int[][] candidates = new int[numUsers][];
    for (int u = 0; u < numUsers; u++) {
      if (test.rowLength(u) == 0) {
        candidates[u] = new int[0];
        continue;
      }
      int[] neg = u < negatives.length && negatives[u] != null ? negatives[u] : new int[0];
      int[] row = new int[test.rowLength(u) + neg.length];
      int k = 0;
      for (int p = test.start(u); p < test.end(u); p++) {
        row[k++] = test.cols()[p];
      }
      for (int item : neg) {
        Checks.index("negative item of user " + data.users().idOf(u), item, data.numItems());
        row[k++] = item;
      }
      candidates[u] = distinctSorted(row);
    }
    return new ProtocolSplit(
        Protocol.NCF,
        "test",
        options,
        data.users(),
        data.items(),
        data.train(),
        test,
        candidates,
        null,
        null,
        null);
  }

  /**
   * {@code full}: the files' train and test; every item not in a user's train set is a candidate.
   */
  static ProtocolSplit full(Dataset data, ProtocolOptions options) {
    Interactions test = requireTest(data, Protocol.FULL);
    return new ProtocolSplit(
        Protocol.FULL,
        "test",
        options,
        data.users(),
        data.items(),
        data.train(),
        test,
        null,
        null,
        null,
        null);
  }

  /**
   * {@code loo}: per user, interactions ordered by (timestamp, item index); the last is the test
   * item, the second-last the validation item (kept out of train), the rest train. Users with fewer
   * than 3 interactions keep them all in train (as SASRec does). With {@code looNegatives > 0} each
   * test (and validation) user ranks its held-out item against that many distinct items drawn
   * uniformly, seeded, from the items it never interacted with (all of them if fewer remain).
   */
  static ProtocolSplit leaveLastOut(Dataset data, ProtocolOptions options) {
    Interactions all = InteractionSets.union(data.train(), data.test());
    long[] times = all.times();
    if (times == null) {
      throw new IllegalArgumentException(
          "protocol loo needs timestamps, but the "
              + data.format()
              + " data has none (or only one of its train/test parts has them)");
    }
    boolean[] isTest = new boolean[all.size()];
    boolean[] isValidation = new boolean[all.size()];
    int[] cols = all.cols();
    for (int u = 0; u < all.numRows(); u++) {
      if (all.rowLength(u) < 3) {
        continue;
      }
      int last = -1;
      int second = -1;
      for (int p = all.start(u); p < all.end(u); p++) {
        if (last < 0 || later(times, cols, p, last)) {
          second = last;
          last = p;
        } else if (second < 0 || later(times, cols, p, second)) {
          second = p;
        }
      }
      isTest[last] = true;
      isValidation[second] = true;
    }
    Interactions test = InteractionSets.select(all, isTest, true);
    Interactions validation = InteractionSets.select(all, isValidation, true);
    boolean[] heldOut = new boolean[all.size()];
    for (int p = 0; p < heldOut.length; p++) {
      heldOut[p] = isTest[p] || isValidation[p];
    }
    Interactions train = InteractionSets.select(all, heldOut, false);
    int[][] testCandidates = null;
    int[][] validationCandidates = null;
    if (options.looNegatives() > 0) {
      SplittableRandom rng = new SplittableRandom(options.seed());
      testCandidates = sampleCandidates(all, test, options.looNegatives(), rng);
      validationCandidates = sampleCandidates(all, validation, options.looNegatives(), rng);
    }
    return new ProtocolSplit(
        Protocol.LOO,
        "test",
        options,
        data.users(),
        data.items(),
        train,
        test,
        testCandidates,
        null,
        validation,
        validationCandidates);
  }

  /**
   * True if interaction p comes after q: later timestamp, or the same timestamp and a larger item
   * index.
   */
  private static boolean later(long[] times, int[] cols, int p, int q) {
    return times[p] > times[q] || (times[p] == times[q] && cols[p] > cols[q]);
  }

  /**
   * For each row of {@code heldOut} with interactions: its items plus {@code count} distinct items
   * drawn uniformly from the items outside the row of {@code history}; sorted.
   */
  static int[][] sampleCandidates(
      Interactions history, Interactions heldOut, int count, SplittableRandom rng) {
    int numItems = history.numCols();
    int[][] out = new int[heldOut.numRows()][];
    boolean[] chosen = new boolean[numItems];
    int[] picked = new int[count];
    for (int u = 0; u < heldOut.numRows(); u++) {
      int m = heldOut.rowLength(u);
      if (m == 0) {
        out[u] = new int[0];
        continue;
      }
      int available = numItems - history.rowLength(u);
      int n = 0;
      if (available <= count) {
        for (int i = 0; i < numItems; i++) {
          if (!history.contains(u, i)) {
            picked[n++] = i;
          }
        }
      } else {
        while (n < count) {
          int i = rng.nextInt(numItems);
          if (!chosen[i] && !history.contains(u, i)) {
            chosen[i] = true;
            picked[n++] = i;
          }
        }
        for (int k = 0; k < n; k++) {
          chosen[picked[k]] = false;
        }
      }
      int[] row = new int[m + n];
      System.arraycopy(heldOut.cols(), heldOut.start(u), row, 0, m);
      System.arraycopy(picked, 0, row, m, n);
      out[u] = distinctSorted(row);
    }
    return out;
  }

  /**
   * {@code random-split}: per user with at least 2 interactions, k = round(testFraction · n)
   * clamped to [1, n − 1] interactions chosen uniformly (seeded) are the test part; then, if
   * validationFraction > 0, of the m remaining (if m ≥ 2) round(validationFraction · m) clamped to
   * [1, m − 1] are the validation part. Users with one interaction keep it in train.
   */
  static ProtocolSplit randomSplit(Dataset data, ProtocolOptions options) {
    Interactions all = InteractionSets.union(data.train(), data.test());
    SplittableRandom rng = new SplittableRandom(options.seed());
    boolean[] isTest = new boolean[all.size()];
    boolean[] isValidation = new boolean[all.size()];
    int[] positions = new int[0];
    for (int u = 0; u < all.numRows(); u++) {
      int n = all.rowLength(u);
      if (n < 2) {
        continue;
      }
      if (positions.length < n) {
        positions = new int[Math.max(n, 2 * positions.length)];
      }
      for (int k = 0; k < n; k++) {
        positions[k] = all.start(u) + k;
      }
      int kt = clamp(Math.round(options.testFraction() * n), 1, n - 1);
      partialShuffle(positions, 0, n, kt, rng);
      for (int k = 0; k < kt; k++) {
        isTest[positions[k]] = true;
      }
      int m = n - kt;
      if (options.validationFraction() > 0 && m >= 2) {
        int kv = clamp(Math.round(options.validationFraction() * m), 1, m - 1);
        partialShuffle(positions, kt, n, kv, rng);
        for (int k = kt; k < kt + kv; k++) {
          isValidation[positions[k]] = true;
        }
      }
    }
    boolean[] heldOut = new boolean[all.size()];
    for (int p = 0; p < heldOut.length; p++) {
      heldOut[p] = isTest[p] || isValidation[p];
    }
    Interactions validation =
        options.validationFraction() > 0 ? InteractionSets.select(all, isValidation, true) : null;
    return new ProtocolSplit(
        Protocol.RANDOM_SPLIT,
        "test",
        options,
        data.users(),
        data.items(),
        InteractionSets.select(all, heldOut, false),
        InteractionSets.select(all, isTest, true),
        null,
        null,
        validation,
        null);
  }

  /**
   * {@code pums} (TotalRecall sec. 5.2): items with at least {@code minUsersPerItem} users qualify;
   * in item index order, each qualifying item holds out max(1, round(heldOutFraction · n)) of its n
   * users chosen uniformly (seeded); then the qualifying items are shuffled (seeded) and the first
   * floor(q / 2) are validation items, the rest test items. Train = everything not held out (the
   * validation items' held-out users too). Test rows are items, columns their held-out users. On
   * ML-1M this gives 2,514 items and 9,913 held-out pairs, the 5,125 + 4,788 of TotalRecall Table
   * 4.
   */
  static ProtocolSplit pums(Dataset data, ProtocolOptions options) {
    PumsHoldout h = pumsHoldout(data, options);
    boolean[] testMask = new boolean[h.held.length];
    boolean[] validationMask = new boolean[h.held.length];
    for (int item = 0; item < h.byItem.numRows(); item++) {
      for (int p = h.byItem.start(item); p < h.byItem.end(item); p++) {
        testMask[p] = h.held[p] && h.role[item] == ROLE_TEST;
        validationMask[p] = h.held[p] && h.role[item] == ROLE_VALIDATION;
      }
    }
    return new ProtocolSplit(
        Protocol.PUMS,
        "test",
        options,
        data.users(),
        data.items(),
        h.train(),
        InteractionSets.select(h.byItem, testMask, true),
        null,
        null,
        InteractionSets.select(h.byItem, validationMask, true),
        null);
  }

  /**
   * {@code pums-group} (TotalRecall A.7.2). Held-out interactions: those of {@link #pums} for the
   * same seed, all of them (validation and test items alike), so pums and pums-group share one
   * training part and a model trained for one is evaluated on the other without leakage. Groups:
   * for each category (genre) in id order (alphabetical, see {@link ItemCategories}), its
   * qualifying items ranked by number of users (descending, ties by smaller index) and the top,
   * middle and bottom floor(groupFraction · n) of them ("Comedy/top", "Comedy/middle",
   * "Comedy/bottom"; middle starts at (n − g) / 2); a genre with g = 0 has no groups. On ML-1M (18
   * genres) this gives 54 groups, "Drama/top" of 93 movies and "Documentary/top" of 3, as in the
   * paper. A user is a potential user of G if a held-out interaction falls in G and none of its
   * train interactions does (the {@link Evaluator} derives this from the parts).
   */
  static ProtocolSplit pumsGroup(Dataset data, ProtocolOptions options, ItemCategories categories) {
    if (categories.numItems() != data.numItems()) {
      throw new IllegalArgumentException(
          "categories cover " + categories.numItems() + " items, the data has " + data.numItems());
    }
    PumsHoldout h = pumsHoldout(data, options);
    List<ItemGroup> groups = genreGroups(h.byItem, h.role, categories, options.groupFraction());
    return new ProtocolSplit(
        Protocol.PUMS_GROUP,
        "test",
        options,
        data.users(),
        data.items(),
        h.train(),
        InteractionSets.select(h.byItem, h.held, true),
        null,
        groups,
        null,
        null);
  }

  private static List<ItemGroup> genreGroups(
      Interactions byItem, byte[] role, ItemCategories categories, double fraction) {
    List<ItemGroup> groups = new ArrayList<>();
    for (int c = 0; c < categories.numCategories(); c++) {
      int n = 0;
      long[] keys = new long[byItem.numRows()];
      for (int item = 0; item < byItem.numRows(); item++) {
        if (role[item] != ROLE_NONE && hasCategory(categories, item, c)) {
          // Sort key: more users first, then the smaller index (both fit in 32 bits).
          keys[n++] = ((long) (Integer.MAX_VALUE - byItem.rowLength(item)) << 32) | item;
        }
      }
      Arrays.sort(keys, 0, n);
      int g = (int) Math.floor(fraction * n + 1e-9);
      if (g == 0) {
        continue;
      }
      String genre = categories.categoryName(c);
      groups.add(new ItemGroup(genre + "/top", itemsOf(keys, 0, g)));
      groups.add(new ItemGroup(genre + "/middle", itemsOf(keys, (n - g) / 2, g)));
      groups.add(new ItemGroup(genre + "/bottom", itemsOf(keys, n - g, g)));
    }
    return groups;
  }

  private static boolean hasCategory(ItemCategories categories, int item, int category) {
    return Arrays.binarySearch(
            categories.categoryIds(), categories.start(item), categories.end(item), category)
        >= 0;
  }

  private static int[] itemsOf(long[] keys, int from, int count) {
    int[] items = new int[count];
    for (int k = 0; k < count; k++) {
      items[k] = (int) keys[from + k];
    }
    return items;
  }

  private static final byte ROLE_NONE = 0;
  private static final byte ROLE_VALIDATION = 1;
  private static final byte ROLE_TEST = 2;

  /** The pums holdout: the data by item, which positions are held out, each item's role. */
  @SuppressWarnings("ArrayRecordComponent") // a carrier of flat arrays, never compared or hashed
  private record PumsHoldout(Interactions byItem, boolean[] held, byte[] role) {
    Interactions train() {
      return InteractionSets.select(byItem, held, false).transpose();
    }
  }

  private static PumsHoldout pumsHoldout(Dataset data, ProtocolOptions options) {
    Interactions byItem = InteractionSets.union(data.train(), data.test()).transpose();
    SplittableRandom rng = new SplittableRandom(options.seed());
    boolean[] held = new boolean[byItem.size()];
    int[] qualifying = new int[byItem.numRows()];
    int q = 0;
    int[] positions = new int[0];
    for (int item = 0; item < byItem.numRows(); item++) {
      int n = byItem.rowLength(item);
      if (n < options.minUsersPerItem()) {
        continue;
      }
      qualifying[q++] = item;
      if (positions.length < n) {
        positions = new int[Math.max(n, 2 * positions.length)];
      }
      for (int k = 0; k < n; k++) {
        positions[k] = byItem.start(item) + k;
      }
      int h = clamp(Math.round(options.heldOutFraction() * n), 1, n);
      partialShuffle(positions, 0, n, h, rng);
      for (int k = 0; k < h; k++) {
        held[positions[k]] = true;
      }
    }
    partialShuffle(qualifying, 0, q, q, rng);
    byte[] role = new byte[byItem.numRows()];
    for (int k = 0; k < q; k++) {
      role[qualifying[k]] = k < q / 2 ? ROLE_VALIDATION : ROLE_TEST;
    }
    return new PumsHoldout(byItem, held, role);
  }

  /**
   * Moves a uniform random sample of k of a[from, to) to a[from, from + k) (partial Fisher–Yates).
   */
  static void partialShuffle(int[] a, int from, int to, int k, SplittableRandom rng) {
    for (int j = 0; j < k; j++) {
      int pick = from + j + rng.nextInt(to - from - j);
      int t = a[from + j];
      a[from + j] = a[pick];
      a[pick] = t;
    }
  }

  private static int clamp(long v, int lo, int hi) {
    return (int) Math.max(lo, Math.min(hi, v));
  }

  static int[] distinctSorted(int[] a) {
    int[] s = a.clone();
    Arrays.sort(s);
    int n = 0;
    for (int k = 0; k < s.length; k++) {
      if (n == 0 || s[k] != s[n - 1]) {
        s[n++] = s[k];
      }
    }
    return n == s.length ? s : Arrays.copyOf(s, n);
  }
}
