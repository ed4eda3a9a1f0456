package org.totalrecall.cli.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Parquet output through parquet-hadoop's writer, with the few Hadoop classes it loads supplied by
 * parquet-floor (no Hadoop client): snappy pages, one row group per 128 MB. Each table writes its
 * rows straight to the {@link RecordConsumer} (no boxing, no row maps).
 *
 * <p>The two tables the CLI writes:
 *
 * <ul>
 *   <li>{@link #ranked}: {@code (query, candidate, score, rank)} rows of {@code recommend-all}
 *       (user, item) and {@code audience-all} (item, user): ids as UTF-8 strings, score float, rank
 *       int32 from 1;
 *   <li>{@link #vectors}: {@code (id, vector)} rows of {@code export}: the vector a Parquet LIST of
 *       FLOAT in the standard three-level layout, which pyarrow and pandas read as a list column
 *       and Spark as {@code array<float>};
 *   <li>{@link #interactions}: {@code (user, item, weight, timestamp)} logs as int64, int64, float,
 *       int64 (the synthetic logs of {@code bench load}), which {@code --format parquet} reads.
 * </ul>
 */
public final class ParquetTables {
  private ParquetTables() {}

  /** Writes one row's fields between the writer's startMessage and endMessage. */
  public interface Rows<T> {
    void write(T row, RecordConsumer out);
  }

  /** The schema of ranked candidate rows with the given id column names. */
  public static MessageType ranked(String query, String candidate) {
    return MessageTypeParser.parseMessageType(
        "message ranked { required binary "
            + query
            + " (STRING); required binary "
            + candidate
            + " (STRING); required float score; required int32 rank; }");
  }

  /** The schema of an exported table: an id and its vector. */
  public static MessageType vectors() {
    return MessageTypeParser.parseMessageType(
        "message vectors { required binary id (STRING); required group vector"
            + " (LIST) { repeated group list { required float element; } } }");
  }

  /** The schema of an interaction log with integer ids. */
  public static MessageType interactions() {
    return MessageTypeParser.parseMessageType(
        "message interactions { required int64 user; required int64 item;"
            + " required float weight; required int64 timestamp; }");
  }

  /** An interaction row, reused across writes. */
  public static final class InteractionRow {
    public long user;
    public long item;
    public float weight;
    public long timestamp;

    /** Writes the four fields. */
    public static void write(InteractionRow r, RecordConsumer out) {
      out.startField("user", 0);
      out.addLong(r.user);
      out.endField("user", 0);
      out.startField("item", 1);
      out.addLong(r.item);
      out.endField("item", 1);
      out.startField("weight", 2);
      out.addFloat(r.weight);
      out.endField("weight", 2);
      out.startField("timestamp", 3);
      out.addLong(r.timestamp);
      out.endField("timestamp", 3);
    }
  }

  /**
   * Opens {@code file} (replaced if present) for rows of {@code schema}, with key-value metadata in
   * the footer.
   */
  public static <T> ParquetWriter<T> open(
      Path file, MessageType schema, Map<String, String> meta, Rows<T> rows) throws IOException {
    return new Builder<>(file, new Support<>(schema, meta, rows))
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }

  /** A ranked row, reused across writes (the writer consumes it before {@code write} returns). */
  public static final class RankedRow {
    public String query;
    public String candidate;
    public float score;
    public int rank;

    /** Writes this row's four fields; the names are the schema's id columns. */
    public static void write(
        RankedRow r, RecordConsumer out, String queryName, String candidateName) {
      string(out, 0, queryName, r.query);
      string(out, 1, candidateName, r.candidate);
      out.startField("score", 2);
      out.addFloat(r.score);
      out.endField("score", 2);
      out.startField("rank", 3);
      out.addInteger(r.rank);
      out.endField("rank", 3);
    }
  }

  /** An exported row: an id and a slice of a flat row-major table, reused across writes. */
  public static final class VectorRow {
    public String id;
    public float[] data;
    public int offset;
    public int dim;

    /** Writes the id and the vector as a three-level LIST. */
    public static void write(VectorRow r, RecordConsumer out) {
      string(out, 0, "id", r.id);
      out.startField("vector", 1);
      out.startGroup();
      if (r.dim > 0) {
        out.startField("list", 0);
        for (int k = 0; k < r.dim; k++) {
          out.startGroup();
          out.startField("element", 0);
          out.addFloat(r.data[r.offset + k]);
          out.endField("element", 0);
          out.endGroup();
        }
        out.endField("list", 0);
      }
      out.endGroup();
      out.endField("vector", 1);
    }
  }

  /** A string field. */
  private static void string(RecordConsumer out, int index, String name, String value) {
    out.startField(name, index);
    out.addBinary(Binary.fromString(value));
    out.endField(name, index);
  }

  private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
    private final Support<T> support;

    Builder(Path file, Support<T> support) {
      super(new LocalOutputFile(file));
      this.support = support;
    }

    @Override
    protected Builder<T> self() {
      return this;
    }

    @Override
    protected WriteSupport<T> getWriteSupport(ParquetConfiguration conf) {
      return support;
    }

    @Override
    @SuppressWarnings(
        "deprecation") // abstract in parquet-hadoop 1.18; the overload above is the one used
    protected WriteSupport<T> getWriteSupport(Configuration conf) {
      return support;
    }
  }

  private static final class Support<T> extends WriteSupport<T> {
    private final MessageType schema;
    private final Map<String, String> meta;
    private final Rows<T> rows;
    private RecordConsumer out;

    Support(MessageType schema, Map<String, String> meta, Rows<T> rows) {
      this.schema = schema;
      this.meta = meta;
      this.rows = rows;
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(schema, meta);
    }

    @Override
    @SuppressWarnings(
        "deprecation") // abstract in parquet-hadoop 1.18; the overload above is the one used
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, meta);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(T record) {
      out.startMessage();
      rows.write(record, out);
      out.endMessage();
    }
  }
}
