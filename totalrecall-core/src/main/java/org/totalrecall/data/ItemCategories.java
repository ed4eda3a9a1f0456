package org.totalrecall.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Category ids of each item (dense index), in CSR form, with category names; built from MovieLens
 * genres by {@link #readMovieLensGenres}. Category ids are dense in {@code [0, numCategories())},
 * assigned in alphabetical order of the names. Immutable; shared arrays must not be modified; safe
 * to share between threads.
 *
 * <pre>
 *   start:      [0, 3, 3, 4]     item i has categories ids[start[i] .. start[i+1]), increasing
 *   categories: [2, 3, 4, 7]     item 0 -> 2, 3, 4; item 1 -> none; item 2 -> 7
 * </pre>
 */
public final class ItemCategories {
  private final int[] start;
  private final int[] categories;
  private final List<String> names;
  private final int itemsWithoutCategory;
  private final int unknownMovies;

  private ItemCategories(
      int[] start,
      int[] categories,
      List<String> names,
      int itemsWithoutCategory,
      int unknownMovies) {
    this.start = start;
    this.categories = categories;
    this.names = List.copyOf(names);
    this.itemsWithoutCategory = itemsWithoutCategory;
    this.unknownMovies = unknownMovies;
  }

  /**
   * Reads MovieLens {@code movies.dat} ({@code MovieID::Title::Genre|Genre|...}, ISO-8859-1 text,
   * gzip-transparent, streaming) and gives each item of {@code items} (whose external ids are
   * MovieIDs) its genres. Items absent from the file get no category (counted in {@link
   * #itemsWithoutCategory()}); movies absent from {@code items} are skipped (counted in {@link
   * #unknownMovies()}); blank lines are skipped. An empty genre field means no genre.
   *
   * <p>Note: the item ids must be MovieIDs (e.g. a DELIMITED load of ml-1m's ratings); NCF's item
   * ids are not MovieIDs (see ml-1m-ncf/SOURCE.md). To join NCF items with genres, load {@code
   * ml-1m/ratings-no-time.csv} with {@link LoadOptions.IdOrder#FIRST_APPEARANCE}: its dense item k
   * is NCF item k, and its external id is the MovieID.
   *
   * @throws InteractionFormatException for a row without three {@code ::} fields, a non-integer
   *     MovieID, an empty genre between {@code |}, or a MovieID listed twice
   */
  public static ItemCategories readMovieLensGenres(Path moviesDat, IdIndex items)
      throws IOException {
    int numItems = items.size();
    int[][] perItem = new int[numItems][];
    Map<String, Integer> provisional = new HashMap<>();
    List<String> provisionalNames = new ArrayList<>();
    int unknown = 0;
    Map<Long, Long> seenAt = new HashMap<>();
    int[] scratch = new int[16];
    try (LineReader in = LineReader.open(moviesDat, LineReader.Encoding.LATIN1)) {
      while (in.next()) {
        if (in.isBlank()) {
          continue;
        }
        long line = in.lineNumber();
        byte[] b = in.buffer();
        int s = in.start();
        int e = in.end();
        int first = indexOf(b, s, e, false);
        int last = indexOf(b, s, e, true);
        if (first < 0 || last == first) {
          throw new InteractionFormatException(
              moviesDat,
              line,
              first < 0 ? "title" : "genres",
              "is missing: expected 3 fields (movieId, title, genres) separated by \"::\"");
        }
        long movie = FieldParser.parseIntegerId(b, s, first, moviesDat, line, "movieId");
        Long earlier = seenAt.put(movie, line);
        if (earlier != null) {
          throw new InteractionFormatException(
              moviesDat, line, "movieId", "repeats movie " + movie + " of line " + earlier);
        }
        int count = 0;
        int g = last + 2;
        if (g < e) {
          while (true) {
            int bar = g;
            while (bar < e && b[bar] != '|') {
              bar++;
            }
            if (bar == g) {
              throw new InteractionFormatException(
                  moviesDat,
                  line,
                  "genres",
                  "has an empty genre, got " + FieldParser.quote(b, last + 2, e));
            }
            String name = new String(b, g, bar - g, StandardCharsets.ISO_8859_1);
            Integer id = provisional.get(name);
            if (id == null) {
              id = provisionalNames.size();
              provisional.put(name, id);
              provisionalNames.add(name);
            }
            if (count == scratch.length) {
              scratch = Arrays.copyOf(scratch, count * 2);
            }
            scratch[count++] = id;
            if (bar >= e) {
              break;
            }
            g = bar + 1;
          }
        }
        int item = items.indexOf(Long.toString(movie));
        if (item < 0) {
          unknown++;
          continue;
        }
        perItem[item] = Arrays.copyOf(scratch, count);
      }
    }
    // Category ids in alphabetical order of the names, so they do not depend on the file order.
    List<String> names = new ArrayList<>(new TreeSet<>(provisionalNames));
    int[] remap = new int[provisionalNames.size()];
    for (int p = 0; p < remap.length; p++) {
      remap[p] = names.indexOf(provisionalNames.get(p));
    }
    int[] start = new int[numItems + 1];
    int without = 0;
    for (int i = 0; i < numItems; i++) {
      int[] c = perItem[i];
      if (c == null) {
        without++;
        c = new int[0];
        perItem[i] = c;
      }
      for (int k = 0; k < c.length; k++) {
        c[k] = remap[c[k]];
      }
      Arrays.sort(c);
      int distinct = 0;
      for (int k = 0; k < c.length; k++) {
        if (k == 0 || c[k] != c[k - 1]) {
          c[distinct++] = c[k];
        }
      }
      perItem[i] = distinct == c.length ? c : Arrays.copyOf(c, distinct);
      start[i + 1] = start[i] + perItem[i].length;
    }
    int[] categories = new int[start[numItems]];
    for (int i = 0; i < numItems; i++) {
      System.arraycopy(perItem[i], 0, categories, start[i], perItem[i].length);
    }
    return new ItemCategories(start, categories, names, without, unknown);
  }

  /** Position of the first (or last) "::" in b[s, e), or -1. */
  private static int indexOf(byte[] b, int s, int e, boolean last) {
    int found = -1;
    for (int i = s; i < e - 1; i++) {
      if (b[i] == ':' && b[i + 1] == ':') {
        if (!last) {
          return i;
        }
        found = i;
        i++;
      }
    }
    return found;
  }

  /** Number of items (dense indices {@code [0, numItems())}). */
  public int numItems() {
    return start.length - 1;
  }

  /** Number of distinct categories. */
  public int numCategories() {
    return names.size();
  }

  /** Name of category {@code category} (e.g. "Comedy"). */
  public String categoryName(int category) {
    return names.get(category);
  }

  /** The category id of {@code name}, or -1. */
  public int categoryIndex(String name) {
    return names.indexOf(name);
  }

  /** Start of item {@code item}'s categories in {@link #categoryIds()}. */
  public int start(int item) {
    return start[item];
  }

  /** End (exclusive) of item {@code item}'s categories in {@link #categoryIds()}. */
  public int end(int item) {
    return start[item + 1];
  }

  /** All items' category ids, item after item, increasing within an item. Shared: do not modify. */
  public int[] categoryIds() {
    return categories;
  }

  /** A fresh copy of item {@code item}'s category ids, increasing. */
  public int[] categoriesOf(int item) {
    return Arrays.copyOfRange(categories, start[item], start[item + 1]);
  }

  /** Items of the index that had no row in the file (they have no category). */
  public int itemsWithoutCategory() {
    return itemsWithoutCategory;
  }

  /** Rows of the file whose MovieID is not in the item index (skipped). */
  public int unknownMovies() {
    return unknownMovies;
  }
}
