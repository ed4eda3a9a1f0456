package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blue.strategic.parquet.ParquetWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet layout: a round trip of random logs against the same rows as CSV (identical
 * interactions and report counts, for integer, negative and string ids and every number type),
 * part-file directories, column options, and one-line errors for nulls, bad values, wrong types,
 * missing columns, truncated files and other formats.
 */
class ParquetReaderTest {
  @TempDir Path dir;

  /** Writes rows through parquet-floor; a null value leaves the (optional) field null. */
  static Path write(Path file, String schema, List<Object[]> rows) throws IOException {
    MessageType type = MessageTypeParser.parseMessageType(schema);
    List<String> names = new ArrayList<>();
    type.getFields().forEach(f -> names.add(f.getName()));
    try (ParquetWriter<Object[]> w =
        ParquetWriter.writeFile(
            type,
            file.toFile(),
            (row, out) -> {
              for (int c = 0; c < row.length; c++) {
                if (row[c] != null) {
                  out.write(names.get(c), row[c]);
                }
              }
            })) {
      for (Object[] r : rows) {
        w.write(r);
      }
    }
    return file;
  }

  private static Dataset load(Path p, LoadOptions o) throws IOException {
    return DataLoader.load(p, DataFormat.PARQUET, o);
  }

  private static void assertSameData(Dataset expected, Dataset actual) {
    assertEquals(expected.users().ids(), actual.users().ids());
    assertEquals(expected.items().ids(), actual.items().ids());
    assertArrayEquals(expected.train().rowStarts(), actual.train().rowStarts());
    assertArrayEquals(expected.train().cols(), actual.train().cols());
    assertArrayEquals(expected.train().weights(), actual.train().weights());
    assertArrayEquals(expected.train().times(), actual.train().times());
    LoadReport e = expected.report();
    LoadReport a = actual.report();
    assertEquals(e.rows(), a.rows());
    assertEquals(e.duplicates(), a.duplicates());
    assertEquals(e.numUsers(), a.numUsers());
    assertEquals(e.numItems(), a.numItems());
    assertEquals(e.trainInteractions(), a.trainInteractions());
  }

  @Test
  void randomLogsReadExactlyAsTheSameRowsInCsv() throws IOException {
    SplittableRandom rnd = new SplittableRandom(7);
    String[][] schemas = {
      {
        "message m { required int64 user_id; required int32 item; required float rating; required int64 ts; }",
        "long"
      },
      {
        "message m { required binary user (STRING); required binary item (STRING); optional double weight;"
            + " optional int32 time; }",
        "string"
      },
      {"message m { optional int32 userid; optional int64 movieid; required int64 count; }", "int"},
    };
    for (String[] s : schemas) {
      List<Object[]> rows = new ArrayList<>();
      StringBuilder csv = new StringBuilder();
      MessageType type = MessageTypeParser.parseMessageType(s[0]);
      List<String> header = new ArrayList<>();
      type.getFields().forEach(f -> header.add(f.getName()));
      csv.append(String.join(",", header)).append('\n');
      for (int r = 0; r < 5000; r++) {
        long u =
            (long) rnd.nextInt(300)
                - (s[1].equals("long") ? 20 : 0); // some negative ids: spelled "-5"
        long i = rnd.nextInt(200);
        Object[] row = new Object[header.size()];
        String[] text = new String[header.size()];
        switch (s[1]) {
          case "long" -> {
            float w = 0.5f * (1 + rnd.nextInt(9));
            long t = rnd.nextLong(1L << 40);
            row = new Object[] {u, (int) i, w, t};
            text =
                new String[] {
                  Long.toString(u), Long.toString(i), Float.toString(w), Long.toString(t)
                };
          }
          case "string" -> {
            String us = rnd.nextBoolean() ? "u" + u : Long.toString(u);
            String is =
                rnd.nextInt(4) == 0 ? "0" + i : "item é" + i; // "07" is a string id, as in CSV
            double w = 1 + rnd.nextInt(5);
            int t = rnd.nextInt(1_000_000);
            row = new Object[] {us, is, w, t};
            text = new String[] {us, is, Double.toString(w), Integer.toString(t)};
          }
          default -> {
            long c = 1L + rnd.nextInt(3);
            row = new Object[] {(int) u, i, c};
            text = new String[] {Long.toString(u), Long.toString(i), Long.toString(c)};
          }
        }
        rows.add(row);
        csv.append(String.join(",", text)).append('\n');
      }
      Path pq = write(dir.resolve(s[1] + ".parquet"), s[0], rows);
      Path txt = dir.resolve(s[1] + ".csv");
      Files.writeString(txt, csv.toString(), StandardCharsets.UTF_8);
      Dataset fromCsv = DataLoader.load(txt, DataFormat.DELIMITED, LoadOptions.defaults());
      Dataset fromParquet = DataLoader.load(pq, null, LoadOptions.defaults());
      assertEquals(DataFormat.PARQUET, fromParquet.format());
      assertSameData(fromCsv, fromParquet);
      assertEquals(5000, fromParquet.report().lines());
      assertEquals(0, fromParquet.report().headerLines());
      assertTrue(fromParquet.report().duplicates() > 0, "the log repeats pairs; they are counted");
    }
  }

