package org.totalrecall.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;
import org.totalrecall.testkit.Fixtures;

class ModelFormatTest {
  @TempDir Path dir;

  /** A section of a written file: [start, end) covers its header, payload and checksum. */
  record Span(String name, long start, long end) {}

  /** Walks the section headers of a well-formed file (the test's own reading of the layout). */
  static List<Span> layout(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    List<Span> spans = new ArrayList<>();
    spans.add(new Span("header", 0, ModelFormat.HEADER_BYTES));
    int pos = ModelFormat.HEADER_BYTES;
    while (pos < file.length) {
      int tag = b.getInt(pos);
      long len = b.getLong(pos + 4);
      long end = pos + ModelFormat.SECTION_HEADER_BYTES + len + 4;
      spans.add(new Span(ModelFormat.sectionName(tag), pos, end));
      pos = (int) end;
    }
    return spans;
  }

  static FactorModel randomModel(int numUsers, int numItems, int dim, long seed, boolean withSeen) {
    return randomModel(numUsers, numItems, dim, seed, withSeen, false);
  }

  /**
   * A random model; with {@code gmf}, a gmf scorer with random h (one entry negative) instead of
   * cosine.
   */
  static FactorModel randomModel(
      int numUsers, int numItems, int dim, long seed, boolean withSeen, boolean gmf) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] u = Fixtures.randomFloats(rng, numUsers * dim);
    float[] v = Fixtures.randomFloats(rng, numItems * dim);
    u[0] = -0f;
    v[v.length - 1] = Float.MIN_VALUE;
    List<String> userIds = new ArrayList<>();
    for (int i = 0; i < numUsers; i++) {
      userIds.add("user-" + Long.toHexString(rng.nextLong()) + (i % 3 == 0 ? "-é" : ""));
    }
    Interactions seen = null;
    if (withSeen) {
      int n = numUsers * 3;
      int[] rows = new int[n];
      int[] cols = new int[n];
      for (int p = 0; p < n; p++) {
        rows[p] = rng.nextInt(numUsers);
        cols[p] = rng.nextInt(numItems);
      }
      seen = Interactions.fromPairs(numUsers, numItems, rows, cols, null, null, n);
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("objective", "BI_INFONCE");
    meta.put("config", Map.of("dim", dim, "temperature", 0.1, "seed", seed));
    meta.put(
        "summary",
        Map.of("positivesPerSecond", 123456.5, "bestValidation", Map.of("ndcg@10", 0.25)));
    meta.put("files", List.of("a.txt", "b.txt"));
    meta.put("flag", true);
    return new FactorModel(
        new EmbeddingTable(numUsers, dim, u),
        new EmbeddingTable(numItems, dim, v),
        IdIndex.of(userIds),
        IdIndex.identity(numItems),
        gmf ? Scorer.gmf(gmfWeights(dim, rng)) : Scorer.cosine(0.07f),
        meta,
        seen);
  }

  private static float[] gmfWeights(int dim, SplittableRandom rng) {
    float[] h = Fixtures.randomFloats(rng, dim);
    h[0] = -Math.abs(h[0]) - 0.5f;
    return h;
  }

  static void assertSameModel(FactorModel expected, FactorModel actual) {
    assertEquals(expected.dim(), actual.dim());
    assertEquals(expected.userIds().ids(), actual.userIds().ids());
    assertEquals(expected.itemIds().ids(), actual.itemIds().ids());
    assertEquals(expected.scorer(), actual.scorer());
    assertArrayEquals(rawBits(expected.userTable().data()), rawBits(actual.userTable().data()));
    assertArrayEquals(rawBits(expected.itemTable().data()), rawBits(actual.itemTable().data()));
    if (expected.seen() == null) {
      assertNull(actual.seen());
    } else {
      assertArrayEquals(expected.seen().rowStarts(), actual.seen().rowStarts());
      assertArrayEquals(expected.seen().cols(), actual.seen().cols());
    }
  }

  static int[] rawBits(float[] a) {
    int[] bits = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      bits[i] = Float.floatToRawIntBits(a[i]);
    }
    return bits;
  }

  @Test
  void shapeIsReadFromTheMetadataAloneEvenWhenTheTablesAreCut() throws IOException {
    FactorModel model = randomModel(37, 23, 5, 11L, true);
    Path file = dir.resolve("m.trm");
    ModelFormat.write(model, file);
    assertEquals(new ModelFormat.Shape(5, 37, 23), ModelFormat.readShape(file));
    byte[] bytes = Files.readAllBytes(file);
    Span metadata = layout(bytes).get(1);
    Path cut = dir.resolve("cut.trm");
    Files.write(cut, java.util.Arrays.copyOf(bytes, (int) metadata.end()));
    assertEquals(new ModelFormat.Shape(5, 37, 23), ModelFormat.readShape(cut));
    Files.write(cut, java.util.Arrays.copyOf(bytes, (int) metadata.end() - 1));
    assertThrows(ModelFormatException.class, () -> ModelFormat.readShape(cut));
  }

  @Test
  void roundTripKeepsTablesBitwiseIdsScorerMetadataAndSeen() throws IOException {
    FactorModel model = randomModel(37, 23, 5, 11L, true);
    Path file = dir.resolve("m.trm");
    ModelFormat.write(model, file);
    FactorModel back = ModelFormat.read(file);
    assertSameModel(model, back);
    assertEquals("BI_INFONCE", back.metadata().get("objective"));
    assertEquals(Map.of("dim", 5, "temperature", 0.1, "seed", 11), back.metadata().get("config"));
    assertEquals(
        Map.of("positivesPerSecond", 123456.5, "bestValidation", Map.of("ndcg@10", 0.25)),
        back.metadata().get("summary"));
    assertEquals(List.of("a.txt", "b.txt"), back.metadata().get("files"));
    assertEquals(true, back.metadata().get("flag"));
  }

  @Test
  void roundTripOfDotModelWithoutSeenAndWithIdentityIds() throws IOException {
    FactorModel model =
        new FactorModel(
            new EmbeddingTable(4, 2, new float[] {1, 2, 3, 4, 5, 6, 7, 8}),
            new EmbeddingTable(0, 2),
            null,
            null,
            Scorer.dot(),
            null,
            null);
    Path file = dir.resolve("dot.trm");
    ModelFormat.write(model, file);
    FactorModel back = ModelFormat.read(file);
    assertSameModel(model, back);
    assertTrue(back.userIds().isIdentity());
    assertTrue(back.metadata().isEmpty());
  }

  @Test
  void gmfModelRoundTripsWithItsWeightsAndRetrievesByTheGmfScore() throws IOException {
    FactorModel model = randomModel(9, 11, 6, 21L, true, true);
    Path file = dir.resolve("gmf.trm");
    ModelFormat.write(model, file);
    FactorModel back = ModelFormat.read(file);
    assertSameModel(model, back);
    assertTrue(back.scorer().isGmf());
    float[] h = back.scorer().weights();
    for (int u = 0; u < back.numUsers(); u++) {
      for (int i = 0; i < back.numItems(); i++) {
        double expected = 0;
        for (int k = 0; k < back.dim(); k++) {
          expected += (double) h[k] * back.userTable().get(u, k) * back.itemTable().get(i, k);
        }
        assertEquals(
            expected,
            back.score(u, i),
            1e-5 * (1 + Math.abs(expected)),
            "user " + u + ", item " + i);
      }
    }
  }

  @Test
  void aGmfScorerInAVersionOneFileIsRefused() throws IOException {
    Path file = dir.resolve("old.trm");
    ModelFormat.write(randomModel(3, 3, 2, 1L, false, true), file);
    byte[] full = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(full).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(8, 1);
    CRC32C crc = new CRC32C();
    crc.update(full, 0, 12);
    b.putInt(12, (int) crc.getValue());
    Files.write(file, full);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFormat.read(file));
    assertEquals(
        "old.trm: section 'metadata': field 'model.scorer' is GMF, which format version 1 cannot hold"
            + " (its weights need version 2)",
        e.getMessage());
  }

  @Test
  void tablesLargerThanTheIoBufferRoundTrip() throws IOException {
    FactorModel model = randomModel(700, 3001, 128, 5L, true); // 1.5 MiB item table, unaligned rows
    Path file = dir.resolve("big.trm");
    ModelFormat.write(model, file);
    assertSameModel(model, ModelFormat.read(file));
  }

  @ParameterizedTest(name = "gmf={0}")
  @ValueSource(booleans = {false, true})
  void truncationAtEveryOffsetIsRefusedNamingTheSection(boolean gmf) throws IOException {
    Path file = dir.resolve("t.trm");
    ModelFormat.write(randomModel(6, 4, 3, 3L, true, gmf), file);
    byte[] full = Files.readAllBytes(file);
    List<Span> spans = layout(full);
    List<String> names =
        new ArrayList<>(
            List.of(
                "header",
                "metadata",
                "user ids",
                "item ids",
                "user table",
                "item table",
                "seen interactions",
                "end marker"));
    if (gmf) {
      names.add(6, "scorer weights");
    }
    assertEquals(names, spans.stream().map(Span::name).toList());
    Path cut = dir.resolve("cut.trm");
    for (int length = 0; length < full.length; length++) {
      Files.write(cut, java.util.Arrays.copyOf(full, length));
      ModelFormatException e =
          assertThrows(ModelFormatException.class, () -> ModelFormat.read(cut));
      String msg = e.getMessage();
      if (length < ModelFormat.MAGIC.length) {
        assertTrue(msg.contains("not a TotalRecall model file") || msg.contains("empty file"), msg);
        continue;
      }
      Span at = spanAt(spans, length);
      assertTrue(
          msg.startsWith("cut.trm: truncated in section '" + at.name() + "' (expected "),
          length + ": " + msg);
      assertEquals(at.name(), e.section());
    }
  }

  @Test
  void truncationMessageCountsTheMissingBytes() throws IOException {
    Path file = dir.resolve("t.trm");
    ModelFormat.write(randomModel(6, 4, 3, 3L, false), file);
    byte[] full = Files.readAllBytes(file);
    Span userTable =
        layout(full).stream().filter(s -> s.name().equals("user table")).findFirst().orElseThrow();
    long cutAt = userTable.start() + ModelFormat.SECTION_HEADER_BYTES + 10;
    Files.write(file, java.util.Arrays.copyOf(full, (int) cutAt));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFormat.read(file));
    assertEquals(
        "t.trm: truncated in section 'user table' (expected "
            + (userTable.end() - cutAt)
            + " more bytes)",
        e.getMessage());
  }

  @ParameterizedTest(name = "gmf={0}")
  @ValueSource(booleans = {false, true})
  void aFlippedByteAnywhereIsRefusedNamingItsSection(boolean gmf) throws IOException {
    Path file = dir.resolve("c.trm");
    ModelFormat.write(randomModel(6, 4, 3, 4L, true, gmf), file);
    byte[] full = Files.readAllBytes(file);
    List<Span> spans = layout(full);
    Path bad = dir.resolve("bad.trm");
    for (int pos = 0; pos < full.length; pos++) {
      byte[] copy = full.clone();
      copy[pos] ^= 0x10;
      Files.write(bad, copy);
      ModelFormatException e =
          assertThrows(
              ModelFormatException.class, () -> ModelFormat.read(bad), "flipped byte " + pos);
      String msg = e.getMessage();
      if (pos < ModelFormat.MAGIC.length) {
        assertEquals("bad.trm: not a TotalRecall model file (bad magic)", msg);
        continue;
      }
      Span at = spanAt(spans, pos);
      assertEquals(at.name(), e.section(), "flipped byte " + pos + ": " + msg);
      assertTrue(
          msg.contains("section '" + at.name() + "'")
              && msg.contains("checksum mismatch (file corrupted)"),
          "flipped byte " + pos + ": " + msg);
    }
  }

  @Test
  void corruptedTableReportsTheTableSection() throws IOException {
    Path file = dir.resolve("model.trm");
    ModelFormat.write(randomModel(6, 4, 3, 4L, true), file);
    byte[] full = Files.readAllBytes(file);
    Span items =
        layout(full).stream().filter(s -> s.name().equals("item table")).findFirst().orElseThrow();
    full[(int) items.start() + ModelFormat.SECTION_HEADER_BYTES + 5] ^= 1;
    Files.write(file, full);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFormat.read(file));
    assertEquals(
        "model.trm: section 'item table' checksum mismatch (file corrupted)", e.getMessage());
    assertEquals(ModelFormat.CURRENT_VERSION, e.versionFound());
  }

  @Test
  void unknownVersionIsRefusedNamingFoundAndSupportedVersions() throws IOException {
    Path file = dir.resolve("v7.trm");
    ModelFormat.write(randomModel(3, 3, 2, 1L, false), file);
    byte[] full = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(full).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(8, 7);
    CRC32C crc = new CRC32C();
    crc.update(full, 0, 12);
    b.putInt(12, (int) crc.getValue());
    Files.write(file, full);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFormat.read(file));
    assertEquals(
        "v7.trm: unsupported format version 7 (this build reads versions 1, 2)", e.getMessage());
    assertEquals(7, e.versionFound());
    assertArrayEquals(new int[] {1, 2}, e.versionsSupported());
  }

  @Test
  void aFileOfAnotherKindIsNotAModel() throws IOException {
    Path file = dir.resolve("ratings.csv");
    Files.writeString(file, "user,item\n1,2\n");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFormat.read(file));
    assertEquals("ratings.csv: not a TotalRecall model file (bad magic)", e.getMessage());
    assertEquals(-1, e.versionFound());
  }

  @Test
  void bytesAfterTheEndMarkerAreRefused() throws IOException {
    Path file = dir.resolve("tail.trm");
    ModelFormat.write(randomModel(3, 3, 2, 1L, false), file);
    Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFormat.read(file));
    assertTrue(
        e.getMessage().contains("end marker") && e.getMessage().contains("1 unexpected bytes"),
        e.getMessage());
  }

  @Test
  void writeReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("m.trm");
    ModelFormat.write(randomModel(3, 3, 2, 1L, false), file);
    FactorModel second = randomModel(5, 4, 2, 2L, true);
    ModelFormat.write(second, file);
    assertSameModel(second, ModelFormat.read(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void aFailedWriteKeepsThePreviousFileAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("m.trm");
    FactorModel first = randomModel(3, 3, 2, 1L, false);
    ModelFormat.write(first, file);
    Map<String, Object> unserialisable = Map.of("oops", new Object());
    assertThrows(
        IOException.class, () -> ModelFormat.write(first.withMetadata(unserialisable), file));
    assertSameModel(first, ModelFormat.read(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void aMissingFileIsAnIoErrorNotAFormatError() {
    IOException e =
        assertThrows(IOException.class, () -> ModelFormat.read(dir.resolve("absent.trm")));
    assertTrue(!(e instanceof ModelFormatException), e.toString());
  }

  private static Span spanAt(List<Span> spans, long pos) {
    for (Span s : spans) {
      if (pos >= s.start() && pos < s.end()) {
        return s;
      }
    }
    throw new AssertionError("offset " + pos + " outside the file");
  }
}
