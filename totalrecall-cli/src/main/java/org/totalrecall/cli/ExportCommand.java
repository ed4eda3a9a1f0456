package org.totalrecall.cli;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.totalrecall.ann.IndexDirectory;
import org.totalrecall.cli.io.ParquetTables;
import org.totalrecall.data.IdIndex;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code totalrecall export}: the user and item tables with their external ids, as NumPy {@code
 * .npy} arrays (numpy.load, no pickle) with one id per line beside them, or as CSV with the id in
 * the first column: for numpy, pandas or a vector database.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the model's user and item vectors with their external ids into --out DIR: --format npy gives"
          + " users.npy and items.npy (float32, rows in id order) with user_ids.txt and item_ids.txt (one id per line);"
          + " --format csv gives users.csv and items.csv (id,v0,..,v{d-1}); --format parquet gives users.parquet and"
          + " items.parquet (id string, vector list<float>). export.json says what the vectors are.",
      "--vectors retrieval (the default) writes the vectors whose inner product ranks as the model scores: row-normalised"
          + " for cosine (the score is the inner product over tau), h folded into the users for gmf; --vectors raw writes"
          + " the trained tables as stored."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "Model file written by 'train'.")
  Path model;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write (created if absent).")
  Path out;

  @Option(
      names = "--format",
      defaultValue = "npy",
      paramLabel = "FORMAT",
      description = "npy, parquet or csv (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--vectors",
      defaultValue = "retrieval",
      paramLabel = "KIND",
      description = "retrieval or raw (default: ${DEFAULT-VALUE}).")
  String vectors;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("npy") && !format.equals("csv") && !format.equals("parquet")) {
      throw CliException.usage("--format must be npy, parquet or csv, got '" + format + "'");
    }
    if (!vectors.equals("retrieval") && !vectors.equals("raw")) {
      throw CliException.usage("--vectors must be retrieval or raw, got '" + vectors + "'");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw CliException.usage("--out " + out + " is a file, not a directory");
    }
    FactorModel m = ModelFiles.load(model);
    boolean retrieval = vectors.equals("retrieval");
    EmbeddingTable users = retrieval ? m.retrievalUsers() : m.userTable();
    EmbeddingTable items = retrieval ? m.retrievalItems() : m.itemTable();
    List<String> files = new ArrayList<>();
    try {
      Files.createDirectories(out);
      if (format.equals("npy")) {
        writeNpy(out.resolve("users.npy"), users);
        writeNpy(out.resolve("items.npy"), items);
        writeIds(out.resolve("user_ids.txt"), m.userIds(), m.numUsers());
        writeIds(out.resolve("item_ids.txt"), m.itemIds(), m.numItems());
        files.addAll(List.of("users.npy", "items.npy", "user_ids.txt", "item_ids.txt"));
      } else if (format.equals("parquet")) {
        Map<String, String> meta =
            Map.of("totalrecall.vectors", vectors, "totalrecall.score", scoreRule(m, retrieval));
        writeParquet(out.resolve("users.parquet"), users, m.userIds(), meta);
        writeParquet(out.resolve("items.parquet"), items, m.itemIds(), meta);
        files.addAll(List.of("users.parquet", "items.parquet"));
      } else {
        writeCsv(out.resolve("users.csv"), users, m.userIds());
        writeCsv(out.resolve("items.csv"), items, m.itemIds());
        files.addAll(List.of("users.csv", "items.csv"));
      }
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("model", model.toAbsolutePath().toString());
      manifest.put("modelCrc32c", Long.toHexString(IndexDirectory.fileChecksum(model)));
      manifest.put("format", format);
      manifest.put("vectors", vectors);
      manifest.put("users", m.numUsers());
      manifest.put("items", m.numItems());
      manifest.put("dim", m.dim());
      manifest.put("scorer", m.scorer().kind().name().toLowerCase(Locale.ROOT));
      manifest.put("score", scoreRule(m, retrieval));
      manifest.put("files", files);
      try (BufferedWriter w =
          Files.newBufferedWriter(out.resolve("export.json"), StandardCharsets.UTF_8)) {
        PrintWriter pw = new PrintWriter(w);
        Json.print(pw, manifest);
        pw.flush();
      }
      files.add("export.json");
      PrintWriter w = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>(manifest);
        doc.put("command", "export");
        doc.put("out", out.toString());
        Json.print(w, doc);
      } else {
        w.printf(
            Locale.ROOT,
            "wrote %,d users and %,d items (dim %d, %s vectors) to %s: %s%n",
            m.numUsers(),
            m.numItems(),
            m.dim(),
            vectors,
            out,
            String.join(", ", files));
      }
      w.flush();
    } catch (UncheckedIOException e) {
      throw new CliException(
          ExitCodes.CANT_CREATE, "cannot write " + out + ": " + e.getCause().getMessage(), e);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.CANT_CREATE, "cannot write " + out + ": " + e.getMessage(), e);
    }
    return ExitCodes.OK;
  }

  /** How the exported vectors give the model's score. */
  private static String scoreRule(FactorModel m, boolean retrieval) {
    if (!retrieval) {
      return m.scorer().isCosine()
          ? "cos(u, i) / " + m.scorer().temperature()
          : m.scorer().isGmf() ? "sum_k h_k u_k i_k (h in the model file)" : "u . i";
    }
    return m.scorer().isCosine() ? "(u . i) / " + m.scorer().temperature() : "u . i";
  }

  /**
   * A NumPy format 1.0 file of a float32 (rows × dim) array: magic, version, a little-endian u16
   * header length, the header dict padded with spaces to a 64-byte boundary and ended by a newline,
   * then the rows in C order.
   */
  static void writeNpy(Path file, EmbeddingTable table) throws IOException {
    String dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': ("
            + table.rows()
            + ", "
            + table.dim()
            + "), }";
    int unpadded = 10 + dict.length() + 1;
    int padded = (unpadded + 63) / 64 * 64;
    StringBuilder header = new StringBuilder(dict);
    header.append(" ".repeat(padded - unpadded)).append('\n');
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      os.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
      int len = header.length();
      os.write(new byte[] {(byte) (len & 0xff), (byte) (len >>> 8)});
      os.write(header.toString().getBytes(StandardCharsets.US_ASCII));
      ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
      float[] data = table.data();
      int n = table.rows() * table.dim();
      for (int k = 0; k < n; k++) {
        if (!buf.hasRemaining()) {
          os.write(buf.array(), 0, buf.position());
          buf.clear();
        }
        buf.putFloat(data[k]);
      }
      os.write(buf.array(), 0, buf.position());
    }
  }

  private static void writeIds(Path file, IdIndex ids, int n) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int k = 0; k < n; k++) {
        w.write(ids.idOf(k));
        w.write('\n');
      }
    }
  }

  /** {@code (id, vector)} rows ({@link ParquetTables#vectors}), one per table row. */
  static void writeParquet(Path file, EmbeddingTable table, IdIndex ids, Map<String, String> meta)
      throws IOException {
    ParquetTables.VectorRow row = new ParquetTables.VectorRow();
    row.data = table.data();
    row.dim = table.dim();
    try (org.apache.parquet.hadoop.ParquetWriter<ParquetTables.VectorRow> w =
        ParquetTables.open(file, ParquetTables.vectors(), meta, ParquetTables.VectorRow::write)) {
      for (int r = 0; r < table.rows(); r++) {
        row.id = ids.idOf(r);
        row.offset = r * table.dim();
        w.write(row);
      }
    }
  }

  private static void writeCsv(Path file, EmbeddingTable table, IdIndex ids) throws IOException {
    int d = table.dim();
    String[] row = new String[d + 1];
    try (CsvWriter csv = CsvWriter.builder().build(file)) {
      row[0] = "id";
      for (int k = 0; k < d; k++) {
        row[k + 1] = "v" + k;
      }
      csv.writeRecord(row);
      float[] data = table.data();
      for (int r = 0; r < table.rows(); r++) {
        row[0] = ids.idOf(r);
        for (int k = 0; k < d; k++) {
          row[k + 1] = Float.toString(data[r * d + k]);
        }
        csv.writeRecord(row);
      }
    }
  }
}
