package org.totalrecall.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.cli.Main;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.io.ModelFormatException;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;

/**
 * Exhaustive damage to a small model file (3 users, 4 items, dim 2, with ids, seen interactions and
 * metadata): every byte flipped (xor 0xFF, and each of its 8 single-bit flips) and every truncation
 * must be refused by {@link ModelFormat#read} with a {@link ModelFormatException} naming the file,
 * and by {@code totalrecall recommend} with exit 65 (a sample of positions, one per section part).
 * Non-finite table values with valid checksums must be refused naming the table and the row, and
 * {@link ModelFormat#write} must refuse a model holding them, leaving no file behind.
 */
class ModelFileFuzzTest {
  @TempDir Path dir;

  static final int DIM = 2;
  static final List<String> USERS = List.of("alice", "bob", "carol");
  static final int ITEMS = 4;

  static FactorModel model(float[] users, float[] items) {
    int[] rows = {0, 0, 1, 2, 2};
    int[] cols = {0, 3, 1, 2, 3};
    Interactions seen =
        Interactions.fromPairs(USERS.size(), ITEMS, rows, cols, null, null, rows.length);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("objective", "bi-infonce");
    meta.put("note", "fuzz");
    return new FactorModel(
        new EmbeddingTable(USERS.size(), DIM, users),
        new EmbeddingTable(ITEMS, DIM, items),
        IdIndex.of(USERS),
        IdIndex.identity(ITEMS),
        Scorer.cosine(0.1f),
        meta,
        seen);
  }

  static float[] userValues() {
    return new float[] {0.5f, -0.25f, 1f, 0.125f, -0.75f, 0.375f};
  }

  static float[] itemValues() {
    return new float[] {0.25f, 1f, -0.5f, 0.5f, 1f, -1f, 0.125f, -0.625f};
  }

  private byte[] validBytes() throws IOException {
    Path p = dir.resolve("valid.trm");
    ModelFormat.write(model(userValues(), itemValues()), p);
    return Files.readAllBytes(p);
  }

  /**
   * A section of the file: tag, where its 16-byte header starts, its payload's offset and length.
   */
  record Section(int tag, int start, int payload, int length) {
    int end() {
      return payload + length + 4;
    }
  }

  /**
   * The test's own walk of the documented layout: 16-byte file header, then tag u32 | length u64 |
   * crc u32 | payload | crc u32.
   */
  static List<Section> sections(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    List<Section> out = new ArrayList<>();
    int pos = 16;
    while (pos + 16 <= file.length) {
      int tag = b.getInt(pos);
      int length = (int) b.getLong(pos + 4);
      out.add(new Section(tag, pos, pos + 16, length));
      pos += 16 + length + 4;
    }
    return out;
  }

  private static String describe(byte[] file, int pos) {
    if (pos < 16) {
      return "file header";
    }
    for (Section s : sections(file)) {
      if (pos >= s.start() && pos < s.end()) {
        String part =
            pos < s.payload()
                ? "section header"
                : pos < s.payload() + s.length() ? "payload" : "checksum";
        return "section tag " + Integer.toUnsignedString(s.tag()) + " " + part;
      }
    }
    return "after the end";
  }

  /** Reads {@code bytes} as a model file; null if refused correctly, else what went wrong. */
  private String refusal(byte[] bytes, Path file) throws IOException {
    Files.write(file, bytes);
    try {
      ModelFormat.read(file);
      return "accepted";
    } catch (ModelFormatException e) {
      String msg = String.valueOf(e.getMessage());
      if (!msg.startsWith(file.getFileName() + ": ")) {
        return "message does not start with the file name: " + msg;
      }
      return null;
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      return "threw " + e;
    }
  }

