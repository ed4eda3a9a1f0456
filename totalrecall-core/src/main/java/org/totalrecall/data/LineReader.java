package org.totalrecall.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Streams a text file line by line as byte ranges of an internal buffer, never holding more than
 * the current line (plus one read chunk) in memory. Gzip input is detected by its magic bytes
 * (1f 8b), whatever the file name. A UTF-8 byte-order mark at the start is skipped; a trailing
 * {@code \r} is stripped; the last line need not end with {@code \n}.
 *
 * <p>Fields are parsed from bytes: every delimiter TotalRecall knows is ASCII, and in UTF-8 (and
 * Latin-1) an ASCII byte always stands for that character, so scanning bytes is safe; ids are
 * decoded to strings only when they are not plain integers. Not thread-safe.
 *
 * <pre>
 *   buf: [ consumed | line [lineStart, lineEnd) \r? \n | unread ... | free ]
 *                                                           ^pos         ^limit
 * </pre>
 */
final class LineReader implements Closeable {
  private static final int CHUNK = 1 << 16;

  private final InputStream in;
  private byte[] buf = new byte[CHUNK * 2];
  private int pos;
  private int limit;
  private boolean eof;
  private long lineNumber;
  private int lineStart;
  private int lineEnd;

  private LineReader(InputStream in) {
    this.in = in;
  }

  /** Opens {@code file}, transparently gunzipping it if it starts with the gzip magic bytes. */
  static LineReader open(Path file) throws IOException {
    return new LineReader(openStream(file));
  }

  /** Opens {@code file} as a byte stream, gunzipping it if it starts with 1f 8b. */
  static InputStream openStream(Path file) throws IOException {
    PushbackInputStream pin = new PushbackInputStream(Files.newInputStream(file), 2);
    try {
      int b0 = pin.read();
      int b1 = b0 < 0 ? -1 : pin.read();
      if (b1 >= 0) {
        pin.unread(b1);
      }
      if (b0 >= 0) {
        pin.unread(b0);
      }
      if (b0 == 0x1f && b1 == 0x8b) {
        return new GZIPInputStream(pin, CHUNK);
      }
      return pin;
    } catch (IOException | RuntimeException e) {
      pin.close();
      throw e;
    }
  }

  /** True if {@code file} starts with the gzip magic bytes. */
  static boolean isGzip(Path file) throws IOException {
    try (InputStream s = Files.newInputStream(file)) {
      return s.read() == 0x1f && s.read() == 0x8b;
    }
  }

  /**
   * Advances to the next line; false at end of input. After true, the line is
   * {@code buffer()[start() .. end())} without its line terminator.
   */
  boolean next() throws IOException {
    int scan = pos;
    while (true) {
      final byte[] b = buf;
      final int lim = limit;
      for (int i = scan; i < lim; i++) {
        if (b[i] == '\n') {
          setLine(pos, i);
          pos = i + 1;
          return true;
        }
      }
      if (eof) {
        if (pos < limit) {
          setLine(pos, limit);
          pos = limit;
          return true;
        }
        return false;
      }
      scan = limit - pos;
      fill();
      scan += pos;
    }
  }

  private void setLine(int from, int to) {
    lineNumber++;
    if (lineNumber == 1 && to - from >= 3 && buf[from] == (byte) 0xEF && buf[from + 1] == (byte) 0xBB
        && buf[from + 2] == (byte) 0xBF) {
      from += 3;
    }
    if (to > from && buf[to - 1] == '\r') {
      to--;
    }
    lineStart = from;
    lineEnd = to;
  }

  /** Moves unread bytes to the front (growing the buffer for long lines) and reads one chunk. */
  private void fill() throws IOException {
    int unread = limit - pos;
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, unread);
      pos = 0;
      limit = unread;
    }
    if (buf.length - limit < CHUNK) {
      byte[] bigger = new byte[Math.max(buf.length * 2, limit + CHUNK)];
      System.arraycopy(buf, 0, bigger, 0, limit);
      buf = bigger;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }

  /** The buffer holding the current line; valid until the next call to {@link #next()}. */
  byte[] buffer() {
    return buf;
  }

  /** Start of the current line in {@link #buffer()}. */
  int start() {
    return lineStart;
  }

  /** End (exclusive) of the current line in {@link #buffer()}, terminator excluded. */
  int end() {
    return lineEnd;
  }

  /** 1-based physical number of the current line. */
  long lineNumber() {
    return lineNumber;
  }

  /** True if the current line is empty or only spaces and tabs. */
  boolean isBlank() {
    for (int i = lineStart; i < lineEnd; i++) {
      byte c = buf[i];
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
