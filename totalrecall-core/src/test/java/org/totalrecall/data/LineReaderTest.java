package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Line splitting across buffer refills, line ends, and gzip by magic bytes. */
class LineReaderTest {
  @TempDir Path dir;

  private static List<String> lines(Path p) throws IOException {
    List<String> out = new ArrayList<>();
    try (LineReader in = LineReader.open(p)) {
      while (in.next()) {
        out.add(new String(in.buffer(), in.start(), in.end() - in.start(), StandardCharsets.UTF_8));
        assertEquals(out.size(), in.lineNumber());
      }
    }
    return out;
  }

  @Test
  void longLinesCrLfAndAMissingFinalNewlineAreHandled() throws IOException {
    StringBuilder longLine = new StringBuilder("0");
    for (int k = 1; k < 60_000; k++) {
      longLine.append(' ').append(k);
    }
    String text = "a\r\n" + longLine + "\n\n" + "x y";
    Path p = dir.resolve("t.txt");
    Files.writeString(p, text);
    List<String> got = lines(p);
    assertEquals(List.of("a", longLine.toString(), "", "x y"), got);
    Path gz = dir.resolve("t-compressed");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(LineReader.isGzip(gz));
    assertFalse(LineReader.isGzip(p));
    assertEquals(got, lines(gz));
  }

  @Test
  void emptyAndOneByteFilesAreNotMistakenForGzip() throws IOException {
    Path empty = dir.resolve("empty");
    Files.write(empty, new byte[0]);
    assertEquals(List.of(), lines(empty));
    Path one = dir.resolve("one");
    Files.write(one, new byte[] {0x1f});
    assertEquals(1, lines(one).size());
  }
}