  @Test
  void aDirectoryOfPartFilesIsOneDataSetInNameOrder() throws IOException {
    String schema = "message m { required int64 user; required int64 item; }";
    Path parts = Files.createDirectory(dir.resolve("log"));
    write(
        parts.resolve("part-00001.parquet"),
        schema,
        List.of(new Object[] {3L, 30L}, new Object[] {1L, 10L}));
    write(parts.resolve("part-00000.parquet"), schema, List.<Object[]>of(new Object[] {2L, 20L}));
    Files.writeString(parts.resolve("_SUCCESS"), "");
    Dataset d =
        DataLoader.load(
            parts, null, LoadOptions.defaults().withIdOrder(LoadOptions.IdOrder.FIRST_APPEARANCE));
    assertEquals(DataFormat.PARQUET, d.format());
    assertEquals(List.of("2", "3", "1"), d.users().ids());
    assertEquals(2, d.report().files().size());
    assertTrue(d.report().files().get(0).endsWith("part-00000.parquet"));
    Path other = parts.resolve("part-00002.parquet");
    write(
        other,
        "message m { required int64 user; required int64 item; required float weight; }",
        List.<Object[]>of(new Object[] {1L, 1L, 1f}));
    InteractionFormatException e =
        assertThrows(
            InteractionFormatException.class,
            () -> DataLoader.load(parts, null, LoadOptions.defaults()));
    assertTrue(
        e.getMessage()
            .startsWith(
                "part-00002.parquet: its columns [user=user:INT64, item=item:INT64, "
                    + "weight=weight:FLOAT, null] differ from those of part-00000.parquet"),
        e.getMessage());
  }

