package org.totalrecall.ann;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.zip.CRC32C;
import org.totalrecall.linalg.EmbeddingTable;

/**
 * A directory of HNSW indexes for one model file: {@code index.properties} (the format name and
 * version, the model file's name and CRC32C, the build parameters and the files of each direction)
 * and one {@link HnswIndex} file per direction ({@code items.hnsw} answers u2i, {@code users.hnsw}
 * answers i2u). Opening it for a model file whose checksum differs (another model, or the model
 * retrained in place) is refused, and so is an index over vectors that differ from the model's
 * retrieval table.
 */
public final class IndexDirectory {
  /** The directory format's version. */
  public static final int VERSION = 1;

  /** The manifest's file name. */
  public static final String MANIFEST = "index.properties";

  /** The u2i index (over the item vectors). */
  public static final String ITEMS = "items.hnsw";

  /** The i2u index (over the user vectors). */
  public static final String USERS = "users.hnsw";

  private final Path dir;
  private final HnswIndex items;
  private final HnswIndex users;

  private IndexDirectory(Path dir, HnswIndex items, HnswIndex users) {
    this.dir = dir;
    this.items = items;
    this.users = users;
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** The index over the items (u2i), or null if the directory holds none. */
  public HnswIndex items() {
    return items;
  }

  /** The index over the users (i2u), or null if the directory holds none. */
  public HnswIndex users() {
    return users;
  }

  /** The CRC32C of a file's bytes. */
  public static long fileChecksum(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        crc.update(buf, 0, n);
      }
    }
    return crc.getValue();
  }

  /**
   * Writes {@code items} and/or {@code users} (either may be null, not both) and the manifest tying
   * them to {@code modelFile} into {@code dir} (created if absent; files of an earlier index there
   * are replaced).
   */
  public static void write(
      Path dir, Path modelFile, HnswIndex items, HnswIndex users, double buildSeconds)
      throws IOException {
    if (items == null && users == null) {
      throw new IllegalArgumentException("nothing to write: no index for either direction");
    }
    Files.createDirectories(dir);
    Properties p = new Properties();
    p.setProperty("format", "totalrecall-hnsw");
    p.setProperty("version", Integer.toString(VERSION));
    p.setProperty("model.file", modelFile.getFileName().toString());
    p.setProperty("model.crc32c", Long.toHexString(fileChecksum(modelFile)));
    p.setProperty("build.seconds", String.format(java.util.Locale.ROOT, "%.3f", buildSeconds));
    Files.deleteIfExists(dir.resolve(ITEMS));
    Files.deleteIfExists(dir.resolve(USERS));
    if (items != null) {
      items.write(dir.resolve(ITEMS));
      p.setProperty("u2i", ITEMS);
      p.setProperty("m", Integer.toString(items.m()));
      p.setProperty("efConstruction", Integer.toString(items.efConstruction()));
    }
    if (users != null) {
      users.write(dir.resolve(USERS));
      p.setProperty("i2u", USERS);
      p.setProperty("m", Integer.toString(users.m()));
      p.setProperty("efConstruction", Integer.toString(users.efConstruction()));
    }
    Path tmp = dir.resolve(MANIFEST + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "TotalRecall HNSW index; rebuild with ./totalrecall index when the model changes");
    }
    Files.move(
        tmp,
        dir.resolve(MANIFEST),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Opens the index directory {@code dir} for {@code modelFile}, whose retrieval tables are {@code
   * retrievalItems} and {@code retrievalUsers}.
   *
   * @throws IndexFormatException if the directory holds no index, one of another format version, or
   *     one built for another model (the model file's checksum or the vectors differ)
   */
  public static IndexDirectory open(
      Path dir, Path modelFile, EmbeddingTable retrievalItems, EmbeddingTable retrievalUsers)
      throws IOException {
    Properties p = manifest(dir, modelFile);
    HnswIndex items =
        p.getProperty("u2i") == null ? null : HnswIndex.read(dir.resolve(p.getProperty("u2i")));
    HnswIndex users =
        p.getProperty("i2u") == null ? null : HnswIndex.read(dir.resolve(p.getProperty("i2u")));
    check(dir, "u2i", items, retrievalItems);
    check(dir, "i2u", users, retrievalUsers);
    return new IndexDirectory(dir, items, users);
  }

  /**
   * Which directions {@code dir} holds for {@code modelFile} ({@code "u2i"}, {@code "i2u"}), from
   * its manifest alone: the format, the version and the model file's checksum are checked, the
   * graphs and the vectors are not (a driver that plans work without loading the tables).
   *
   * @throws IndexFormatException as {@link #open}, but for vectors that differ
   */
  public static java.util.Set<String> directionsFor(Path dir, Path modelFile) throws IOException {
    Properties p = manifest(dir, modelFile);
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String d : new String[] {"u2i", "i2u"}) {
      if (p.getProperty(d) != null) {
        out.add(d);
      }
    }
    return out;
  }

  private static Properties manifest(Path dir, Path modelFile) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve(MANIFEST), StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new IndexFormatException(
          dir
              + ": not an index directory (no "
              + MANIFEST
              + "; build one with ./totalrecall index)");
    }
    if (!"totalrecall-hnsw".equals(p.getProperty("format"))) {
      throw new IndexFormatException(dir.resolve(MANIFEST) + ": not a TotalRecall index manifest");
    }
    if (!Integer.toString(VERSION).equals(p.getProperty("version"))) {
      throw new IndexFormatException(
          dir.resolve(MANIFEST)
              + ": index directory version "
              + p.getProperty("version")
              + ", this build reads version "
              + VERSION
              + " (rebuild it with ./totalrecall index)");
    }
    String crc = Long.toHexString(fileChecksum(modelFile));
    if (!crc.equals(p.getProperty("model.crc32c"))) {
      throw new IndexFormatException(
          dir
              + ": the index was built for model file '"
              + p.getProperty("model.file")
              + "' (CRC32C "
              + p.getProperty("model.crc32c")
              + "), not for "
              + modelFile
              + " (CRC32C "
              + crc
              + "); rebuild it with ./totalrecall index");
    }
    return p;
  }

  private static void check(Path dir, String direction, HnswIndex index, EmbeddingTable table)
      throws IndexFormatException {
    if (index != null
        && (index.size() != table.rows()
            || index.dim() != table.dim()
            || index.tableChecksum() != HnswIndex.checksum(table))) {
      throw new IndexFormatException(
          dir
              + ": the "
              + direction
              + " index was built over other vectors than the model's"
              + " (rebuild it with ./totalrecall index)");
    }
  }
}
