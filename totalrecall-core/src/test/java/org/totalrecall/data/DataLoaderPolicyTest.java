package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Duplicates, blank lines, unknown ids and gzip: each follows its policy and is counted. */
class DataLoaderPolicyTest {
  @TempDir Path dir;

  private static final String WEIGHTED =
      String.join(
              "\n",
              "user,item,weight,ts", // line 1: header
              "a,x,1,10", //            line 2
              "", //                    line 3: blank
              "a,x,3,5", //             line 4: duplicate of line 2
              "b,y,2,7", //             line 5
              "   ", //                 line 6: blank (spaces)
              "a,x,2,20")
          + "\n"; //    line 7: duplicate of line 2

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private Dataset loadWeighted(DuplicatePolicy policy) throws IOException {
    return DataLoader.load(
        write("r.csv", WEIGHTED), null, LoadOptions.defaults().withDuplicatePolicy(policy));
  }

  private static float weightOf(Dataset d, String user, String item) {
    int u = d.users().indexOf(user);
    int i = d.items().indexOf(item);
    for (int p = d.train().start(u); p < d.train().end(u); p++) {
      if (d.train().cols()[p] == i) {
        return d.train().weight(p);
      }
    }
    throw new AssertionError("no interaction " + user + " " + item);
  }

  private static long timeOf(Dataset d, String user, String item) {
    int u = d.users().indexOf(user);
    int i = d.items().indexOf(item);
    for (int p = d.train().start(u); p < d.train().end(u); p++) {
      if (d.train().cols()[p] == i) {
        return d.train().times()[p];
      }
    }
    throw new AssertionError("no interaction " + user + " " + item);
  }

  private static void assertCounts(LoadReport r) {
    assertEquals(7, r.lines());
    assertEquals(4, r.rows());
    assertEquals(2, r.blankLines());
    assertEquals(1, r.headerLines());
    assertEquals(2, r.duplicates());
    assertEquals(2, r.trainInteractions());
    assertEquals(r.lines(), r.rows() + r.blankLines() + r.headerLines());
  }

  @Test
  void sumAddsWeightsAndKeepsLatestTimestamp() throws IOException {
    Dataset d = loadWeighted(DuplicatePolicy.SUM);
    assertCounts(d.report());
    assertEquals("SUM", d.report().duplicatePolicy());
    assertEquals(6f, weightOf(d, "a", "x"));
    assertEquals(20L, timeOf(d, "a", "x"));
    assertEquals(2f, weightOf(d, "b", "y"));
  }

  @Test
  void maxKeepsLargestWeightWithItsTimestamp() throws IOException {
    Dataset d = loadWeighted(DuplicatePolicy.MAX);
    assertCounts(d.report());
    assertEquals(3f, weightOf(d, "a", "x"));
    assertEquals(5L, timeOf(d, "a", "x"));
  }

  @Test
  void firstKeepsFirstRow() throws IOException {
    Dataset d = loadWeighted(DuplicatePolicy.FIRST);
    assertCounts(d.report());
    assertEquals(1f, weightOf(d, "a", "x"));
    assertEquals(10L, timeOf(d, "a", "x"));
  }

  @Test
  void rejectNamesTheRepeatingLineAndTheEarlierLine() {
    InteractionFormatException e =
        assertThrows(InteractionFormatException.class, () -> loadWeighted(DuplicatePolicy.REJECT));
    assertEquals(
        "r.csv:4: field 'item' repeats the pair (user \"a\", item \"x\") of line 2 (duplicate policy REJECT)",
        e.getMessage());
  }

  @Test
  void unweightedDuplicatesCollapseToOneUnitInteractionAndAreCounted() throws IOException {
    write("train.txt", "0 1 1 2\n1 3\n\n2\n");
    write("test.txt", "0 4 4\n1 3\n");
    Dataset d = DataLoader.load(dir, null, LoadOptions.defaults());
    LoadReport r = d.report();
    assertEquals(2, r.duplicates(), "one repeat in train, one in test");
    assertEquals(3, d.train().size());
    assertNull(d.train().weights());
    assertEquals(2, d.test().size());
    assertEquals(1, r.blankLines());
    assertEquals(1, r.emptyRows(), "user 2 lists no item");
    assertEquals(3, d.numUsers());
    assertEquals(0, d.train().rowLength(2));
    assertEquals(1, r.testOnlyItems(), "item 4 occurs only in test");
    assertEquals(1, r.trainTestOverlap(), "user 1 item 3 is in both");
    InteractionFormatException e =
        assertThrows(
            InteractionFormatException.class,
            () ->
                DataLoader.load(
                    dir, null, LoadOptions.defaults().withDuplicatePolicy(DuplicatePolicy.REJECT)));
    assertEquals(
        "train.txt:1: field 'item' repeats the pair (user \"0\", item \"1\") earlier on the same line "
            + "(duplicate policy REJECT)",
        e.getMessage());
  }

  private void writeNcf() throws IOException {
    write("x.train.rating", "0\t0\t1\t0\n0\t1\t1\t0\n1\t1\t1\t0\n");
    // user 2 and item 3 occur only in test; item 4 only among the negatives
    write("x.test.rating", "0\t2\t5\t100\n1\t3\t4\t200\n2\t0\t4\t300\n");
    write("x.test.negative", "(0,2)\t1\t4\n(1,3)\t0\t2\n(2,0)\t1\t2\n");
  }

