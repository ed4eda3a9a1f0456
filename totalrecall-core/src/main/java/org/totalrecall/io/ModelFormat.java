package org.totalrecall.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.NumericRange;
import org.totalrecall.model.Scorer;
import org.totalrecall.util.Checks;

/**
 * Reads and writes a {@link FactorModel} as one versioned binary file (extension {@code .trm}). All
 * integers and floats are little-endian; every section carries its own CRC32C, so a reader can say
 * which part of a damaged file is wrong.
 *
 * <pre>
 *   header   "TRMODEL\0" (8 bytes) | version u32 | crc32c(previous 12 bytes) u32
 *   section  tag u32 | length u64 | crc32c(tag, length) u32 | payload (length bytes) | crc32c(payload) u32
 *
 *   sections of version 1, in this order:
 *     1 metadata          UTF-8 JSON {"model": {dim, numUsers, numItems, scorer, temperature,
 *                          seenInteractions}, "metadata": FactorModel.metadata()}
 *     2 user ids          kind u8 (0 = identity "0".."n-1", 1 = list) | count u32 |
 *                          per id (list only): byte length u32 | UTF-8 bytes
 *     3 item ids          as user ids
 *     4 user table        numUsers × dim float32, row-major
 *     5 item table        numItems × dim float32, row-major
 *     6 seen interactions (optional) numRows u32 | numCols u32 | nnz u64 | rowStart i32[numRows + 1]
 *                          | cols i32[nnz]   (the (user, item) pattern; weights and timestamps
 *                          are not stored: the model uses it only to exclude what users have)
 *     0xFFFFFFFF end      length 0; nothing may follow
 *
 *   version 2 (written since the gmf scorer): as version 1, plus, right after the item table
 *   and only when model.scorer is GMF,
 *     7 scorer weights    h: dim float32 (the gmf scorer's weight vector)
 * </pre>
 *
 * A version-1 file reads as before (its scorer is DOT or COSINE); a GMF scorer in a version-1 file
 * is refused.
 *
 * <p>{@link #write} writes a temporary file in the target's directory and renames it atomically
 * over the target, so a reader never sees a half-written model and a failed write leaves the old
 * file in place. {@link #read} checks the magic, the version, every length against the file size
 * and the declared dimensions, and every checksum, and throws {@link ModelFormatException} naming
 * the section at fault. Each section's checksum is verified before its payload is parsed (a second
 * pass over its bytes, normally from the page cache), so corruption is reported as corruption
 * rather than as a strange value. Tables are streamed through a fixed 1 MiB buffer, so files of
 * hundreds of millions of floats need no second copy in memory.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelFormat {
  /** The format versions {@link #read} accepts. */
  static final int[] SUPPORTED_VERSIONS = {1, 2};

  /** The version {@link #write} produces. */
  public static final int CURRENT_VERSION = 2;

  /** The file's first 8 bytes. */
  static final byte[] MAGIC = "TRMODEL\0".getBytes(StandardCharsets.US_ASCII);

  static final int HEADER_BYTES = 16;
  static final int SECTION_HEADER_BYTES = 16;
  static final int TAG_METADATA = 1;
  static final int TAG_USER_IDS = 2;
  static final int TAG_ITEM_IDS = 3;
  static final int TAG_USER_TABLE = 4;
  static final int TAG_ITEM_TABLE = 5;
  static final int TAG_SEEN = 6;
  static final int TAG_SCORER_WEIGHTS = 7;
  static final int TAG_END = 0xFFFF_FFFF;

  private static final int BUFFER_BYTES = 1 << 20;
  private static final byte IDS_IDENTITY = 0;
  private static final byte IDS_LIST = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFormat() {}

  /** The human name of a section tag, as used in error messages. */
  static String sectionName(int tag) {
    return switch (tag) {
      case TAG_METADATA -> "metadata";
      case TAG_USER_IDS -> "user ids";
      case TAG_ITEM_IDS -> "item ids";
      case TAG_USER_TABLE -> "user table";
      case TAG_ITEM_TABLE -> "item table";
      case TAG_SEEN -> "seen interactions";
      case TAG_SCORER_WEIGHTS -> "scorer weights";
      case TAG_END -> "end marker";
      default -> "unknown section " + Integer.toUnsignedString(tag);
    };
  }

  /**
   * Writes {@code model} to {@code file} (format version {@link #CURRENT_VERSION}), replacing any
   * existing file atomically. The model's metadata must be JSON-serialisable (String, Number,
   * Boolean, List, Map values). The model is only read.
   *
   * @throws IOException if the directory is not writable or the disk is full; the target is then
   *     untouched and the temporary file removed
   */
  public static void write(FactorModel model, Path file) throws IOException {
    Checks.notNull("model", model);
    Checks.notNull("file", file);
    String range = NumericRange.problem(model.userTable(), model.itemTable(), model.scorer());
    if (range != null) {
      throw new IllegalArgumentException("model not written: " + range);
    }
    Path absolute = file.toAbsolutePath();
    checkDirectory(absolute);
    Temporary t = createTemporary(absolute);
    Path tmp = t.path();
    boolean moved = false;
    try (FileChannel ch = t.channel()) {
      new Writer(ch).writeModel(model);
      ch.force(true);
      // renamed while still open and locked, so that no other writer's clean-up can take it
      try {
        Files.move(
            tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException(
            "cannot rename " + tmp + " atomically to " + absolute + ": " + e.getMessage(), e);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
      IN_PROGRESS.remove(tmp);
    }
    try {
      removeStaleTemporaries(absolute);
    } catch (IOException | RuntimeException e) {
      // best effort: the model is written; a leftover temporary is removed by a later write
    }
  }

  /**
   * Checks, before any long computation, that a model can be written at {@code file}: its directory
   * exists and a file can be created there (a temporary is created and removed).
   *
   * @throws NoSuchFileException if the directory does not exist
   * @throws IOException (e.g. {@link java.nio.file.AccessDeniedException}) if nothing can be
   *     created there, or {@code file} is a directory
   */
  public static void checkWritable(Path file) throws IOException {
    Checks.notNull("file", file);
    Path absolute = file.toAbsolutePath();
    checkDirectory(absolute);
    if (Files.isDirectory(absolute)) {
      throw new FileSystemException(absolute.toString(), null, "is a directory");
    }
    Temporary t = createTemporary(absolute);
    try {
      t.channel().close();
    } finally {
      Files.deleteIfExists(t.path());
      IN_PROGRESS.remove(t.path());
    }
  }

  private static void checkDirectory(Path absolute) throws IOException {
    Path dir = absolute.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new NoSuchFileException(
          dir.toString(), null, "directory of the model file does not exist");
    }
  }

  /**
   * Temporary files this JVM is writing now: its own clean-up must not open (and so unlock) them.
   */
  private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

  /** A temporary file beside the target, open for writing and locked. */
  private record Temporary(Path path, FileChannel channel) {}

  /**
   * Creates {@code <name>.<random>.tmp} beside the target, open for writing and locked (exclusive
   * OS lock, released when the channel closes or the process dies, so a lock that can be taken
   * marks a temporary abandoned by a killed writer). Unlike Files.createTempFile (mode 0600) it
   * gets the process's default permissions, which the rename carries to the model.
   */
  private static Temporary createTemporary(Path target) throws IOException {
    SplittableRandom rng = new SplittableRandom();
    while (true) {
      Path tmp =
          target.resolveSibling(
              target.getFileName() + "." + Long.toHexString(rng.nextLong()) + ".tmp");
      FileChannel ch;
      try {
        ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        continue; // another writer picked the same name: draw again
      }
      IN_PROGRESS.add(tmp);
      try {
        ch.lock();
      } catch (IOException | RuntimeException e) {
        ch.close();
        Files.deleteIfExists(tmp);
        IN_PROGRESS.remove(tmp);
        throw e;
      }
      return new Temporary(tmp, ch);
    }
  }

  /**
   * Removes the temporaries of {@code file} ({@code <name>.<hex>.tmp}) that a killed writer left
   * behind: those not locked by a live writer and not modified in the last two seconds (a writer's
   * temporary is unlocked for an instant between its creation and its lock). {@link #write} calls
   * it after every successful write.
   *
   * @return the temporaries removed
   */
  public static List<Path> removeStaleTemporaries(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || absolute.getFileName() == null) {
      return List.of();
    }
    Pattern pattern =
        Pattern.compile(
            Pattern.quote(absolute.getFileName().toString()) + "\\.[0-9a-f]{1,16}\\.tmp");
    long now = System.currentTimeMillis();
    List<Path> removed = new ArrayList<>();
    List<Path> candidates = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> pattern.matcher(p.getFileName().toString()).matches()).forEach(candidates::add);
    }
    for (Path p : candidates) {
      if (IN_PROGRESS.contains(p)) {
        continue;
      }
      try {
        if (now - Files.getLastModifiedTime(p).toMillis() < 2_000) {
          continue;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
          FileLock lock = ch.tryLock();
          if (lock != null) {
            Files.deleteIfExists(p);
            removed.add(p);
          }
        }
      } catch (NoSuchFileException | OverlappingFileLockException e) {
        // gone meanwhile, or locked by this JVM
      }
    }
    return removed;
  }

  /**
   * Reads a model file written by {@link #write} (any version in {@link #SUPPORTED_VERSIONS}).
   * Returns a model whose metadata is the stored {@code metadata} object and whose seen
   * interactions are present if the file has them.
   *
   * @throws ModelFormatException if the file is not a model file, has an unsupported version, is
   *     truncated or corrupted; the message names the file and the section
   * @throws IOException if the file cannot be read at all (missing, unreadable)
   */
  public static FactorModel read(Path file) throws IOException {
    Checks.notNull("file", file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return new Reader(file, ch).readModel();
    }
  }

  /** A model's sizes, read from its header and metadata section without its tables. */
  public record Shape(int dim, int numUsers, int numItems) {}

  /**
   * Reads only the header and the metadata section: the sizes of a model too large to load where
   * only they are needed (a Spark driver planning tasks). Errors as {@link #read}.
   */
  public static Shape readShape(Path file) throws IOException {
    Checks.notNull("file", file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return new Reader(file, ch).readShape();
    }
  }

  /** Streams sections to a channel; not thread-safe, one per write. */
  private static final class Writer {
    private final FileChannel ch;
    private final ByteBuffer buf =
        ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private long sectionStart;
    private long payloadBytes;
    private int sectionTag;

    Writer(FileChannel ch) {
      this.ch = ch;
    }

    void writeModel(FactorModel model) throws IOException {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      header.put(MAGIC).putInt(CURRENT_VERSION);
      CRC32C hc = new CRC32C();
      hc.update(header.array(), 0, 12);
      header.putInt((int) hc.getValue()).flip();
      writeFully(header);

      Interactions seen = model.seen();
      Map<String, Object> structure = new LinkedHashMap<>();
      structure.put("dim", model.dim());
      structure.put("numUsers", model.numUsers());
      structure.put("numItems", model.numItems());
      structure.put("scorer", model.scorer().kind().name());
      structure.put("temperature", model.scorer().temperature());
      structure.put("seenInteractions", seen == null ? null : seen.size());
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("model", structure);
      root.put("metadata", model.metadata());
      byte[] json = JSON.writeValueAsBytes(root);

      begin(TAG_METADATA);
      putBytes(json, 0, json.length);
      end();
      writeIds(TAG_USER_IDS, model.userIds());
      writeIds(TAG_ITEM_IDS, model.itemIds());
      begin(TAG_USER_TABLE);
      putFloats(model.userTable().data());
      end();
      begin(TAG_ITEM_TABLE);
      putFloats(model.itemTable().data());
      end();
      if (model.scorer().isGmf()) {
        begin(TAG_SCORER_WEIGHTS);
        putFloats(model.scorer().weights());
        end();
      }
      if (seen != null) {
        begin(TAG_SEEN);
        ensure(16);
        buf.putInt(seen.numRows()).putInt(seen.numCols()).putLong(seen.size());
        payloadBytes += 16;
        putInts(seen.rowStarts());
        putInts(seen.cols());
        end();
      }
      begin(TAG_END);
      end();
    }

    private void writeIds(int tag, IdIndex ids) throws IOException {
      begin(tag);
      boolean identity = ids.isIdentity();
      ensure(5);
      buf.put(identity ? IDS_IDENTITY : IDS_LIST).putInt(ids.size());
      payloadBytes += 5;
      if (!identity) {
        for (int i = 0; i < ids.size(); i++) {
          byte[] b = ids.idOf(i).getBytes(StandardCharsets.UTF_8);
          ensure(4);
          buf.putInt(b.length);
          payloadBytes += 4;
          putBytes(b, 0, b.length);
        }
      }
      end();
    }

    private void begin(int tag) throws IOException {
      flush();
      sectionTag = tag;
      sectionStart = ch.position();
      writeFully(
          ByteBuffer.allocate(SECTION_HEADER_BYTES)); // reserved: end() writes the real header here
      crc.reset();
      payloadBytes = 0;
    }

    private void end() throws IOException {
      flush();
      ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      trailer.putInt((int) crc.getValue()).flip();
      writeFully(trailer);
      ByteBuffer head = ByteBuffer.allocate(SECTION_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      head.putInt(sectionTag).putLong(payloadBytes);
      CRC32C hc = new CRC32C();
      hc.update(head.array(), 0, 12);
      head.putInt((int) hc.getValue()).flip();
      long pos = sectionStart;
      while (head.hasRemaining()) {
        pos += ch.write(head, pos);
      }
    }

    private void ensure(int n) throws IOException {
      if (buf.remaining() < n) {
        flush();
      }
    }

    private void putBytes(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        ensure(1);
        int n = Math.min(len, buf.remaining());
        buf.put(b, off, n);
        off += n;
        len -= n;
        payloadBytes += n;
      }
    }

    private void putFloats(float[] a) throws IOException {
      int off = 0;
      while (off < a.length) {
        ensure(4);
        int n = Math.min(a.length - off, buf.remaining() / 4);
        buf.asFloatBuffer().put(a, off, n); // the view shares buf's little-endian order
        buf.position(buf.position() + 4 * n);
        off += n;
        payloadBytes += 4L * n;
      }
    }

    private void putInts(int[] a) throws IOException {
      int off = 0;
      while (off < a.length) {
        ensure(4);
        int n = Math.min(a.length - off, buf.remaining() / 4);
        buf.asIntBuffer().put(a, off, n);
        buf.position(buf.position() + 4 * n);
        off += n;
        payloadBytes += 4L * n;
      }
    }

    /** Writes the buffered payload bytes, adding them to the section checksum. */
    private void flush() throws IOException {
      buf.flip();
      crc.update(buf.duplicate());
      writeFully(buf);
      buf.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
  }

  /** Reads and checks sections from a channel; not thread-safe, one per read. */
  private static final class Reader {
    private final Path file;
    private final FileChannel ch;
    private final long size;
    private final ByteBuffer buf;
    private int version = -1;
    private String section = "header";
    private long unreadInFile; // payload bytes of the current section not yet read into buf
    private long payloadEnd;

    Reader(Path file, FileChannel ch) throws IOException {
      this.file = file;
      this.ch = ch;
      this.size = ch.size();
      // small files (tests, tiny models) need no 1 MiB buffer
      this.buf =
          ByteBuffer.allocateDirect((int) Math.min(BUFFER_BYTES, Math.max(4096, size)))
              .order(ByteOrder.LITTLE_ENDIAN);
    }

    private ModelFormatException error(String problem) {
      return new ModelFormatException(file, section, version, problem);
    }

    Shape readShape() throws IOException {
      Structure s = readStructure();
      return new Shape(s.dim, s.numUsers, s.numItems);
    }

    private Structure readStructure() throws IOException {
      readHeader();
      begin(TAG_METADATA);
      byte[] json = new byte[checkedArrayLength(payloadEnd - ch.position(), 1, "metadata length")];
      getBytes(json, 0, json.length);
      end();
      return parseMetadata(json);
    }

    FactorModel readModel() throws IOException {
      Structure s = readStructure();

      IdIndex userIds = readIds(TAG_USER_IDS, s.numUsers);
      IdIndex itemIds = readIds(TAG_ITEM_IDS, s.numItems);
      EmbeddingTable users = readTable(TAG_USER_TABLE, s.numUsers, s.dim, userIds);
      EmbeddingTable items = readTable(TAG_ITEM_TABLE, s.numItems, s.dim, itemIds);
      Scorer scorer =
          s.scorerKind == Scorer.Kind.GMF
              ? Scorer.gmf(readWeights(s.dim))
              : new Scorer(s.scorerKind, s.temperature);
      String range = NumericRange.problem(users, items, scorer);
      if (range != null) {
        section = null;
        throw error(range + "; the model cannot be scored");
      }

      Interactions seen = null;
      if (s.seenInteractions >= 0) {
        begin(TAG_SEEN);
        seen = readSeen(s);
        end();
      }
      begin(TAG_END);
      if (payloadEnd != ch.position()) {
        throw error("section 'end marker' has a non-zero length (file corrupted)");
      }
      end();
      if (ch.position() != size) {
        throw error(
            "section 'end marker' is followed by "
                + (size - ch.position())
                + " unexpected bytes (file corrupted)");
      }
      try {
        return new FactorModel(users, items, userIds, itemIds, scorer, s.metadata, seen);
      } catch (IllegalArgumentException e) {
        section = null;
        throw error("inconsistent model: " + e.getMessage());
      }
    }

    private void readHeader() throws IOException {
      if (size < MAGIC.length) {
        throw error(
            size == 0
                ? "empty file, not a TotalRecall model file"
                : "not a TotalRecall model file (bad magic)");
      }
      ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      head.limit((int) Math.min(HEADER_BYTES, size));
      readFully(head, 0);
      for (int i = 0; i < MAGIC.length; i++) {
        if (head.get(i) != MAGIC[i]) {
          throw error("not a TotalRecall model file (bad magic)");
        }
      }
      if (size < HEADER_BYTES) {
        throw error(
            "truncated in section 'header' (expected " + (HEADER_BYTES - size) + " more bytes)");
      }
      CRC32C hc = new CRC32C();
      hc.update(head.array(), 0, 12);
      if ((int) hc.getValue() != head.getInt(12)) {
        throw error("section 'header' checksum mismatch (file corrupted)");
      }
      int found = head.getInt(8);
      version = found;
      if (!isSupported(found)) {
        throw error(
            "unsupported format version "
                + Integer.toUnsignedString(found)
                + " (this build reads "
                + (SUPPORTED_VERSIONS.length == 1 ? "version " : "versions ")
                + supportedList()
                + ")");
      }
      ch.position(HEADER_BYTES);
    }

    private static boolean isSupported(int v) {
      for (int s : SUPPORTED_VERSIONS) {
        if (s == v) {
          return true;
        }
      }
      return false;
    }

    private static String supportedList() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < SUPPORTED_VERSIONS.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(SUPPORTED_VERSIONS[i]);
      }
      return sb.toString();
    }

    /**
     * Reads a section header, which must carry the expected tag, checks it against the file size,
     * and verifies the payload checksum before anything in it is parsed. Leaves the channel at the
     * start of the payload.
     */
    private void begin(int expectedTag) throws IOException {
      section = sectionName(expectedTag);
      long start = ch.position();
      if (size - start < SECTION_HEADER_BYTES) {
        throw error(
            "truncated in section '"
                + section
                + "' (expected "
                + (SECTION_HEADER_BYTES - (size - start))
                + " more bytes of its header)");
      }
      ByteBuffer head = ByteBuffer.allocate(SECTION_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      readFully(head, start);
      CRC32C hc = new CRC32C();
      hc.update(head.array(), 0, 12);
      if ((int) hc.getValue() != head.getInt(12)) {
        throw error("section '" + section + "' header checksum mismatch (file corrupted)");
      }
      int tag = head.getInt(0);
      if (tag != expectedTag) {
        throw error("expected section '" + section + "' but found '" + sectionName(tag) + "'");
      }
      long length = head.getLong(4);
      long payloadStart = start + SECTION_HEADER_BYTES;
      if (length < 0 || length > size - payloadStart - 4) {
        long missing = length < 0 ? Long.MAX_VALUE : length + 4 - (size - payloadStart);
        throw error("truncated in section '" + section + "' (expected " + missing + " more bytes)");
      }
      payloadEnd = payloadStart + length;
      verifyChecksum(payloadStart, length);
      unreadInFile = length;
      buf.clear().limit(0);
      ch.position(payloadStart);
    }

    /** Checksums the payload without parsing it, so that corruption is reported as such. */
    private void verifyChecksum(long from, long length) throws IOException {
      CRC32C pc = new CRC32C();
      long pos = from;
      long left = length;
      buf.clear();
      while (left > 0) {
        buf.clear().limit((int) Math.min(buf.capacity(), left));
        readFully(buf, pos);
        buf.flip();
        pc.update(buf);
        pos += buf.limit();
        left -= buf.limit();
      }
      ByteBuffer stored = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      readFully(stored, from + length);
      if ((int) pc.getValue() != stored.getInt(0)) {
        throw error("section '" + section + "' checksum mismatch (file corrupted)");
      }
    }

    /** Checks that the whole payload was consumed, then skips the stored checksum. */
    private void end() throws IOException {
      if (buf.hasRemaining() || unreadInFile > 0) {
        throw error(
            "section '"
                + section
                + "' has "
                + (buf.remaining() + unreadInFile)
                + " bytes more than its contents need (file corrupted)");
      }
      ch.position(payloadEnd + 4);
    }

    /** Makes at least {@code n} (≤ buffer capacity) payload bytes available in {@code buf}. */
    private void require(int n) throws IOException {
      if (buf.remaining() >= n) {
        return;
      }
      if (buf.remaining() + unreadInFile < n) {
        throw error("section '" + section + "' ends before its contents (file corrupted)");
      }
      buf.compact();
      int want = (int) Math.min(buf.remaining(), unreadInFile);
      buf.limit(buf.position() + want);
      long pos = payloadEnd - unreadInFile;
      readFully(buf, pos);
      unreadInFile -= want;
      buf.flip();
    }

    private void readFully(ByteBuffer b, long pos) throws IOException {
      while (b.hasRemaining()) {
        int r = ch.read(b, pos);
        if (r < 0) {
          throw error(
              "truncated in section '" + section + "' (expected " + b.remaining() + " more bytes)");
        }
        pos += r;
      }
    }

    private int getInt() throws IOException {
      require(4);
      return buf.getInt();
    }

    private long getLong() throws IOException {
      require(8);
      return buf.getLong();
    }

    private void getBytes(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        require(1);
        int n = Math.min(len, buf.remaining());
        buf.get(b, off, n);
        off += n;
        len -= n;
      }
    }

    private void getFloats(float[] a) throws IOException {
      int off = 0;
      while (off < a.length) {
        require(4);
        int n = Math.min(a.length - off, buf.remaining() / 4);
        buf.asFloatBuffer().get(a, off, n);
        buf.position(buf.position() + 4 * n);
        off += n;
      }
    }

    private void getInts(int[] a) throws IOException {
      int off = 0;
      while (off < a.length) {
        require(4);
        int n = Math.min(a.length - off, buf.remaining() / 4);
        buf.asIntBuffer().get(a, off, n);
        buf.position(buf.position() + 4 * n);
        off += n;
      }
    }

    /** A count or length from the file as an array length, refused if it cannot fit the section. */
    private int checkedArrayLength(long count, int bytesEach, String what)
        throws ModelFormatException {
      long remaining = buf.remaining() + unreadInFile;
      if (count < 0 || count > Integer.MAX_VALUE - 8 || count * bytesEach > remaining) {
        throw error(
            "section '"
                + section
                + "': "
                + what
                + " "
                + count
                + " does not fit in the section's "
                + remaining
                + " remaining bytes");
      }
      return (int) count;
    }

    private record Structure(
        int dim,
        int numUsers,
        int numItems,
        Scorer.Kind scorerKind,
        float temperature,
        long seenInteractions,
        Map<String, Object> metadata) {}

    /** The gmf scorer's h (section 7, version 2): dim finite floats. */
    private float[] readWeights(int dim) throws IOException {
      if (version < 2) {
        section = "metadata";
        throw error(
            "section 'metadata': field 'model.scorer' is GMF, which format version "
                + version
                + " cannot hold (its weights need version 2)");
      }
      begin(TAG_SCORER_WEIGHTS);
      long length = payloadEnd - ch.position();
      if (length != 4L * dim) {
        throw error(
            "section '"
                + section
                + "' has "
                + length
                + " bytes but dim "
                + dim
                + " needs "
                + 4L * dim);
      }
      float[] h = new float[dim];
      getFloats(h);
      end();
      for (int k = 0; k < dim; k++) {
        if (!Float.isFinite(h[k])) {
          throw error(
              "section '"
                  + section
                  + "' holds "
                  + h[k]
                  + " in column "
                  + k
                  + "; a model never holds a non-finite value");
        }
      }
      return h;
    }

    private Structure parseMetadata(byte[] json) throws ModelFormatException {
      Map<String, Object> root;
      try {
        root = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        throw error("section 'metadata' is not valid JSON: " + e.getOriginalMessage());
      } catch (IOException e) {
        throw error("section 'metadata' is not valid JSON: " + e.getMessage());
      }
      if (!(root.get("model") instanceof Map<?, ?> model)) {
        throw error("section 'metadata' has no \"model\" object");
      }
      int dim = intField(model, "dim", 1);
      int numUsers = intField(model, "numUsers", 0);
      int numItems = intField(model, "numItems", 0);
      Object kind = model.get("scorer");
      Scorer.Kind scorerKind = null;
      for (Scorer.Kind k : Scorer.Kind.values()) {
        if (k.name().equals(kind)) {
          scorerKind = k;
        }
      }
      if (scorerKind == null) {
        throw error(
            "section 'metadata': field 'model.scorer' must be one of "
                + java.util.Arrays.toString(Scorer.Kind.values()).replaceAll("[\\[\\]]", "")
                + ", got "
                + kind);
      }
      if (!(model.get("temperature") instanceof Number t)
          || !(t.doubleValue() > 0)
          || Double.isInfinite(t.doubleValue())) {
        throw error(
            "section 'metadata': field 'model.temperature' must be a finite number > 0, got "
                + model.get("temperature"));
      }
      long seenInteractions = -1;
      if (model.get("seenInteractions") != null) {
        seenInteractions = intField(model, "seenInteractions", 0);
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      if (root.get("metadata") instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          metadata.put((String) e.getKey(), e.getValue());
        }
      } else if (root.get("metadata") != null) {
        throw error("section 'metadata': field 'metadata' must be an object");
      }
      return new Structure(
          dim, numUsers, numItems, scorerKind, t.floatValue(), seenInteractions, metadata);
    }

    private int intField(Map<?, ?> model, String name, int min) throws ModelFormatException {
      Object v = model.get(name);
      if (!(v instanceof Integer i) || i < min) {
        throw error(
            "section 'metadata': field 'model."
                + name
                + "' must be an integer >= "
                + min
                + ", got "
                + v);
      }
      return i;
    }

    private IdIndex readIds(int tag, int expectedCount) throws IOException {
      begin(tag);
      require(5);
      byte kind = buf.get();
      int count = buf.getInt();
      if (count != expectedCount) {
        throw error(
            "section '"
                + section
                + "' holds "
                + count
                + " ids but the metadata declares "
                + expectedCount);
      }
      IdIndex ids;
      if (kind == IDS_IDENTITY) {
        ids = IdIndex.identity(count);
      } else if (kind == IDS_LIST) {
        List<String> list = new ArrayList<>(count);
        byte[] scratch = new byte[64];
        for (int i = 0; i < count; i++) {
          int len = checkedArrayLength(Integer.toUnsignedLong(getInt()), 1, "id length");
          if (scratch.length < len) {
            scratch = new byte[Math.max(len, 2 * scratch.length)];
          }
          getBytes(scratch, 0, len);
          list.add(new String(scratch, 0, len, StandardCharsets.UTF_8));
        }
        try {
          ids = IdIndex.of(list);
        } catch (IllegalArgumentException e) {
          throw error("section '" + section + "': " + e.getMessage());
        }
      } else {
        throw error("section '" + section + "' has unknown id encoding " + kind);
      }
      end();
      return ids;
    }

    /**
     * Reads a table section; a NaN or infinite value (valid checksum or not) is refused naming the
     * row.
     */
    private EmbeddingTable readTable(int tag, int rows, int dim, IdIndex ids) throws IOException {
      begin(tag);
      long expected = 4L * rows * dim;
      long length = payloadEnd - ch.position();
      if (length != expected) {
        throw error(
            "section '"
                + section
                + "' has "
                + length
                + " bytes but "
                + rows
                + " rows × dim "
                + dim
                + " need "
                + expected);
      }
      if ((long) rows * dim > Integer.MAX_VALUE - 8) {
        throw error(
            "section '" + section + "': " + rows + " × " + dim + " floats exceed one Java array");
      }
      float[] data = new float[rows * dim];
      getFloats(data);
      end();
      EmbeddingTable table = new EmbeddingTable(rows, dim, data);
      long bad = table.firstNonFinite();
      if (bad >= 0) {
        int row = (int) (bad / dim);
        throw error(
            "section '"
                + section
                + "': row "
                + row
                + " (id \""
                + ids.idOf(row)
                + "\") holds "
                + data[(int) bad]
                + " in column "
                + (bad % dim)
                + "; a model never holds a non-finite value");
      }
      return table;
    }

    private Interactions readSeen(Structure s) throws IOException {
      int numRows = getInt();
      int numCols = getInt();
      long nnz = getLong();
      if (numRows != s.numUsers || numCols != s.numItems || nnz != s.seenInteractions) {
        throw error(
            "section '"
                + section
                + "' is "
                + numRows
                + " × "
                + numCols
                + " with "
                + nnz
                + " interactions but the metadata declares "
                + s.numUsers
                + " × "
                + s.numItems
                + " with "
                + s.seenInteractions);
      }
      int[] rowStart = new int[checkedArrayLength(numRows + 1L, 4, "row count")];
      getInts(rowStart);
      int[] cols = new int[checkedArrayLength(nnz, 4, "interaction count")];
      getInts(cols);
      try {
        return new Interactions(numRows, numCols, rowStart, cols, null, null);
      } catch (IllegalArgumentException e) {
        throw error("section '" + section + "': " + e.getMessage());
      }
    }
  }
}