  @Test
  void everySingleByteAndBitFlipIsRefused() throws IOException {
    byte[] valid = validBytes();
    Path file = dir.resolve("flip.trm");
    List<String> failures = new ArrayList<>();
    int tried = 0;
    for (int pos = 0; pos < valid.length; pos++) {
      for (int x : new int[] {0xFF, 1, 2, 4, 8, 16, 32, 64, 128}) {
        byte[] damaged = valid.clone();
        damaged[pos] ^= (byte) x;
        tried++;
        String problem = refusal(damaged, file);
        if (problem != null) {
          failures.add(
              "byte "
                  + pos
                  + " ("
                  + describe(valid, pos)
                  + ") xor 0x"
                  + Integer.toHexString(x)
                  + ": "
                  + problem);
        }
      }
    }
    System.out.println(
        "model fuzz: "
            + tried
            + " byte/bit flips of a "
            + valid.length
            + "-byte model, "
            + failures.size()
            + " not refused");
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " of "
              + tried
              + " flips not refused, e.g.\n  "
              + String.join("\n  ", failures.subList(0, Math.min(20, failures.size())))
              + "\nfile: "
              + Dump.hex(valid));
    }
  }

  @Test
  void everyTruncationIsRefused() throws IOException {
    byte[] valid = validBytes();
    Path file = dir.resolve("cut.trm");
    List<String> failures = new ArrayList<>();
    for (int len = 0; len < valid.length; len++) {
      byte[] cut = new byte[len];
      System.arraycopy(valid, 0, cut, 0, len);
      String problem = refusal(cut, file);
      if (problem != null) {
        failures.add("length " + len + " (cut in " + describe(valid, len) + "): " + problem);
      }
    }
    System.out.println(
        "model fuzz: " + valid.length + " truncations, " + failures.size() + " not refused");
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " truncations not refused, e.g.\n  "
              + String.join("\n  ", failures.subList(0, Math.min(20, failures.size())))
              + "\nfile: "
              + Dump.hex(valid));
    }
  }

  private record Cli(int exit, String out, String err) {}

  private static Cli recommend(Path model) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {"recommend", "--model", model.toString(), "--user", "alice", "--k", "2"},
            new PrintStream(o, true, StandardCharsets.UTF_8),
            new PrintStream(e, true, StandardCharsets.UTF_8));
    return new Cli(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  @Test
  void damagedModelsExit65ThroughRecommend() throws IOException {
    byte[] valid = validBytes();
    Path good = dir.resolve("good.trm");
    Files.write(good, valid);
    Cli ok = recommend(good);
    assertEquals(0, ok.exit(), ok.toString());
    List<Integer> positions = new ArrayList<>(List.of(0, 7, 8, 12));
    for (Section s : sections(valid)) {
      positions.add(s.start());
      positions.add(s.start() + 4);
      positions.add(s.start() + 12);
      if (s.length() > 0) {
        positions.add(s.payload() + s.length() / 2);
      }
      positions.add(s.end() - 1);
    }
    Path bad = dir.resolve("bad.trm");
    List<String> failures = new ArrayList<>();
    List<byte[]> damaged = new ArrayList<>();
    List<String> what = new ArrayList<>();
    for (int pos : positions) {
      byte[] d = valid.clone();
      d[pos] ^= (byte) 0xFF;
      damaged.add(d);
      what.add("flip at " + pos + " (" + describe(valid, pos) + ")");
    }
    for (int len : new int[] {0, 5, 16, valid.length / 2, valid.length - 1}) {
      byte[] d = new byte[len];
      System.arraycopy(valid, 0, d, 0, len);
      damaged.add(d);
      what.add("truncated to " + len);
    }
    for (int k = 0; k < damaged.size(); k++) {
      Files.write(bad, damaged.get(k));
      Cli r = recommend(bad);
      String[] lines = r.err().lines().toArray(String[]::new);
      if (r.exit() != 65
          || lines.length != 1
          || !lines[0].startsWith("totalrecall: ")
          || !r.err().contains("bad.trm")) {
        failures.add(what.get(k) + ": exit " + r.exit() + ", stderr " + r.err().strip());
      }
    }
    if (!failures.isEmpty()) {
      fail(
          "recommend on a damaged model must exit 65 with one line naming the file:\n  "
              + String.join("\n  ", failures));
    }
  }

  /**
   * The bytes of a valid model with table {@code tag}'s entry (row, k) set to {@code value} and the
   * section checksum recomputed.
   */
  static byte[] withTableValue(byte[] valid, int tag, int row, int k, float value) {
    byte[] b = valid.clone();
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    for (Section s : sections(b)) {
      if (s.tag() == tag) {
        buf.putFloat(s.payload() + 4 * (row * DIM + k), value);
        CRC32C crc = new CRC32C();
        crc.update(b, s.payload(), s.length());
        buf.putInt(s.payload() + s.length(), (int) crc.getValue());
        return b;
      }
    }
    throw new AssertionError("no section with tag " + tag);
  }

  @Test
  void nonFiniteTableValuesWithValidChecksumsAreRefusedNamingTableAndRow() throws IOException {
    byte[] valid = validBytes();
    Path file = dir.resolve("nonfinite.trm");
    List<String> failures = new ArrayList<>();
    record Spot(int tag, String table, int row, int k) {}
    for (Spot s :
        new Spot[] {
          new Spot(4, "user table", 2, 1),
          new Spot(5, "item table", 3, 0),
          new Spot(5, "item table", 1, 1)
        }) {
      for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
        byte[] b = withTableValue(valid, s.tag(), s.row(), s.k(), v);
        Files.write(file, b);
        String where = s.table() + " row " + s.row() + " = " + v;
        try {
          ModelFormat.read(file);
          failures.add(where + ": accepted");
        } catch (ModelFormatException e) {
          String msg = e.getMessage();
          if (!msg.contains(s.table()) || !msg.matches("(?s).*\\brow " + s.row() + "\\b.*")) {
            failures.add(
                where
                    + ": message must name the "
                    + s.table()
                    + " and 'row "
                    + s.row()
                    + "', got: "
                    + msg);
          }
        } catch (IOException | RuntimeException e) {
          failures.add(where + ": threw " + e);
        }
        if (s.row() == 2) {
          Cli r = recommend(file);
          if (r.exit() != 65) {
            failures.add(where + ": recommend exit " + r.exit() + " (want 65): " + r.err().strip());
          }
        }
      }
    }
    if (!failures.isEmpty()) {
      fail(
          "non-finite table values must be refused on read:\n  "
              + String.join("\n  ", failures)
              + "\nreproducer (user table row 2 = NaN, checksums valid): "
              + Dump.hex(withTableValue(valid, 4, 2, 1, Float.NaN)));
    }
  }

  @Test
  void writingAModelWithNonFiniteValuesIsRefusedAndLeavesNoFile() throws IOException {
    List<String> failures = new ArrayList<>();
    float[] items = itemValues();
    items[5] = Float.NaN;
    float[] users = userValues();
    users[0] = Float.NEGATIVE_INFINITY;
    Map<String, FactorModel> bad = new LinkedHashMap<>();
    bad.put("NaN in the item table", model(userValues(), items));
    bad.put("-Inf in the user table", model(users, itemValues()));
    for (Map.Entry<String, FactorModel> e : bad.entrySet()) {
      Path sub = Files.createDirectories(dir.resolve("w" + failures.size() + e.getKey().length()));
      Path fresh = sub.resolve("fresh.trm");
      Path existing = sub.resolve("existing.trm");
      ModelFormat.write(model(userValues(), itemValues()), existing);
      byte[] before = Files.readAllBytes(existing);
      for (Path target : new Path[] {fresh, existing}) {
        try {
          ModelFormat.write(e.getValue(), target);
          failures.add(e.getKey() + ": write to " + target.getFileName() + " succeeded");
        } catch (IllegalArgumentException | IOException ex) {
          // refused: the wanted outcome
        } catch (RuntimeException ex) {
          failures.add(
              e.getKey()
                  + ": write threw "
                  + ex
                  + " (want IllegalArgumentException or an IOException)");
        }
      }
      if (Files.exists(fresh)) {
        failures.add(e.getKey() + ": a model file was left at the new path");
      }
      if (!java.util.Arrays.equals(before, Files.readAllBytes(existing))) {
        failures.add(e.getKey() + ": the existing model file was changed");
      }
      try (Stream<Path> s = Files.list(sub)) {
        List<String> tmp =
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        if (!tmp.isEmpty()) {
          failures.add(e.getKey() + ": temporary files left: " + tmp);
        }
      }
    }
    if (!failures.isEmpty()) {
      fail(
          "ModelFormat.write must refuse non-finite values without leaving a file:\n  "
              + String.join("\n  ", failures));
    }
  }

  @Test
  void theValidModelRoundTrips() throws IOException {
    byte[] valid = validBytes();
    Path p = dir.resolve("valid.trm");
    FactorModel m = ModelFormat.read(p);
    assertArrayEquals(userValues(), m.userTable().data());
    assertArrayEquals(itemValues(), m.itemTable().data());
    assertEquals(USERS, m.userIds().ids());
    assertTrue(sections(valid).size() >= 6, "sections: " + sections(valid));
    assertFalse(sections(valid).isEmpty());
  }
}