  @Test
  void keepPutsTestOnlyIdsInTheIndexWithEmptyTrainingRows() throws IOException {
    writeNcf();
    Dataset d = DataLoader.load(dir, null, LoadOptions.defaults());
    LoadReport r = d.report();
    assertEquals(3, d.numUsers());
    assertEquals(5, d.numItems());
    assertTrue(d.items().isIdentity());
    assertEquals(1, r.testOnlyUsers());
    assertEquals(3, r.testOnlyItems(), "items 2 and 3 occur only in test, 4 only among negatives");
    assertEquals(0, d.train().rowLength(2));
    assertEquals(3, d.test().size());
    // unknown: the 3 test rows; negatives 4 (user 0), 2 (user 1), 2 (user 2)
    assertEquals(6, r.unknownIds());
    assertArrayEquals(new int[] {1, 4}, d.testNegatives()[0]);
    assertArrayEquals(new int[] {0, 2}, d.testNegatives()[1]);
    assertEquals(100L, d.test().times()[0]);
    assertEquals("KEEP", r.unknownIdPolicy());
    assertEquals(
        "3 users, 5 items, 3 train, 3 test interactions, 6 negatives; 9 lines: 9 rows, 0 blank, "
            + "0 header; 0 duplicates (SUM), 6 unknown ids (KEEP), 1 test-only users, 3 test-only items",
        r.summaryLine());
    assertEquals(3L, r.toMap().get("negativeRows"));
    assertEquals(3, r.toMap().get("testOnlyItems"));
  }

  @Test
  void dropLeavesOutUnknownTestRowsAndNegativesAndCountsThem() throws IOException {
    writeNcf();
    Dataset d =
        DataLoader.load(
            dir, null, LoadOptions.defaults().withUnknownIdPolicy(UnknownIdPolicy.DROP));
    LoadReport r = d.report();
    assertEquals(2, d.numUsers());
    assertEquals(2, d.numItems());
    assertEquals(
        0, d.test().size(), "rows (0,2), (1,3) name test-only items, (2,0) a test-only user");
    assertEquals(0, r.testOnlyUsers());
    // 3 test rows, negative 4 of user 0, negative 2 of user 1, whole negatives row of user 2
    assertEquals(6, r.unknownIds());
    assertArrayEquals(new int[] {1}, d.testNegatives()[0]);
    assertArrayEquals(new int[] {0}, d.testNegatives()[1]);
    assertEquals(r.lines(), r.rows() + r.blankLines() + r.headerLines());
  }

  @Test
  void rejectFailsOnTheFirstUnknownTestId() throws IOException {
    writeNcf();
    InteractionFormatException e =
        assertThrows(
            InteractionFormatException.class,
            () ->
                DataLoader.load(
                    dir, null, LoadOptions.defaults().withUnknownIdPolicy(UnknownIdPolicy.REJECT)));
    assertEquals(
        "x.test.rating:1: field 'item' is not in the training data, got \"2\" (unknown-id policy REJECT)",
        e.getMessage());
  }

  private static void gzip(Path from, Path to) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
      out.write(Files.readAllBytes(from));
    }
  }

  private static void assertSameData(Dataset a, Dataset b) {
    assertEquals(a.format(), b.format());
    assertEquals(a.users().ids(), b.users().ids());
    assertEquals(a.items().ids(), b.items().ids());
    assertArrayEquals(a.train().rowStarts(), b.train().rowStarts());
    assertArrayEquals(a.train().cols(), b.train().cols());
    assertArrayEquals(a.train().weights(), b.train().weights());
    assertArrayEquals(a.train().times(), b.train().times());
    assertEquals(a.report().summaryLine(), b.report().summaryLine());
  }

  @Test
  void gzipInputEqualsPlainInputWhateverTheName() throws IOException {
    Path plainDir = Files.createDirectory(dir.resolve("plain"));
    Path text = plainDir.resolve("u.data");
    Files.writeString(
        text, "196\t242\t3\t881250949\n186\t302\t3\t891717742\n\n22\t377\t1\t878887116\n");
    Dataset plain = DataLoader.load(plainDir, null, LoadOptions.defaults());
    Path gzDir = Files.createDirectory(dir.resolve("gz"));
    gzip(text, gzDir.resolve("u.data.gz"));
    assertSameData(plain, DataLoader.load(gzDir, null, LoadOptions.defaults()));
    Path hidden = Files.createDirectory(dir.resolve("hidden"));
    gzip(text, hidden.resolve("u.data"));
    assertSameData(plain, DataLoader.load(hidden, null, LoadOptions.defaults()));
    assertEquals(3, plain.train().size());
    assertEquals(1, plain.report().blankLines());
  }

  @Test
  void gzipNcfWithNegativesEqualsPlain() throws IOException {
    writeNcf();
    Dataset plain = DataLoader.load(dir, null, LoadOptions.defaults());
    Path gzDir = Files.createDirectory(dir.resolve("gz"));
    for (String n : new String[] {"x.train.rating", "x.test.rating", "x.test.negative"}) {
      gzip(dir.resolve(n), gzDir.resolve(n + ".gz"));
    }
    Dataset gz = DataLoader.load(gzDir, null, LoadOptions.defaults());
    assertSameData(plain, gz);
    assertArrayEquals(plain.testNegatives()[0], gz.testNegatives()[0]);
    assertArrayEquals(plain.test().cols(), gz.test().cols());
  }
}
