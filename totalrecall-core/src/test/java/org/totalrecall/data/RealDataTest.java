package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Loads the shared data sets and checks their counts against their SOURCE.md files. Skips (with a
 * message) when the shared data folder is absent.
 */
class RealDataTest {
  /**
   * The shared data folder: ../../shared/data from the module, or ../shared/data from the
   * repository root.
   */
  static Path dataDir(String name) {
    for (String base : new String[] {"../../shared/data", "../shared/data"}) {
      Path p = Path.of(base, name);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    assumeTrue(false, "../../shared/data/" + name + " absent: skipping");
    return null;
  }

  @Test
  void ncfMovieLens1mMatchesItsSourceCounts() throws IOException {
    Path dir = dataDir("ml-1m-ncf");
    long t0 = System.nanoTime();
    Dataset d = DataLoader.load(dir, null, LoadOptions.defaults());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("ml-1m-ncf load: " + ms + " ms; " + d.report().summaryLine());
    assertEquals(DataFormat.NCF, d.format());
    assertEquals(6040, d.numUsers());
    assertEquals(3706, d.numItems());
    assertEquals(994_169, d.train().size());
    assertEquals(6040, d.test().size());
    assertTrue(d.users().isIdentity(), "NCF user ids must be their own dense indices");
    assertTrue(d.items().isIdentity(), "NCF item ids must be their own dense indices");
    int quirk = 0;
    for (int u = 0; u < d.numUsers(); u++) {
      assertEquals(99, d.testNegatives()[u].length, "negatives of user " + u);
      assertEquals(1, d.test().rowLength(u));
      int held = d.test().cols()[d.test().start(u)];
      for (int neg : d.testNegatives()[u]) {
        if (neg == held) {
          quirk++;
          break;
        }
      }
    }
    assertEquals(156, quirk, "users whose held-out item is among its negatives");
    // SOURCE.md: user 0's test item is 25.
    assertEquals(25, d.test().cols()[d.test().start(0)]);
    LoadReport r = d.report();
    assertEquals(0, r.duplicates());
    assertEquals(0, r.testOnlyUsers());
    assertEquals(2, r.testOnlyItems(), "SOURCE.md: 2 items occur only in a test row");
    assertEquals(0, r.trainTestOverlap());
    assertEquals(6040, r.negativeRows());
    assertEquals(597_960, r.negatives());
    assertEquals(r.lines(), r.rows() + r.blankLines() + r.headerLines());
    assertEquals(994_169 + 6040 + 6040, r.rows());
  }

  @Test
  void gowallaMatchesItsSourceCounts() throws IOException {
    Path dir = dataDir("gowalla");
    long t0 = System.nanoTime();
    Dataset d = DataLoader.load(dir, null, LoadOptions.defaults());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("gowalla load: " + ms + " ms; " + d.report().summaryLine());
    assertEquals(DataFormat.LIGHTGCN, d.format());
    assertEquals(29_858, d.numUsers());
    assertEquals(40_981, d.numItems());
    assertEquals(810_128, d.train().size());
    assertEquals(217_242, d.test().size());
    assertTrue(d.users().isIdentity());
    assertTrue(d.items().isIdentity());
    assertEquals(0, d.report().trainTestOverlap());
    assertEquals(0, d.report().duplicates());
    assertEquals(0, d.report().testOnlyItems());
    assertEquals(2 * 29_858, d.report().lines());
    assertNull(d.testNegatives());
  }

  @Test
  void movieLens1mRatingsWithoutTimeLoadAsDelimited() throws IOException {
    Path dir = dataDir("ml-1m");
    Dataset d = DataLoader.load(dir, null, LoadOptions.defaults());
    assertEquals(DataFormat.DELIMITED, d.format());
    assertEquals(1_000_209, d.report().rows());
    assertEquals(1, d.report().headerLines());
    assertEquals(1_000_209, d.train().size());
    assertEquals(6040, d.numUsers());
    assertEquals(3706, d.numItems());
    assertNull(d.test());
    assertNull(d.train().weights());
    assertNull(d.train().times());
    assertEquals("1", d.users().idOf(0));
  }

  @Test
  void movieLens100kMatchesItsSourceCounts() throws IOException {
    Dataset d = DataLoader.load(dataDir("ml-100k"), null, LoadOptions.defaults());
    assertEquals(DataFormat.MOVIELENS_UDATA, d.format());
    assertEquals(100_000, d.train().size());
    assertEquals(943, d.numUsers());
    assertEquals(1682, d.numItems());
    assertNull(d.test());
    double sum = 0;
    for (float w : d.train().weights()) {
      sum += w;
    }
    // SOURCE.md: ratings 1:6,110 2:11,370 3:27,145 4:34,174 5:21,201
    assertEquals(6110 + 2 * 11370 + 3 * 27145 + 4 * 34174 + 5 * 21201, sum, 1e-6);
    assertTrue(d.train().times()[0] > 800_000_000L);
  }

  @Test
  void sasrecVideoLoadsAsSequenceInLineOrder() throws IOException {
    Dataset d = DataLoader.load(dataDir("sasrec"), null, LoadOptions.defaults());
    assertEquals(DataFormat.SEQUENCE, d.format());
    assertEquals(287_107, d.report().rows());
    assertEquals(287_107, d.train().size());
    assertEquals(31_013, d.numUsers());
    assertEquals(23_715, d.numItems());
    assertEquals("1", d.users().idOf(0));
    // first line "1 6393": user "1", item "6393", timestamp 1
    int item = d.items().indexOf("6393");
    int u0 = 0;
    boolean found = false;
    for (int p = d.train().start(u0); p < d.train().end(u0); p++) {
      if (d.train().cols()[p] == item) {
        assertEquals(1L, d.train().times()[p]);
        found = true;
      }
    }
    assertTrue(found);
  }

  @Test
  void movieLens1mGenresHaveEighteenCategories() throws IOException {
    Path dir = dataDir("ml-1m");
    Dataset d =
        DataLoader.load(
            dir, null, LoadOptions.defaults().withIdOrder(LoadOptions.IdOrder.FIRST_APPEARANCE));
    ItemCategories c = ItemCategories.readMovieLensGenres(dir.resolve("movies.dat"), d.items());
    assertEquals(18, c.numCategories());
    assertEquals("Action", c.categoryName(0));
    assertEquals("Western", c.categoryName(17));
    assertEquals(
        0, c.itemsWithoutCategory(), "SOURCE.md: all 3,706 rated movies are in movies.dat");
    assertEquals(3883 - 3706, c.unknownMovies());
    // With first-appearance order, dense item k of ratings-no-time.csv is NCF item k
    // (ml-1m-ncf/SOURCE.md); NCF user 0's test item 25 is MovieID 48, Pocahontas:
    // Animation|Children's|Musical|Romance.
    assertEquals("48", d.items().idOf(25));
    int[] cats = c.categoriesOf(25);
    assertEquals(4, cats.length);
    assertEquals("Animation", c.categoryName(cats[0]));
    assertEquals("Romance", c.categoryName(cats[3]));
  }
}
