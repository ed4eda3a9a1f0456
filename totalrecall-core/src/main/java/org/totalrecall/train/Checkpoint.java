package org.totalrecall.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A training checkpoint: everything needed to continue a run after a completed epoch so that the
 * continued run equals the uninterrupted one (bitwise, on one thread): the configuration and the
 * fingerprint of the training data it was written for, the driver's state (epochs, records, losses,
 * convergence log, best validation), and the solver's arrays (tables, optimizer state; see {@link
 * Solver#state()}). Generators are derived from the seed per epoch ({@link Seeds}).
 *
 * <pre>
 *   "TRCKPT\0\1" | header length u32 | header JSON | array count u32 |
 *   per array: name (modified UTF-8) | type u8 (0 float, 1 long) | length u32 | values (big-endian) |
 *   CRC32C of everything before, u64
 * </pre>
 *
 * Written to a temporary file and renamed atomically, so a kill leaves the previous checkpoint.
 *
 * @param header config, fingerprint and driver state (JSON-compatible)
 * @param arrays named float[] and long[] arrays
 */
public record Checkpoint(Map<String, Object> header, Map<String, Object> arrays) {
  private static final byte[] MAGIC = {'T', 'R', 'C', 'K', 'P', 'T', 0, 1};
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes {@code this} to {@code file} atomically. */
  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".partial");
    CRC32C crc = new CRC32C();
    try (OutputStream fo = Files.newOutputStream(tmp);
        CheckedOutputStream co =
            new CheckedOutputStream(new BufferedOutputStream(fo, 1 << 20), crc);
        DataOutputStream out = new DataOutputStream(co)) {
      out.write(MAGIC);
      byte[] json = JSON.writeValueAsBytes(header);
      out.writeInt(json.length);
      out.write(json);
      out.writeInt(arrays.size());
      for (Map.Entry<String, Object> e : arrays.entrySet()) {
        out.writeUTF(e.getKey());
        if (e.getValue() instanceof float[] f) {
          out.writeByte(0);
          out.writeInt(f.length);
          for (float x : f) {
            out.writeFloat(x);
          }
        } else if (e.getValue() instanceof long[] l) {
          out.writeByte(1);
          out.writeInt(l.length);
          for (long x : l) {
            out.writeLong(x);
          }
        } else {
          throw new IllegalArgumentException(
              "array " + e.getKey() + " is neither float[] nor long[]");
        }
      }
      out.flush();
      long sum = crc.getValue();
      out.writeLong(sum);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Reads a checkpoint written by {@link #write}.
   *
   * @throws CheckpointException if the file is not a checkpoint, is truncated or its checksum fails
   */
  public static Checkpoint read(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    try (InputStream fi = Files.newInputStream(file);
        CheckedInputStream ci = new CheckedInputStream(new BufferedInputStream(fi, 1 << 20), crc);
        DataInputStream in = new DataInputStream(ci)) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new CheckpointException(
            file.getFileName() + ": not a TotalRecall checkpoint (bad magic)");
      }
      int jsonLength = in.readInt();
      if (jsonLength < 0 || jsonLength > (1 << 28)) {
        throw new CheckpointException(file.getFileName() + ": corrupt header length " + jsonLength);
      }
      byte[] json = new byte[jsonLength];
      in.readFully(json);
      Map<String, Object> header =
          JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
      int count = in.readInt();
      Map<String, Object> arrays = new LinkedHashMap<>();
      for (int a = 0; a < count; a++) {
        String name = in.readUTF();
        int type = in.readByte();
        int length = in.readInt();
        if (length < 0) {
          throw new CheckpointException(file.getFileName() + ": corrupt length of array " + name);
        }
        if (type == 0) {
          float[] f = new float[length];
          for (int i = 0; i < length; i++) {
            f[i] = in.readFloat();
          }
          arrays.put(name, f);
        } else if (type == 1) {
          long[] l = new long[length];
          for (int i = 0; i < length; i++) {
            l[i] = in.readLong();
          }
          arrays.put(name, l);
        } else {
          throw new CheckpointException(file.getFileName() + ": corrupt type of array " + name);
        }
      }
      long expected = crc.getValue();
      long stored = in.readLong();
      if (stored != expected) {
        throw new CheckpointException(file.getFileName() + ": checksum mismatch (file corrupted)");
      }
      if (in.read() != -1) {
        throw new CheckpointException(file.getFileName() + ": unexpected bytes after the checksum");
      }
      return new Checkpoint(header, arrays);
    } catch (EOFException e) {
      throw new CheckpointException(file.getFileName() + ": truncated checkpoint");
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new CheckpointException(
          file.getFileName() + ": corrupt header: " + e.getOriginalMessage());
    }
  }

  /** A file that is not a valid checkpoint, or one written for another run. */
  public static final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
      super(message);
    }
  }

  /** The same header with other arrays. */
  Checkpoint withArrays(Map<String, Object> other) {
    return new Checkpoint(header, other);
  }

  /**
   * Copies the saved arrays over the live ones of the same names, checking names, types and
   * lengths.
   */
  void restoreInto(Map<String, Object> live, Path file) throws CheckpointException {
    if (!live.keySet().equals(arrays.keySet())) {
      throw new CheckpointException(
          file.getFileName() + ": holds " + arrays.keySet() + " but this run has " + live.keySet());
    }
    for (Map.Entry<String, Object> e : live.entrySet()) {
      Object saved = arrays.get(e.getKey());
      if (e.getValue() instanceof float[] f && saved instanceof float[] s && f.length == s.length) {
        System.arraycopy(s, 0, f, 0, f.length);
      } else if (e.getValue() instanceof long[] l
          && saved instanceof long[] s
          && l.length == s.length) {
        System.arraycopy(s, 0, l, 0, l.length);
      } else {
        throw new CheckpointException(
            file.getFileName() + ": array " + e.getKey() + " does not fit this run");
      }
    }
  }
}
