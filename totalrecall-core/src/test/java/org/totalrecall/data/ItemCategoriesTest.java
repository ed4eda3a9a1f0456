package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MovieLens genres per dense item. */
class ItemCategoriesTest {
  @TempDir Path dir;

  private static final String MOVIES =
      """
      1::Toy Story (1995)::Animation|Children's|Comedy

      2::Jumanji (1995)::Adventure|Children's|Fantasy
      3::Misérables, Les (1995)::Drama|Musical
      4::Untitled::
      """;

  @Test
  void genresAreReadPerItemWithAlphabeticalIds() throws IOException {
    Path p = dir.resolve("movies.dat");
    Files.write(p, MOVIES.getBytes(StandardCharsets.ISO_8859_1));
    IdIndex items = IdIndex.of(List.of("3", "1", "9", "4"));
    ItemCategories c = ItemCategories.readMovieLensGenres(p, items);
    assertEquals(4, c.numItems());
    assertEquals(
        List.of("Adventure", "Animation", "Children's", "Comedy", "Drama", "Fantasy", "Musical"),
        List.of(
            c.categoryName(0),
            c.categoryName(1),
            c.categoryName(2),
            c.categoryName(3),
            c.categoryName(4),
            c.categoryName(5),
            c.categoryName(6)));
    assertEquals(7, c.numCategories());
    assertArrayEquals(new int[] {4, 6}, c.categoriesOf(0));
    assertArrayEquals(new int[] {1, 2, 3}, c.categoriesOf(1));
    assertArrayEquals(new int[0], c.categoriesOf(2));
    assertArrayEquals(new int[0], c.categoriesOf(3), "an empty genre field means no genre");
    assertEquals(1, c.itemsWithoutCategory(), "item 9 is not in the file");
    assertEquals(1, c.unknownMovies(), "movie 2 is not an item");
    assertEquals(c.end(1) - c.start(1), 3);
    assertEquals(6, c.categoryIndex("Musical"));
  }

  @Test
  void gzipFileGivesTheSameCategories() throws IOException {
    Path p = dir.resolve("movies.dat");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
      out.write(MOVIES.getBytes(StandardCharsets.ISO_8859_1));
    }
    ItemCategories c = ItemCategories.readMovieLensGenres(p, IdIndex.of(List.of("1", "2")));
    assertArrayEquals(new int[] {1, 2, 3}, c.categoriesOf(0));
    assertEquals(7, c.numCategories());
  }

  @Test
  void malformedRowsNameFileLineAndField() throws IOException {
    Path p = dir.resolve("movies.dat");
    Files.writeString(p, "1::Toy Story::Comedy\nx::Heat::Action\n");
    InteractionFormatException e =
        assertThrows(
            InteractionFormatException.class,
            () -> ItemCategories.readMovieLensGenres(p, IdIndex.identity(2)));
    assertEquals("movies.dat:2: field 'movieId' is not an integer, got \"x\"", e.getMessage());
    Files.writeString(p, "1::Toy Story\n");
    e =
        assertThrows(
            InteractionFormatException.class,
            () -> ItemCategories.readMovieLensGenres(p, IdIndex.identity(2)));
    assertEquals(
        "movies.dat:1: field 'genres' is missing: expected 3 fields (movieId, title, genres) separated by \"::\"",
        e.getMessage());
    Files.writeString(p, "1::A::Comedy\n1::B::Drama\n");
    e =
        assertThrows(
            InteractionFormatException.class,
            () -> ItemCategories.readMovieLensGenres(p, IdIndex.identity(2)));
    assertEquals("movies.dat:2: field 'movieId' repeats movie 1 of line 1", e.getMessage());
    Files.writeString(p, "1::A::Comedy||Drama\n");
    e =
        assertThrows(
            InteractionFormatException.class,
            () -> ItemCategories.readMovieLensGenres(p, IdIndex.identity(2)));
    assertEquals(
        "movies.dat:1: field 'genres' has an empty genre, got \"Comedy||Drama\"", e.getMessage());
  }
}
