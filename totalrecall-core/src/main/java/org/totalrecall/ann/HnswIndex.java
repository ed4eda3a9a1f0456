package org.totalrecall.ann;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.util.Checks;

/**
 * A hierarchical navigable small-world graph (HNSW: Malkov &amp; Yashunin 2018) over the rows of an
 * embedding table, by inner product, built with Lucene's {@link HnswGraphBuilder} and kept as flat
 * arrays: level 0 holds every row ({@code offsets0} into {@code neighbors0}), each upper level its
 * sorted nodes, their offsets and neighbours, which {@link GraphSearcher} walks ({@link
 * HnswRetriever}); {@link #view()} shows them to Lucene's own searcher. A one-thread build is
 * seeded and reproducible; a build on several threads uses Lucene's concurrent builder (see {@link
 * #build(EmbeddingTable, int, int, long, VectorOps, int)}).
 *
 * <p>The similarity is Lucene's {@code MAXIMUM_INNER_PRODUCT} scaling of the dot product (a
 * monotone map to positive scores: 1/(1 − s) below 0, 1 + s above); a cosine model's retrieval
 * tables are normalised, where it is the cosine.
 *
 * <p>File format (version {@value #VERSION}; big-endian, as {@link DataOutputStream} writes): the
 * magic {@code TRHNSW}, the version, rows, dim, M, efConstruction, seed, the CRC32C of the table's
 * float bits (an index is refused for other vectors), the level count, the entry node, level 0's
 * offsets and neighbours, each upper level's node count, nodes, offsets and neighbours, and the
 * CRC32C of every byte before it. Immutable once built: thread-safe (each search takes its own
 * {@link #view()}).
 */
public final class HnswIndex {
  /** The index file's format version. */
  public static final int VERSION = 1;

  /** Lucene's default maximum neighbours per node (2·M at level 0). */
  public static final int DEFAULT_M = 16;

  /** The candidate-list size of the build. */
  public static final int DEFAULT_EF_CONSTRUCTION = 200;

  private static final byte[] MAGIC = {'T', 'R', 'H', 'N', 'S', 'W'};

  private final int size;
  private final int dim;
  private final int m;
  private final int efConstruction;
  private final long seed;
  private final long tableChecksum;
  private final int entryNode;
  private final int[] offsets0;
  private final int[] neighbors0;

  /** Levels 1.. (index level − 1): sorted nodes, offsets (nodes + 1) and neighbours. */
  private final int[][] levelNodes;

  private final int[][] levelOffsets;
  private final int[][] levelNeighbors;
  private final int maxDegree;

  private HnswIndex(
      int size,
      int dim,
      int m,
      int efConstruction,
      long seed,
      long tableChecksum,
      int entryNode,
      int[] offsets0,
      int[] neighbors0,
      int[][] levelNodes,
      int[][] levelOffsets,
      int[][] levelNeighbors) {
    this.size = size;
    this.dim = dim;
    this.m = m;
    this.efConstruction = efConstruction;
    this.seed = seed;
    this.tableChecksum = tableChecksum;
    this.entryNode = entryNode;
    this.offsets0 = offsets0;
    this.neighbors0 = neighbors0;
    this.levelNodes = levelNodes;
    this.levelOffsets = levelOffsets;
    this.levelNeighbors = levelNeighbors;
    this.maxDegree = maxDegree(offsets0, levelOffsets);
  }

  /**
   * Builds the graph over every row of {@code table}.
   *
   * @param m maximum neighbours per node on the upper levels (2·m on level 0), 2..512
   * @param efConstruction candidates kept while linking a node, ≥ 1
   */
  public static HnswIndex build(
      EmbeddingTable table, int m, int efConstruction, long seed, VectorOps ops) {
    return build(table, m, efConstruction, seed, ops, 1);
  }

