package org.totalrecall.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.model.FactorModel;

/**
 * Model files never hold a non-finite value (refused on write and, with valid checksums, on read,
 * naming table and row); a write removes the temporaries of killed writers and nothing else; a
 * model path is checked for writability before anything is trained.
 */
class ModelFileHardeningTest {
  @TempDir Path dir;

  /**
   * Sets float {@code index} of the table section {@code tag} to {@code value} and fixes its
   * CRC32C.
   */
  static void patchFloat(Path file, int tag, int index, float value) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int pos = ModelFormat.HEADER_BYTES;
    while (true) {
      int t = b.getInt(pos);
      long len = b.getLong(pos + 4);
      int payload = pos + ModelFormat.SECTION_HEADER_BYTES;
      if (t == tag) {
        b.putFloat(payload + 4 * index, value);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), payload, (int) len);
        b.putInt(payload + (int) len, (int) crc.getValue());
        Files.write(file, b.array());
        return;
      }
      pos = payload + (int) len + 4;
    }
  }

  @Test
  void nonFiniteValuesWithValidChecksumsAreRefusedNamingTableAndRow() throws IOException {
    FactorModel m = ModelFormatTest.randomModel(5, 4, 3, 11L, true);
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      Path user = dir.resolve("user.trm");
      ModelFormat.write(m, user);
      patchFloat(user, ModelFormat.TAG_USER_TABLE, 2 * 3 + 1, bad); // row 2, column 1
      ModelFormatException e =
          assertThrows(ModelFormatException.class, () -> ModelFormat.read(user));
      assertEquals(
          "user.trm: section 'user table': row 2 (id \""
              + m.userIds().idOf(2)
              + "\") holds "
              + bad
              + " in column 1; a model never holds a non-finite value",
          e.getMessage());
      assertEquals("user table", e.section());

      Path item = dir.resolve("item.trm");
      ModelFormat.write(m, item);
      patchFloat(item, ModelFormat.TAG_ITEM_TABLE, 3 * 3, bad); // row 3, column 0
      e = assertThrows(ModelFormatException.class, () -> ModelFormat.read(item));
      assertTrue(
          e.getMessage()
              .startsWith("item.trm: section 'item table': row 3 (id \"3\") holds " + bad),
          e.getMessage());
    }
  }

  @Test
  void aModelHoldingNanIsNotWrittenAndNoFileIsLeft() throws IOException {
    FactorModel m = ModelFormatTest.randomModel(5, 4, 3, 11L, false);
    m.itemTable().data()[5] = Float.NaN;
    Path out = dir.resolve("nan.trm");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelFormat.write(m, out));
    assertEquals("model not written: the item table holds NaN in row 1, column 2", e.getMessage());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.toList());
    }
  }

  @Test
  void staleTemporariesAreRemovedLockedOrFreshOnesKept() throws IOException {
    FactorModel m = ModelFormatTest.randomModel(3, 3, 2, 1L, false);
    Path target = dir.resolve("m.trm");
    long old = System.currentTimeMillis() - 60_000;
    Path stale = Files.writeString(dir.resolve("m.trm.abc123.tmp"), "killed writer");
    Files.setLastModifiedTime(stale, FileTime.fromMillis(old));
    Path fresh = Files.writeString(dir.resolve("m.trm.def456.tmp"), "a writer that just started");
    Path unrelated = Files.writeString(dir.resolve("m.trm.notes.tmp"), "not ours: not hex");
    Files.setLastModifiedTime(unrelated, FileTime.fromMillis(old));
    Path locked =
        Files.writeString(dir.resolve("m.trm.0ff1ce.tmp"), "a live writer in another process");
    Files.setLastModifiedTime(locked, FileTime.fromMillis(old));
    // A lock held through this JVM stands for another process's: the clean-up must not take it.
    try (FileChannel ch = FileChannel.open(locked, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      ModelFormat.write(m, target);
      assertTrue(lock.isValid());
    }
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(fresh));
    assertTrue(Files.exists(unrelated));
    assertTrue(Files.exists(locked));
    ModelFormatTest.assertSameModel(m, ModelFormat.read(target));
  }

  @Test
  void writabilityIsCheckedWithoutLeavingAFile() throws IOException {
    Path target = dir.resolve("later.trm");
    ModelFormat.checkWritable(target);
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.toList());
    }
    assertThrows(
        java.nio.file.NoSuchFileException.class,
        () -> ModelFormat.checkWritable(dir.resolve("no/such/m.trm")));
    assertThrows(java.nio.file.FileSystemException.class, () -> ModelFormat.checkWritable(dir));
  }
}
