package org.totalrecall.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.data.IdIndex;
import org.totalrecall.util.Checks;

/**
 * The categories (e.g. MovieLens genres) of every item, dense item indices: item i has the
 * category ids {@code category(q)} for q in [{@link #start(int) start(i)}, {@link #end(int)
 * end(i)}), strictly increasing; category id k has the name {@code names().get(k)}. Used by
 * DistinctCategories@N and by the {@code pums-group} protocol's genre groups.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class Categories {
  private final int[] itemStart;
  private final int[] categoryIds;
  private final List<String> names;

  private Categories(int[] itemStart, int[] categoryIds, List<String> names) {
    this.itemStart = itemStart;
    this.categoryIds = categoryIds;
    this.names = List.copyOf(names);
  }

  /**
   * Builds categories from one array of category ids per item (each in [0, names.size()); order
   * and repeats do not matter). {@code perItem} is copied.
   */
  public static Categories of(int[][] perItem, List<String> names) {
    Checks.notNull("perItem", perItem);
    Checks.notNull("names", names);
    int[] start = new int[perItem.length + 1];
    int[] ids = new int[0];
    int size = 0;
    for (int i = 0; i < perItem.length; i++) {
      int[] row = perItem[i] == null ? new int[0] : perItem[i].clone();
      Arrays.sort(row);
      if (ids.length < size + row.length) {
        ids = Arrays.copyOf(ids, Math.max(2 * ids.length, size + row.length));
      }
      int prev = -1;
      for (int c : row) {
        if (c < 0 || c >= names.size()) {
          throw new IllegalArgumentException("item " + i + ": category id " + c + " outside [0, " + names.size() + ")");
        }
        if (c != prev) {
          ids[size++] = c;
          prev = c;
        }
      }
      start[i + 1] = size;
    }
    return new Categories(start, Arrays.copyOf(ids, size), names);
  }

  /**
   * Reads MovieLens {@code movies.dat} ({@code MovieID::Title (Year)::Genre1|Genre2|...},
   * ISO-8859-1) for the items of {@code items}, whose external ids are MovieIDs. Category ids are
   * assigned to genres in order of first appearance in the file. Movies of the file absent from
   * {@code items} are not needed and skipped; an item of {@code items} absent from the file has
   * no category. A line without three {@code ::}-separated fields, a blank genre or a MovieID
   * listed twice is an error naming file and line.
   *
   * @throws IOException if the file cannot be read
   */
  public static Categories readMovieLensGenres(Path moviesDat, IdIndex items) throws IOException {
    Checks.notNull("moviesDat", moviesDat);
    Checks.notNull("items", items);
    Map<String, Integer> genreIds = new LinkedHashMap<>();
    int[][] perItem = new int[items.size()][];
    try (BufferedReader in = Files.newBufferedReader(moviesDat, StandardCharsets.ISO_8859_1)) {
      String line;
      long lineNumber = 0;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split("::", -1);
        if (fields.length != 3) {
          throw new IllegalArgumentException(moviesDat + ":" + lineNumber
              + ": expected 3 '::'-separated fields (MovieID, Title, Genres), got " + fields.length);
        }
        String[] genres = fields[2].split("\\|", -1);
        int[] row = new int[genres.length];
        for (int g = 0; g < genres.length; g++) {
          String genre = genres[g].strip();
          if (genre.isEmpty()) {
            throw new IllegalArgumentException(moviesDat + ":" + lineNumber + ": field 'Genres' has a blank genre: \"" + fields[2] + "\"");
          }
          Integer id = genreIds.get(genre);
          if (id == null) {
            id = genreIds.size();
            genreIds.put(genre, id);
          }
          row[g] = id;
        }
        int item = items.indexOf(fields[0].strip());
        if (item >= 0) {
          if (perItem[item] != null) {
            throw new IllegalArgumentException(moviesDat + ":" + lineNumber + ": field 'MovieID' repeats " + fields[0]);
          }
          perItem[item] = row;
        }
      }
    }
    return of(perItem, new ArrayList<>(genreIds.keySet()));
  }

  /** Number of items covered (the item index space). */
  public int numItems() {
    return itemStart.length - 1;
  }

  /** Number of distinct categories. */
  public int numCategories() {
    return names.size();
  }

  /** Category names by id; unmodifiable. */
  public List<String> names() {
    return names;
  }

  /** Start of item {@code item}'s categories in the flat list. */
  public int start(int item) {
    return itemStart[item];
  }

  /** End (exclusive) of item {@code item}'s categories in the flat list. */
  public int end(int item) {
    return itemStart[item + 1];
  }

  /** The category id at position {@code q} of the flat list. */
  public int category(int q) {
    return categoryIds[q];
  }

  /** True if item {@code item} has category {@code category}. */
  public boolean has(int item, int category) {
    return Arrays.binarySearch(categoryIds, itemStart[item], itemStart[item + 1], category) >= 0;
  }
}
