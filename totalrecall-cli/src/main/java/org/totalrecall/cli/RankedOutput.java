package org.totalrecall.cli;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.hadoop.ParquetWriter;
import org.totalrecall.cli.io.ParquetTables;

/**
 * The rows of {@code recommend-all} and {@code audience-all}, {@code (query, candidate, score,
 * rank)}, written as CSV (FastCSV, with a header) or Parquet ({@link ParquetTables#ranked}). The
 * format is {@code --format}, or else the extension of {@code --out} ({@code .parquet}, else CSV).
 */
abstract class RankedOutput implements Closeable {
  /** Writes one row; rank counts from 1. */
  abstract void row(String query, String candidate, float score, int rank) throws IOException;

  /** The output format: {@code format} if given (csv or parquet), else from {@code out}'s name. */
  static String format(String format, Path out) {
    if (format == null) {
      return out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")
          ? "parquet"
          : "csv";
    }
    String f = format.trim().toLowerCase(Locale.ROOT);
    if (!f.equals("csv") && !f.equals("parquet")) {
      throw CliException.usage("--format must be csv or parquet, got '" + format + "'");
    }
    return f;
  }

  /**
   * Opens {@code file} for rows with the given id column names, in {@code format} (see {@link
   * #format}).
   */
  static RankedOutput open(
      Path file, String format, String queryName, String candidateName, Map<String, String> meta)
      throws IOException {
    return format.equals("parquet")
        ? new Parquet(file, queryName, candidateName, meta)
        : new Csv(file, queryName, candidateName);
  }

  private static final class Csv extends RankedOutput {
    private final OutputStream os;
    private final CsvWriter csv;

    Csv(Path file, String queryName, String candidateName) throws IOException {
      os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
      csv = CsvWriter.builder().build(os, StandardCharsets.UTF_8);
      csv.writeRecord(queryName, candidateName, "score", "rank");
    }

    @Override
    void row(String query, String candidate, float score, int rank) {
      csv.writeRecord(query, candidate, Float.toString(score), Integer.toString(rank));
    }

    @Override
    public void close() throws IOException {
      try (os) {
        csv.close();
      }
    }
  }

  private static final class Parquet extends RankedOutput {
    private final ParquetWriter<ParquetTables.RankedRow> writer;
    private final ParquetTables.RankedRow reused = new ParquetTables.RankedRow();

    Parquet(Path file, String queryName, String candidateName, Map<String, String> meta)
        throws IOException {
      writer =
          ParquetTables.open(
              file,
              ParquetTables.ranked(queryName, candidateName),
              meta,
              (r, out) -> ParquetTables.RankedRow.write(r, out, queryName, candidateName));
    }

    @Override
    void row(String query, String candidate, float score, int rank) throws IOException {
      reused.query = query;
      reused.candidate = candidate;
      reused.score = score;
      reused.rank = rank;
      writer.write(reused);
    }

    @Override
    public void close() throws IOException {
      writer.close();
    }
  }
}
