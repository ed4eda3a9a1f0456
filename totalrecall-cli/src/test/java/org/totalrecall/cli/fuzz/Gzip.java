package org.totalrecall.cli.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * Gzip for the fuzz suite: writing members, and the oracle's own strict reading of RFC 1952
 * (independent of {@link java.util.zip.GZIPInputStream}, which skips some trailing garbage): every
 * member must be complete and check out (CRC32 and ISIZE), members may follow one another, and
 * anything after a member that is not another member is an error.
 */
final class Gzip {
  private Gzip() {}

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED = 0xE0;

  /** One gzip member holding {@code content}. */
  static byte[] member(byte[] content) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bos.toByteArray();
  }

  /** True if the bytes start with the gzip magic 1f 8b (how readers detect gzip). */
  static boolean isGzip(byte[] b) {
    return b.length >= 2 && (b[0] & 0xFF) == 0x1f && (b[1] & 0xFF) == 0x8b;
  }

  /** The decompressed content of all members, or the first problem found. */
  @SuppressWarnings("ArrayRecordComponent") // one decoded file, never compared or hashed
  record Decoded(byte[] content, String problem) {}

  static Decoded gunzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    int member = 0;
    while (pos < b.length) {
      member++;
      String where = "member " + member + " at byte " + pos;
      if (b.length - pos < 2 || (b[pos] & 0xFF) != 0x1f || (b[pos + 1] & 0xFF) != 0x8b) {
        return new Decoded(
            out.toByteArray(),
            member == 1 ? "not gzip" : "trailing bytes after the last member (" + where + ")");
      }
      if (b.length - pos < 10) {
        return new Decoded(out.toByteArray(), "truncated header of " + where);
      }
      if ((b[pos + 2] & 0xFF) != 8) {
        return new Decoded(
            out.toByteArray(), "compression method " + (b[pos + 2] & 0xFF) + " in " + where);
      }
      int flags = b[pos + 3] & 0xFF;
      if ((flags & RESERVED) != 0) {
        return new Decoded(out.toByteArray(), "reserved flag bits set in " + where);
      }
      int p = pos + 10;
      if ((flags & FEXTRA) != 0) {
        if (b.length - p < 2) {
          return new Decoded(out.toByteArray(), "truncated extra field of " + where);
        }
        int xlen = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
        p += 2 + xlen;
      }
      for (int f : new int[] {FNAME, FCOMMENT}) {
        if ((flags & f) != 0) {
          while (p < b.length && b[p] != 0) {
            p++;
          }
          p++;
        }
      }
      if ((flags & FHCRC) != 0) {
        if (p + 2 > b.length) {
          return new Decoded(out.toByteArray(), "truncated header of " + where);
        }
        CRC32 hc = new CRC32();
        hc.update(b, pos, p - pos);
        int stored = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
        if (((int) hc.getValue() & 0xFFFF) != stored) {
          return new Decoded(out.toByteArray(), "header checksum mismatch in " + where);
        }
        p += 2;
      }
      if (p > b.length) {
        return new Decoded(out.toByteArray(), "truncated header of " + where);
      }
      Inflater inf = new Inflater(true);
      CRC32 crc = new CRC32();
      long size = 0;
      try {
        inf.setInput(b, p, b.length - p);
        byte[] buf = new byte[8192];
        int stalls = 0;
        while (!inf.finished()) {
          int n = inf.inflate(buf);
          if (n == 0) {
            if (inf.needsInput()) {
              return new Decoded(out.toByteArray(), "truncated deflate data in " + where);
            }
            if (inf.needsDictionary() || ++stalls > 1000) {
              return new Decoded(out.toByteArray(), "corrupt deflate data in " + where);
            }
            continue;
          }
          out.write(buf, 0, n);
          crc.update(buf, 0, n);
          size += n;
          if (out.size() > 64 << 20) {
            return new Decoded(
                out.toByteArray(), "more than 64 MiB of output (a bomb?) in " + where);
          }
        }
        p = b.length - inf.getRemaining();
      } catch (DataFormatException e) {
        return new Decoded(
            out.toByteArray(), "corrupt deflate data in " + where + ": " + e.getMessage());
      } finally {
        inf.end();
      }
      if (b.length - p < 8) {
        return new Decoded(out.toByteArray(), "truncated trailer of " + where);
      }
      long storedCrc = le32(b, p);
      long storedSize = le32(b, p + 4);
      if (storedCrc != crc.getValue()) {
        return new Decoded(out.toByteArray(), "CRC32 mismatch in " + where);
      }
      if (storedSize != (size & 0xFFFFFFFFL)) {
        return new Decoded(out.toByteArray(), "ISIZE mismatch in " + where);
      }
      pos = p + 8;
    }
    return new Decoded(out.toByteArray(), null);
  }

  private static long le32(byte[] b, int p) {
    return (b[p] & 0xFFL)
        | (b[p + 1] & 0xFFL) << 8
        | (b[p + 2] & 0xFFL) << 16
        | (b[p + 3] & 0xFFL) << 24;
  }
}