  @Test
  void columnOptionsNameOrIndexColumnsAndNoneTurnsOff() throws IOException {
    Path p =
        write(
            dir.resolve("c.parquet"),
            "message m { required binary title (STRING); required int64 who; required int64 what; required double stars; }",
            List.<Object[]>of(new Object[] {"A", 5L, 6L, 2.0}));
    Dataset d = load(p, LoadOptions.defaults().withColumns("who", "2", "STARS", null));
    assertEquals("5", d.users().idOf(0));
    assertEquals("6", d.items().idOf(0));
    assertArrayEquals(new float[] {2f}, d.train().weights());
    assertNull(
        load(p, LoadOptions.defaults().withColumns("who", "what", "none", "none"))
            .train()
            .weights());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> load(p, LoadOptions.defaults()));
    assertEquals(
        "c.parquet has no user column: names tried [user, userid, user_id], columns [title, who, what, stars];"
            + " name it with --columns",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> load(p, LoadOptions.defaults().withColumns("who", "what", "score", null)));
    assertEquals(
        "weightColumn \"score\" is not a column of c.parquet; its columns are [title, who, what, stars]",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> load(p, LoadOptions.defaults().withColumns("who", "7", null, null)));
    assertEquals(
        "itemColumn 7 is out of range: c.parquet has 4 columns [title, who, what, stars] (0-based indices 0..3)",
        e.getMessage());
  }

  @Test
  void badValuesNameTheFileTheRowAndTheColumn() throws IOException {
    String schema =
        "message m { optional binary user (STRING); optional int64 item; optional double rating; "
            + "optional int64 ts; }";
    Object[] good = {"a", 1L, 1.0, 5L};
    String[][] cases = {
      {"user", "null", "bad.parquet:3: field 'user' is null"},
      {"user", "", "bad.parquet:3: field 'user' is empty"},
      {"item", "null", "bad.parquet:3: field 'item' is null"},
      {
        "rating",
        "-1",
        "bad.parquet:3: field 'weight (column \"rating\")' must be finite and > 0, got -1.0"
      },
      {
        "rating",
        "NaN",
        "bad.parquet:3: field 'weight (column \"rating\")' must be finite and > 0, got NaN"
      },
      {
        "rating",
        "1e300",
        "bad.parquet:3: field 'weight (column \"rating\")' must be finite and > 0, got 1.0E300"
      },
      {"ts", "null", "bad.parquet:3: field 'timestamp (column \"ts\")' is null"},
    };
    for (String[] c : cases) {
      Object[] bad = good.clone();
      int col = List.of("user", "item", "rating", "ts").indexOf(c[0]);
      bad[col] = c[1].equals("null") ? null : col == 2 ? (Object) Double.parseDouble(c[1]) : c[1];
      Path p = write(dir.resolve("bad.parquet"), schema, List.of(good, good, bad, good));
      InteractionFormatException e =
          assertThrows(InteractionFormatException.class, () -> load(p, LoadOptions.defaults()));
      assertEquals(c[2], e.getMessage());
      assertEquals(3, e.lineNumber());
      Files.delete(p);
    }
  }

  @Test
  void wrongTypesMissingColumnsAndBrokenFilesAreOneLineErrors() throws IOException {
    Object[] row = {1.5, true};
    Path types =
        write(
            dir.resolve("types.parquet"),
            "message m { required double user; required boolean item; }",
            List.<Object[]>of(row));
    InteractionFormatException e =
        assertThrows(InteractionFormatException.class, () -> load(types, LoadOptions.defaults()));
    assertEquals(
        "types.parquet: column \"user\" (user) has type DOUBLE; a user column must be INT32, INT64 or a string"
            + " (BYTE_ARRAY)",
        e.getMessage());
    Path ts =
        write(
            dir.resolve("ts.parquet"),
            "message m { required int64 user; required int64 item; required binary ts (STRING); }",
            List.<Object[]>of(new Object[] {1L, 2L, "2024-01-01"}));
    e = assertThrows(InteractionFormatException.class, () -> load(ts, LoadOptions.defaults()));
    assertEquals(
        "ts.parquet: column \"ts\" (timestamp) has type BYTE_ARRAY; a timestamp column must be INT32 or INT64",
        e.getMessage());
    Path missing =
        write(
            dir.resolve("missing.parquet"),
            "message m { required int64 user; }",
            List.<Object[]>of(new Object[] {1L}));
    IllegalArgumentException m =
        assertThrows(IllegalArgumentException.class, () -> load(missing, LoadOptions.defaults()));
    assertEquals(
        "missing.parquet has no item column: names tried [item, itemid, item_id, movieid, movie_id], columns"
            + " [user]; name it with --columns",
        m.getMessage());

    List<Object[]> many = new ArrayList<>();
    for (long r = 0; r < 2000; r++) {
      many.add(new Object[] {r, r % 17});
    }
    Path whole =
        write(
            dir.resolve("whole.parquet"),
            "message m { required int64 user; required int64 item; }",
            many);
    byte[] bytes = Files.readAllBytes(whole);
    Path truncated = dir.resolve("truncated.parquet");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    e =
        assertThrows(
            InteractionFormatException.class, () -> load(truncated, LoadOptions.defaults()));
    assertEquals(
        "truncated.parquet: is not a readable Parquet file (Not a Parquet file (invalid magic number at end))",
        e.getMessage());
    Path csv = dir.resolve("notparquet.parquet");
    Files.writeString(csv, "user,item\n1,2\n");
    e = assertThrows(InteractionFormatException.class, () -> load(csv, LoadOptions.defaults()));
    assertTrue(
        e.getMessage().startsWith("notparquet.parquet: is not a readable Parquet file ("),
        e.getMessage());
    Path empty =
        write(
            dir.resolve("empty.parquet"),
            "message m { required int64 user; required int64 item; }",
            List.of());
    e = assertThrows(InteractionFormatException.class, () -> load(empty, LoadOptions.defaults()));
    assertEquals(
        "empty.parquet: no interactions after 0 lines (0 blank, 0 header)", e.getMessage());
    for (String msg : new String[] {e.getMessage()}) {
      assertEquals(-1, msg.indexOf('\n'), msg.toLowerCase(Locale.ROOT));
    }
  }

  @Test
  void aCorruptPageIsAnErrorNotADrop() throws IOException {
    List<Object[]> many = new ArrayList<>();
    for (long r = 0; r < 5000; r++) {
      many.add(new Object[] {r, r % 17});
    }
    Path whole =
        write(
            dir.resolve("whole.parquet"),
            "message m { required int64 user; required int64 item; }",
            many);
    byte[] bytes = Files.readAllBytes(whole);
    for (int k = 8; k < bytes.length / 3; k++) {
      bytes[k] = (byte) 0xA5; // overwrite the first column chunk's pages, keep the footer
    }
    Path corrupt = dir.resolve("corrupt.parquet");
    Files.write(corrupt, bytes);
    InteractionFormatException e =
        assertThrows(InteractionFormatException.class, () -> load(corrupt, LoadOptions.defaults()));
    assertTrue(e.getMessage().startsWith("corrupt.parquet"), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
  }
}
