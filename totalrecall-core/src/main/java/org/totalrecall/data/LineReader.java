package org.totalrecall.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Streams a text file line by line as byte ranges of an internal buffer, never holding more than
 * the current line (plus one read chunk) in memory. Gzip input is detected by its magic bytes (1f
 * 8b), whatever the file name; concatenated gzip members ({@code cat a.gz b.gz}) are all read, and
 * anything after a member that is not another member, a truncated member or a corrupt one is an
 * {@link InteractionFormatException} naming the file and the line reached, never a silent end of
 * input. A UTF-8 byte-order mark at the start is skipped; a trailing {@code \r} is stripped; the
 * last line need not end with {@code \n}.
 *
 * <p>Every line is checked before it is handed out: a carriage return inside a line (a file with
 * CR-only line endings) is an error, and so is, in {@link Encoding#UTF8} mode, a byte sequence that
 * is not UTF-8 (two distinct malformed ids would otherwise decode to the same U+FFFD string and be
 * merged silently). {@link Encoding#LATIN1} accepts any byte (MovieLens {@code movies.dat}).
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

  /** How the bytes of a line must be encoded. */
  enum Encoding {
    /** Strict UTF-8: a malformed sequence is an error naming file and line. */
    UTF8,
    /** ISO-8859-1: every byte is a character. */
    LATIN1
  }

  private final Path file;
  private final InputStream in;
  private final Encoding encoding;
  private byte[] buf = new byte[CHUNK * 2];
  private int pos;
  private int limit;
  private boolean eof;
  private long lineNumber;
  private int lineStart;
  private int lineEnd;

  private LineReader(Path file, InputStream in, Encoding encoding) {
    this.file = file;
    this.in = in;
    this.encoding = encoding;
  }

  /**
   * Opens UTF-8 {@code file}, transparently gunzipping it if it starts with the gzip magic bytes.
   */
  static LineReader open(Path file) throws IOException {
    return open(file, Encoding.UTF8);
  }

  /** Opens {@code file} in {@code encoding}, transparently gunzipping it. */
  static LineReader open(Path file, Encoding encoding) throws IOException {
    return new LineReader(file, openStream(file), encoding);
  }

  /**
   * Opens {@code file} as a byte stream, gunzipping it (every member) if it starts with 1f 8b.
   * Errors of the gzip layer surface from {@code read} as {@link GzipFormatException}; errors of
   * the file itself as the plain {@link IOException} the file system raised.
   */
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
        return new GunzipStream(new SourceStream(pin));
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
   * A failure of the gzip data (not of the file underneath): corrupt, truncated or trailing
   * garbage.
   */
  static final class GzipFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    GzipFormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Marks an I/O error of the underlying file, so that the gzip layer's own errors can be told
   * apart.
   */
  private static final class SourceIOException extends IOException {
    private static final long serialVersionUID = 1L;

    SourceIOException(IOException cause) {
      super(cause);
    }
  }

  /** The compressed file's bytes; wraps its I/O errors in {@link SourceIOException}. */
  private static final class SourceStream extends FilterInputStream {
    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw new SourceIOException(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw new SourceIOException(e);
      }
    }
  }

  /**
   * Commons Compress's gunzip with concatenated members (it refuses non-gzip bytes after a member:
   * "Garbage after a valid .gz stream"), its errors split into the file's own (rethrown as they
   * were) and the data's ({@link GzipFormatException}).
   */
  private static final class GunzipStream extends InputStream {
    private final InputStream source;
    private GzipCompressorInputStream gz;

    GunzipStream(InputStream source) {
      this.source = source;
    }

    private GzipCompressorInputStream gz() throws IOException {
      if (gz == null) {
        try {
          gz =
              GzipCompressorInputStream.builder()
                  .setInputStream(new BufferedInputStream(source, CHUNK))
                  .setDecompressConcatenated(true)
                  .get();
        } catch (IOException | RuntimeException e) {
          throw translate(e);
        }
      }
      return gz;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return gz().read(b, off, len);
      } catch (IOException | RuntimeException e) {
        throw translate(e);
      }
    }

    private static IOException translate(Exception e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SourceIOException s) {
          return (IOException) s.getCause();
        }
      }
      String why =
          e instanceof EOFException || e.getMessage() == null
              ? "the gzip data ends early (truncated file)"
              : e.getMessage();
      return new GzipFormatException(why, e);
    }

    @Override
    public void close() throws IOException {
      if (gz != null) {
        gz.close();
      } else {
        source.close();
      }
    }
  }

  /**
   * Advances to the next line; false at end of input. After true, the line is {@code
   * buffer()[start() .. end())} without its line terminator.
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
    if (lineNumber == 1
        && to - from >= 3
        && buf[from] == (byte) 0xEF
        && buf[from + 1] == (byte) 0xBB
        && buf[from + 2] == (byte) 0xBF) {
      from += 3;
    }
    if (to > from && buf[to - 1] == '\r') {
      to--;
    }
    lineStart = from;
    lineEnd = to;
    check(from, to);
  }

  /** Refuses a carriage return inside the line and, in UTF-8 mode, malformed UTF-8. */
  private void check(int from, int to) {
    final byte[] b = buf;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '\r') {
        throw InteractionFormatException.atLine(
            file,
            lineNumber,
            "line has a carriage return at byte "
                + (i - from + 1)
                + " (CR-only line endings?); lines must end with \\n or \\r\\n");
      }
      if (c < 0 && encoding == Encoding.UTF8) {
        int bad = Utf8.firstMalformed(b, i, to);
        if (bad >= 0) {
          throw InteractionFormatException.atLine(
              file,
              lineNumber,
              String.format(
                  "line is not valid UTF-8: byte 0x%02X at byte %d",
                  b[bad] & 0xff, bad - from + 1));
        }
        // the rest of the line is valid UTF-8; it may still hold a CR
        for (int j = i; j < to; j++) {
          if (b[j] == '\r') {
            throw InteractionFormatException.atLine(
                file,
                lineNumber,
                "line has a carriage return at byte "
                    + (j - from + 1)
                    + " (CR-only line endings?); lines must end with \\n or \\r\\n");
          }
        }
        return;
      }
    }
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
    int n;
    try {
      n = in.read(buf, limit, buf.length - limit);
    } catch (GzipFormatException e) {
      throw InteractionFormatException.atLine(
          file,
          lineNumber + 1,
          "gzip data is corrupt at or after this line (it is decompressed in chunks): "
              + e.getMessage());
    }
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