  /**
   * Builds the graph over every row of {@code table} on {@code threads} threads: one thread is
   * Lucene's {@link HnswGraphBuilder} (the same table, parameters and seed give the same graph);
   * more are Lucene's {@link HnswConcurrentMergeBuilder} on one empty graph, whose result depends
   * on how the threads interleave (the same quality, not the same links).
   *
   * @param m maximum neighbours per node on the upper levels (2·m on level 0), 2..512
   * @param efConstruction candidates kept while linking a node, ≥ 1
   */
  public static HnswIndex build(
      EmbeddingTable table, int m, int efConstruction, long seed, VectorOps ops, int threads) {
    Checks.notNull("table", table);
    if (m < 2 || m > 512) {
      throw new IllegalArgumentException("m must be in 2..512, got " + m);
    }
    Checks.positive("efConstruction", efConstruction);
    Checks.positive("threads", threads);
    int n = table.rows();
    TableScorers.Supplier scorers = new TableScorers.Supplier(table, ops);
    try {
      OnHeapHnswGraph graph;
      if (n == 0) {
        graph = null;
      } else if (threads == 1 || n < 2 * threads) {
        graph = HnswGraphBuilder.create(scorers, m, efConstruction, seed).build(n);
      } else {
        java.util.concurrent.ExecutorService pool =
            java.util.concurrent.Executors.newFixedThreadPool(
                threads,
                r -> {
                  Thread t = new Thread(r, "totalrecall-hnsw-build");
                  t.setDaemon(true);
                  return t;
                });
        try {
          OnHeapHnswGraph empty =
              HnswGraphBuilder.create(scorers, m, efConstruction, seed, n).getGraph();
          graph =
              new HnswConcurrentMergeBuilder(
                      new org.apache.lucene.search.TaskExecutor(pool),
                      threads,
                      scorers,
                      m,
                      efConstruction,
                      empty,
                      null)
                  .build(n);
        } finally {
          pool.shutdownNow();
        }
      }
      return pack(graph, n, table.dim(), m, efConstruction, seed, checksum(table));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory vectors: not expected
    }
  }

  private static HnswIndex pack(
      HnswGraph g, int n, int dim, int m, int efConstruction, long seed, long crc)
      throws IOException {
    int[] offsets0 = new int[n + 1];
    if (g == null) {
      return new HnswIndex(
          0,
          dim,
          m,
          efConstruction,
          seed,
          crc,
          -1,
          offsets0,
          new int[0],
          new int[0][],
          new int[0][],
          new int[0][]);
    }
    IntList nbrs = new IntList(n * m);
    for (int node = 0; node < n; node++) {
      offsets0[node] = nbrs.size;
      appendNeighbors(g, 0, node, nbrs);
    }
    offsets0[n] = nbrs.size;
    int levels = g.numLevels();
    int[][] nodes = new int[levels - 1][];
    int[][] offsets = new int[levels - 1][];
    int[][] neighbors = new int[levels - 1][];
    for (int level = 1; level < levels; level++) {
      HnswGraph.NodesIterator it = g.getNodesOnLevel(level);
      int[] ids = new int[it.size()];
      for (int k = 0; k < ids.length; k++) {
        ids[k] = it.nextInt();
      }
      Arrays.sort(ids);
      IntList up = new IntList(ids.length * m);
      int[] off = new int[ids.length + 1];
      for (int k = 0; k < ids.length; k++) {
        off[k] = up.size;
        appendNeighbors(g, level, ids[k], up);
      }
      off[ids.length] = up.size;
      nodes[level - 1] = ids;
      offsets[level - 1] = off;
      neighbors[level - 1] = up.toArray();
    }
    return new HnswIndex(
        n,
        dim,
        m,
        efConstruction,
        seed,
        crc,
        g.entryNode(),
        offsets0,
        nbrs.toArray(),
        nodes,
        offsets,
        neighbors);
  }

  private static void appendNeighbors(HnswGraph g, int level, int node, IntList out)
      throws IOException {
    g.seek(level, node);
    for (int nb = g.nextNeighbor(); nb != DocIdSetIterator.NO_MORE_DOCS; nb = g.nextNeighbor()) {
      out.add(nb);
    }
  }

  /** The CRC32C of the table's rows, dim and float bits (little-endian). */
  public static long checksum(EmbeddingTable table) {
    CRC32C crc = new CRC32C();
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(table.rows()).putInt(table.dim());
    float[] data = table.data();
    int end = table.rows() * table.dim();
    for (int k = 0; k < end; k++) {
      if (buf.remaining() < 4) {
        buf.flip();
        crc.update(buf);
        buf.clear();
      }
      buf.putFloat(data[k]);
    }
    buf.flip();
    crc.update(buf);
    return crc.getValue();
  }

  /** Rows indexed. */
  public int size() {
    return size;
  }

  /** Vector width of the indexed table. */
  public int dim() {
    return dim;
  }

  /** M of the build. */
  public int m() {
    return m;
  }

  /** efConstruction of the build. */
  public int efConstruction() {
    return efConstruction;
  }

  /** The CRC32C of the indexed table ({@link #checksum}). */
  public long tableChecksum() {
    return tableChecksum;
  }

  /** Links stored over every level. */
  public long links() {
    long n = neighbors0.length;
    for (int[] l : levelNeighbors) {
      n += l.length;
    }
    return n;
  }

  /** Heap bytes of the graph's arrays (not the vectors). */
  public long graphBytes() {
    long ints = (long) offsets0.length + neighbors0.length;
    for (int l = 0; l < levelNodes.length; l++) {
      ints += (long) levelNodes[l].length + levelOffsets[l].length + levelNeighbors[l].length;
    }
    return 4 * ints;
  }

  /** Levels of the graph, level 0 included. */
  int levels() {
    return levelNodes.length + 1;
  }

