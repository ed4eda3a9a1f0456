package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The input defects of issue 10, each reproduced: data after a gzip member, corrupt and truncated
 * gzip, empty training input, malformed UTF-8 merging distinct ids, CR-only lines.
 */
class InputHardeningTest {
  @TempDir Path dir;

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static Dataset load(Path p) throws IOException {
    return DataLoader.load(p, null, LoadOptions.defaults());
  }

  private static InteractionFormatException fails(Path p) {
    return assertThrows(InteractionFormatException.class, () -> load(p));
  }

  @Test
  void concatenatedGzipMembersAreAllRead() throws IOException {
    Path p = write("t.csv", concat(gzip("user,item\nu1,i1\n"), gzip("u2,i2\n"), gzip("u3,i1\n")));
    Dataset d = load(p);
    assertEquals(3, d.numUsers());
    assertEquals(3, d.report().rows());
    assertEquals(4, d.report().lines());
  }

  @Test
  void plainBytesAfterAGzipMemberAreAnErrorNotASilentEnd() throws IOException {
    Path p =
        write(
            "t.csv",
            concat(gzip("user,item\nu1,i1\n"), "u2,i2\n".getBytes(StandardCharsets.US_ASCII)));
    InteractionFormatException e = fails(p);
    assertTrue(e.getMessage().startsWith("t.csv:1: gzip data is corrupt"), e.getMessage());
    assertTrue(e.getMessage().contains("after a valid .gz stream"), e.getMessage());
  }

  @Test
  void truncatedAndCorruptGzipNameTheFileAndTheLineReached() throws IOException {
    StringBuilder text = new StringBuilder("user,item\n");
    for (int k = 0; k < 50_000; k++) {
      text.append('u').append(k % 977).append(",i").append(k % 313).append('\n');
    }
    byte[] whole = gzip(text.toString());
    Path cut = write("cut.csv", java.util.Arrays.copyOf(whole, whole.length - 9));
    InteractionFormatException e = fails(cut);
    assertTrue(e.getMessage().matches("cut\\.csv:\\d+: gzip data is corrupt.*"), e.getMessage());
    assertTrue(
        e.lineNumber() > 1,
        "a truncation near the end is reported past the first line: " + e.lineNumber());
    assertNull(e.field());

    assertEquals(
        "magic.csv:1: gzip data is corrupt at or after this line (it is decompressed in chunks): "
            + "the gzip data ends early (truncated file)",
        fails(write("magic.csv", new byte[] {0x1f, (byte) 0x8b})).getMessage());

    byte[] flipped = whole.clone();
    flipped[whole.length / 2] ^= 0x55;
    InteractionFormatException f = fails(write("flip.csv", flipped));
    assertTrue(f.getMessage().startsWith("flip.csv:"), f.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"empty", "newline", "blanks", "header", "gzip-empty", "gzip-header"})
  void emptyTrainingInputIsADataErrorWithTheLineCounts(String kind) throws IOException {
    byte[] bytes =
        switch (kind) {
          case "empty" -> new byte[0];
          case "newline" -> "\n".getBytes(StandardCharsets.US_ASCII);
          case "blanks" -> "\n  \n\t\n".getBytes(StandardCharsets.US_ASCII);
          case "header" -> "user,item\n".getBytes(StandardCharsets.US_ASCII);
          case "gzip-empty" -> gzip("");
          case "gzip-header" -> gzip("user,item\r\n\r\n");
          default -> throw new AssertionError(kind);
        };
    String expected =
        switch (kind) {
          case "empty", "gzip-empty" -> "t.csv: no interactions after 0 lines (0 blank, 0 header)";
          case "newline" -> "t.csv: no interactions after 1 lines (1 blank, 0 header)";
          case "blanks" -> "t.csv: no interactions after 3 lines (3 blank, 0 header)";
          case "header" -> "t.csv: no interactions after 1 lines (0 blank, 1 header)";
          case "gzip-header" -> "t.csv: no interactions after 2 lines (1 blank, 1 header)";
          default -> throw new AssertionError(kind);
        };
    InteractionFormatException e = fails(write("t.csv", bytes));
    assertEquals(expected, e.getMessage());
    assertEquals(0, e.lineNumber());
  }

  @Test
  void emptyTrainFilesOfTheFixedLayoutsAreDataErrors() throws IOException {
    Path ncf = Files.createDirectory(dir.resolve("ncf"));
    Files.writeString(ncf.resolve("x.train.rating"), "\n");
    Files.writeString(ncf.resolve("x.test.rating"), "0\t1\t5\t0\n");
    assertEquals(
        "x.train.rating: no interactions after 1 lines (1 blank, 0 header)",
        fails(ncf).getMessage());
    Path gcn = Files.createDirectory(dir.resolve("gcn"));
    Files.writeString(gcn.resolve("train.txt"), "0\n1\n");
    Files.writeString(gcn.resolve("test.txt"), "0 1\n");
    assertEquals(
        "train.txt: no interactions after 2 lines (0 blank, 0 header, 2 users without items)",
        fails(gcn).getMessage());
  }

  @Test
  void crOnlyLineEndingsAreAnErrorNamingTheLine() throws IOException {
    InteractionFormatException e =
        fails(write("t.csv", "user,item\ru1,i1\ru2,i2\r".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(
        "t.csv:1: line has a carriage return at byte 10 (CR-only line endings?); lines must end with \\n or \\r\\n",
        e.getMessage());
    // CRLF is fine
    assertEquals(
        2,
        load(write(
                "crlf.csv", "user,item\r\nu1,i1\r\nu2,i2\r\n".getBytes(StandardCharsets.US_ASCII)))
            .numUsers());
  }

  @Test
  void malformedUtf8IsAnErrorNotASilentMergeOfDistinctIds() throws IOException {
    byte[] bytes = {
      'u',
      's',
      'e',
      'r',
      ',',
      'i',
      't',
      'e',
      'm',
      '\n',
      (byte) 0xff,
      ',',
      'i',
      '1',
      '\n',
      (byte) 0xfe,
      ',',
      'i',
      '2',
      '\n',
      'u',
      '3',
      ',',
      'i',
      '1',
      '\n'
    };
    InteractionFormatException e = fails(write("u.csv", bytes));
    assertEquals("u.csv:2: line is not valid UTF-8: byte 0xFF at byte 1", e.getMessage());
    assertEquals(2, e.lineNumber());
    // well-formed non-ASCII ids stay distinct
    Dataset d =
        load(write("ok.csv", "user,item\nü,i1\né,i2\n😀,i1\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(3, d.numUsers());
    assertEquals(java.util.List.of("ü", "é", "😀"), d.users().ids());
  }

  @Test
  void latin1ModeAcceptsAnyByte() throws IOException {
    Path p = write("movies.dat", new byte[] {'1', ':', ':', (byte) 0xe9, ':', ':', 'A', '\n'});
    try (LineReader in = LineReader.open(p, LineReader.Encoding.LATIN1)) {
      assertTrue(in.next());
      assertEquals(7, in.end() - in.start());
    }
    assertThrows(
        InteractionFormatException.class,
        () -> {
          try (LineReader in = LineReader.open(p)) {
            in.next();
          }
        });
  }
}
