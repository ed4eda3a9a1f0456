package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delimiter, header and column resolution of DELIMITED files, and the id order. */
class DelimitedReaderTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static Dataset load(Path p, LoadOptions o) throws IOException {
    return DataLoader.load(p, DataFormat.DELIMITED, o);
  }

  @Test
  void headerNamesAreMatchedCaseInsensitivelyInAnyOrder() throws IOException {
    Path p =
        write(
            "r.csv",
            "Time,Rating,Title,Movie_ID,USERID\n100,4,\"Heat, 1995\",m1,alice\n200,5,X,m2,bob\n");
    Dataset d = load(p, LoadOptions.defaults());
    assertEquals(List.of("alice", "bob"), d.users().ids());
    assertEquals(List.of("m1", "m2"), d.items().ids());
    assertArrayEquals(new float[] {4, 5}, d.train().weights());
    assertArrayEquals(new long[] {100, 200}, d.train().times());
    assertEquals(1, d.report().headerLines());
  }

  @Test
  void headerlessRowsUsePositionsAndWhitespaceOrSemicolonOrDoubleColon() throws IOException {
    Dataset ws = load(write("a.txt", "  u1   i1  2.5 7\nu2\ti2 1 8\n"), LoadOptions.defaults());
    assertEquals(List.of("u1", "u2"), ws.users().ids());
    assertArrayEquals(new float[] {2.5f, 1f}, ws.train().weights());
    assertArrayEquals(new long[] {7, 8}, ws.train().times());
    Dataset semi = load(write("b.csv", "u1;i1\nu2;i1\n"), LoadOptions.defaults());
    assertEquals(2, semi.train().size());
    assertNull(semi.train().weights());
    assertEquals(0, semi.report().headerLines());
    Dataset colons = load(write("c.dat", "1::10::3\n2::10::4\n"), LoadOptions.defaults());
    assertArrayEquals(new float[] {3, 4}, colons.train().weights());
  }

  @Test
  void columnOptionsPickColumnsByIndexOrNameAndNoneTurnsOff() throws IOException {
    Path p = write("r.tsv", "title\tscore\titem\tuser\nA\t9\tx\tu\n");
    Dataset byName = load(p, LoadOptions.defaults().withColumns("user", "item", "score", "none"));
    assertArrayEquals(new float[] {9}, byName.train().weights());
    assertEquals("u", byName.users().idOf(0));
    Path q = write("s.csv", "7,u,x,3\n");
    Dataset byIndex = load(q, LoadOptions.defaults().withColumns("1", "2", "none", "0"));
    assertEquals("u", byIndex.users().idOf(0));
    assertEquals("x", byIndex.items().idOf(0));
    assertNull(byIndex.train().weights());
    assertArrayEquals(new long[] {7}, byIndex.train().times());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> load(p, LoadOptions.defaults().withColumns("user", "item", "stars", null)));
    assertEquals(
        "weightColumn \"stars\" is not a column of r.tsv; its header is [title, score, item, user]",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> load(q, LoadOptions.defaults().withColumns("1", "9", null, null)));
    assertEquals(
        "itemColumn 9 is out of range: the first line of s.csv has 4 fields (0-based indices 0..3)",
        e.getMessage());
  }

  @Test
  void headerModePresentAndAbsentOverrideDetection() throws IOException {
    Path p = write("r.csv", "uid,iid\na,b\n");
    Dataset auto = load(p, LoadOptions.defaults());
    assertEquals(2, auto.train().size(), "unknown names: the first line is data");
    Dataset present = load(p, LoadOptions.defaults().withHeader(LoadOptions.HeaderMode.PRESENT));
    assertEquals(1, present.train().size());
    assertEquals("a", present.users().idOf(0));
    Path q = write("q.csv", "user,item\n");
    Dataset absent = load(q, LoadOptions.defaults().withHeader(LoadOptions.HeaderMode.ABSENT));
    assertEquals("user", absent.users().idOf(0));
  }

  @Test
  void quotedFieldsAndUtf8IdsAndByteOrderMark() throws IOException {
    Path p = dir.resolve("q.csv");
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body =
        "user,item\r\n\"Zoë \"\"Z\"\"\",\"a,b\"\r\nZoë,c\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, bom.length);
    System.arraycopy(body, 0, all, bom.length, body.length);
    Files.write(p, all);
    Dataset d = load(p, LoadOptions.defaults());
    assertEquals(List.of("Zoë \"Z\"", "Zoë"), d.users().ids());
    assertEquals(List.of("a,b", "c"), d.items().ids());
  }

  @Test
  void numericIdsAreSortedUnlessFirstAppearanceIsAsked() throws IOException {
    Path p = write("r.csv", "user,item\n10,5\n2,7\n10,1\n");
    Dataset numeric = load(p, LoadOptions.defaults());
    assertEquals(List.of("2", "10"), numeric.users().ids());
    assertEquals(List.of("1", "5", "7"), numeric.items().ids());
    Dataset appearance =
        load(p, LoadOptions.defaults().withIdOrder(LoadOptions.IdOrder.FIRST_APPEARANCE));
    assertEquals(List.of("10", "2"), appearance.users().ids());
    assertEquals(List.of("5", "7", "1"), appearance.items().ids());
    Path mixed = write("m.csv", "user,item\n10,5\nb,7\n010,5\n");
    assertEquals(
        List.of("10", "b", "010"),
        load(mixed, LoadOptions.defaults()).users().ids(),
        "a non-integer id keeps first appearance; \"010\" is a different string id from \"10\"");
  }

  @Test
  void rowsMustHaveTheHeadersFieldCount() throws IOException {
    Path p = write("r.csv", "user,item,weight\na,b,1\na,c\n");
    InteractionFormatException e =
        assertThrows(InteractionFormatException.class, () -> load(p, LoadOptions.defaults()));
    assertEquals(
        "r.csv:3: field 'weight' is missing: expected 3 fields (user, item, weight), got 2",
        e.getMessage());
  }

  @Test
  void optionsValidateTheirFields() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LoadOptions.defaults().withColumns("none", null, null, null));
    assertEquals("userColumn cannot be \"none\": the column is required", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> LoadOptions.defaults().withDuplicatePolicy(null));
    assertEquals("duplicatePolicy must not be null", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LoadOptions.defaults()
                    .withColumns("uid", null, null, null)
                    .withHeader(LoadOptions.HeaderMode.ABSENT));
    assertEquals(
        "column \"uid\" is a name, but header is ABSENT: use a 0-based column index",
        e.getMessage());
    assertEquals(LoadOptions.Delimiter.DOUBLE_COLON, LoadOptions.Delimiter.parse("::"));
    assertEquals(LoadOptions.Delimiter.TAB, LoadOptions.Delimiter.parse("tab"));
    assertEquals(DuplicatePolicy.MAX, DuplicatePolicy.parse("max"));
    assertEquals(UnknownIdPolicy.DROP, UnknownIdPolicy.parse("DROP"));
    e = assertThrows(IllegalArgumentException.class, () -> DuplicatePolicy.parse("avg"));
    assertEquals(
        "unknown duplicate policy \"avg\"; valid values: sum, max, first, reject", e.getMessage());
  }
}