  /** The node every search starts from (on the top level). */
  int entryNode() {
    return entryNode;
  }

  /** Level 0's offsets (size + 1) into {@link #neighbors0()}. */
  int[] offsets0() {
    return offsets0;
  }

  /** Level 0's neighbour lists, back to back. */
  int[] neighbors0() {
    return neighbors0;
  }

  /** The sorted nodes of upper level {@code level} (≥ 1). */
  int[] levelNodes(int level) {
    return levelNodes[level - 1];
  }

  /** The offsets of upper level {@code level}'s nodes into {@link #levelNeighbors(int)}. */
  int[] levelOffsets(int level) {
    return levelOffsets[level - 1];
  }

  /** Upper level {@code level}'s neighbour lists, back to back. */
  int[] levelNeighbors(int level) {
    return levelNeighbors[level - 1];
  }

  /** The most neighbours of any node on any level. */
  int maxDegree() {
    return maxDegree;
  }

  private static int maxDegree(int[] offsets0, int[][] levelOffsets) {
    int max = 0;
    for (int v = 0; v + 1 < offsets0.length; v++) {
      max = Math.max(max, offsets0[v + 1] - offsets0[v]);
    }
    for (int[] off : levelOffsets) {
      for (int k = 0; k + 1 < off.length; k++) {
        max = Math.max(max, off[k + 1] - off[k]);
      }
    }
    return max;
  }

  /**
   * A fresh cursor over the graph for Lucene's searcher (one per search: a cursor is not
   * thread-safe).
   */
  HnswGraph view() {
    return new View();
  }

  /** Lucene's view of the packed arrays. */
  private final class View extends HnswGraph {
    private int[] nbrs = neighbors0;
    private int cur;
    private int start;
    private int end;

    @Override
    public void seek(int level, int target) {
      if (level == 0) {
        nbrs = neighbors0;
        start = offsets0[target];
        end = offsets0[target + 1];
      } else {
        int[] ids = levelNodes[level - 1];
        int k = Arrays.binarySearch(ids, target);
        if (k < 0) {
          throw new IllegalStateException("node " + target + " is not on level " + level);
        }
        nbrs = levelNeighbors[level - 1];
        start = levelOffsets[level - 1][k];
        end = levelOffsets[level - 1][k + 1];
      }
      cur = start;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public int nextNeighbor() {
      return cur < end ? nbrs[cur++] : DocIdSetIterator.NO_MORE_DOCS;
    }

    @Override
    public int neighborCount() {
      return end - start;
    }

    @Override
    public int numLevels() {
      return levelNodes.length + 1;
    }

    @Override
    public int maxConn() {
      return m;
    }

    @Override
    public int entryNode() {
      return entryNode;
    }

    @Override
    public NodesIterator getNodesOnLevel(int level) {
      if (level == 0) {
        int[] all = new int[size];
        Arrays.setAll(all, k -> k);
        return new ArrayNodesIterator(all, size);
      }
      int[] ids = levelNodes[level - 1];
      return new ArrayNodesIterator(ids, ids.length);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // File

  /** Writes the index to {@code file} (through a temporary renamed into place). */
  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    CRC32C crc = new CRC32C();
    try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc))) {
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(size);
      out.writeInt(dim);
      out.writeInt(m);
      out.writeInt(efConstruction);
      out.writeLong(seed);
      out.writeLong(tableChecksum);
      out.writeInt(levelNodes.length + 1);
      out.writeInt(entryNode);
      writeInts(out, offsets0);
      out.writeInt(neighbors0.length);
      writeInts(out, neighbors0);
      for (int l = 0; l < levelNodes.length; l++) {
        out.writeInt(levelNodes[l].length);
        writeInts(out, levelNodes[l]);
        writeInts(out, levelOffsets[l]);
        out.writeInt(levelNeighbors[l].length);
        writeInts(out, levelNeighbors[l]);
      }
      out.flush();
      long sum = crc.getValue();
      new DataOutputStream(raw).writeLong(sum);
    }
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeInts(DataOutputStream out, int[] a) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 * Math.min(a.length, 1 << 14));
    for (int k = 0; k < a.length; ) {
      buf.clear();
      int n = Math.min(a.length - k, buf.capacity() / 4);
      buf.asIntBuffer().put(a, k, n);
      out.write(buf.array(), 0, 4 * n);
      k += n;
    }
  }

  /**
   * Reads an index written by {@link #write}.
   *
   * @throws IndexFormatException naming the file and what is wrong, if it is not such a file, of
   *     another version, truncated, corrupted or inconsistent
   */
  public static HnswIndex read(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        CheckedInputStream checked = new CheckedInputStream(raw, crc)) {
      DataInputStream in = new DataInputStream(checked);
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IndexFormatException(file + ": not a TotalRecall HNSW index (bad magic)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IndexFormatException(
            file
                + ": index format version "
                + version
                + ", this build reads version "
                + VERSION
                + " (rebuild the index with ./totalrecall index)");
      }
      int size = nonNegative(file, "rows", in.readInt());
      int dim = nonNegative(file, "dim", in.readInt());
      int m = nonNegative(file, "m", in.readInt());
      int efc = nonNegative(file, "efConstruction", in.readInt());
      long seed = in.readLong();
      long tableCrc = in.readLong();
      int levels = in.readInt();
      int entry = in.readInt();
      if (levels < 1 || levels > 64 || (size > 0 && (entry < 0 || entry >= size))) {
        throw new IndexFormatException(
            file + ": inconsistent header (levels " + levels + ", entry node " + entry + ")");
      }
      int[] offsets0 = readInts(in, size + 1, file);
      int[] neighbors0 = readInts(in, nonNegative(file, "level 0 links", in.readInt()), file);
      checkOffsets(file, 0, offsets0, neighbors0.length);
      int[][] nodes = new int[levels - 1][];
      int[][] offsets = new int[levels - 1][];
      int[][] neighbors = new int[levels - 1][];
      for (int l = 1; l < levels; l++) {
        int count = nonNegative(file, "level " + l + " nodes", in.readInt());
        if (count > size) {
          throw new IndexFormatException(
              file + ": level " + l + " holds " + count + " nodes, more than " + size);
        }
        nodes[l - 1] = readInts(in, count, file);
        offsets[l - 1] = readInts(in, count + 1, file);
        neighbors[l - 1] =
            readInts(in, nonNegative(file, "level " + l + " links", in.readInt()), file);
        checkOffsets(file, l, offsets[l - 1], neighbors[l - 1].length);
        for (int k = 0; k < count; k++) {
          if (nodes[l - 1][k] < 0
              || nodes[l - 1][k] >= size
              || (k > 0 && nodes[l - 1][k] <= nodes[l - 1][k - 1])) {
            throw new IndexFormatException(
                file + ": level " + l + "'s nodes are not increasing row indices");
          }
        }
      }
      long expected = crc.getValue();
      long stored = new DataInputStream(raw).readLong();
      if (stored != expected) {
        throw new IndexFormatException(file + ": checksum mismatch (file corrupted)");
      }
      if (raw.read() != -1) {
        throw new IndexFormatException(file + ": bytes after the end of the index");
      }
      for (int[] a : new int[][] {neighbors0}) {
        checkLinks(file, a, size);
      }
      for (int[] a : neighbors) {
        checkLinks(file, a, size);
      }
      return new HnswIndex(
          size,
          dim,
          m,
          efc,
          seed,
          tableCrc,
          size == 0 ? -1 : entry,
          offsets0,
          neighbors0,
          nodes,
          offsets,
          neighbors);
    } catch (EOFException e) {
      throw new IndexFormatException(file + ": truncated");
    }
  }

  private static int nonNegative(Path file, String what, int v) throws IndexFormatException {
    if (v < 0) {
      throw new IndexFormatException(file + ": " + what + " is negative (" + v + ")");
    }
    return v;
  }

  private static int[] readInts(DataInputStream in, int n, Path file) throws IOException {
    if (n > Integer.MAX_VALUE / 4 - 16) {
      throw new IndexFormatException(file + ": an array of " + n + " entries is too large");
    }
    int[] a = new int[n];
    byte[] bytes = new byte[4 * Math.min(n, 1 << 14)];
    for (int k = 0; k < n; ) {
      int c = Math.min(n - k, bytes.length / 4);
      in.readFully(bytes, 0, 4 * c);
      ByteBuffer.wrap(bytes, 0, 4 * c).asIntBuffer().get(a, k, c);
      k += c;
    }
    return a;
  }

  private static void checkOffsets(Path file, int level, int[] off, int links)
      throws IndexFormatException {
    if (off[0] != 0 || off[off.length - 1] != links) {
      throw new IndexFormatException(
          file + ": level " + level + "'s offsets do not span its links");
    }
    for (int k = 1; k < off.length; k++) {
      if (off[k] < off[k - 1]) {
        throw new IndexFormatException(
            file + ": level " + level + "'s offsets decrease at node " + k);
      }
    }
  }

  private static void checkLinks(Path file, int[] links, int size) throws IndexFormatException {
    for (int v : links) {
      if (v < 0 || v >= size) {
        throw new IndexFormatException(
            file + ": a link points to row " + v + ", outside [0, " + size + ")");
      }
    }
  }

  /** A growable int array. */
  private static final class IntList {
    int[] a;
    int size;

    IntList(int capacity) {
      a = new int[Math.max(16, capacity)];
    }

    void add(int v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, a.length + (a.length >> 1));
      }
      a[size++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(a, size);
    }
  }
}
