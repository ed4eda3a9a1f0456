package org.totalrecall.data;

import dev.hardwood.InputFile;
import dev.hardwood.metadata.PhysicalType;
import dev.hardwood.reader.ColumnReader;
import dev.hardwood.reader.ColumnReaders;
import dev.hardwood.reader.ParquetFileReader;
import dev.hardwood.reader.Validity;
import dev.hardwood.schema.ColumnProjection;
import dev.hardwood.schema.ColumnSchema;
import dev.hardwood.schema.FileSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Reads interaction logs stored as Apache Parquet (one file, or the part files of a directory as
 * Spark and pyarrow write them, in name order) into a {@link LoadState}, through the hardwood
 * reader's column batches: no row objects, no boxing.
 *
 * <p>Columns are found by name as for delimited files with a header (the names on {@link
 * LoadOptions}, or {@code --columns} names or 0-based indices); they must be flat. Types:
 *
 * <ul>
 *   <li>user and item: INT32 or INT64 (a non-negative value is that integer id; a negative one is
 *       the id spelled {@code -5}), or a UTF-8 string (BYTE_ARRAY), read like a delimited field: a
 *       canonical decimal integer is an integer id, anything else a string id;
 *   <li>weight: FLOAT, DOUBLE, INT32 or INT64, finite and &gt; 0;
 *   <li>timestamp: INT32 or INT64, any unit (only the order matters to the protocols).
 * </ul>
 *
 * The same rows as a CSV file therefore give the same ids, interactions and report counts (apart
 * from the CSV's header line). Every bad value (null, empty id, bad weight, malformed UTF-8) is an
 * {@link InteractionFormatException} naming the part file, the 1-based row within it and the
 * column; a missing column, a column of the wrong type and a file that is not Parquet (truncated,
 * another format) are one-line errors of the file. Rows are the report's lines and rows (there are
 * no blank or header lines). Duplicate-pair messages of a directory name the directory and the row
 * counted over all its parts.
 */
final class ParquetInteractionReader {
  /** File name suffix of Parquet files. */
  static final String SUFFIX = ".parquet";

  private static final int BATCH = 1 << 16;

  // hardwood announces its SIMD support at INFO on first use; keep the CLI's stderr clean.
  private static final Logger HARDWOOD_LOG = Logger.getLogger("dev.hardwood");

  static {
    HARDWOOD_LOG.setLevel(Level.WARNING);
  }

  private ParquetInteractionReader() {}

  /** Where a role's values are: the column's name in the file and its physical type. */
  private record Column(String role, String name, PhysicalType type) {
    String field() {
      return role.equals(name) ? role : role + " (column \"" + name + "\")";
    }

    @Override
    public String toString() {
      return role + "=" + name + ":" + type;
    }
  }

  /**
   * Whether any of {@code files} has a weight / timestamp column under {@code options} (read from
   * the first file).
   */
  static boolean[] weightedAndTimed(Path first, LoadOptions options) throws IOException {
    try (ParquetFileReader r = open(first)) {
      Column[] c = resolve(first, r.getFileSchema(), options);
      return new boolean[] {c[2] != null, c[3] != null};
    }
  }

  /**
   * Reads every file into {@code state.train}.
   *
   * @param files the Parquet files of the data set, in reading order
   */
  static void read(LoadState state, List<Path> files, LoadOptions options) throws IOException {
    long globalRow = 0;
    Column[] first = null;
    for (Path file : files) {
      state.files.add(file.toString());
      Column[] c;
      try (ParquetFileReader r = open(file)) {
        c = resolve(file, r.getFileSchema(), options);
      }
      if (first == null) {
        first = c;
      } else if (!Arrays.equals(first, c)) {
        throw InteractionFormatException.ofFile(
            file,
            "its columns "
                + Arrays.toString(c)
                + " differ from those of "
                + InteractionFormatException.displayName(files.get(0))
                + " "
                + Arrays.toString(first));
      }
      globalRow = readFile(state, file, c, globalRow);
    }
  }

  /**
   * The Parquet files of a data set: the file itself, or a directory's {@code *.parquet} files in
   * name order.
   */
  static List<Path> files(Path fileOrDir) throws IOException {
    if (!Files.isDirectory(fileOrDir)) {
      return List.of(fileOrDir);
    }
    try (Stream<Path> s = Files.list(fileOrDir)) {
      List<Path> out =
          s.filter(Files::isRegularFile)
              .filter(
                  p ->
                      !p.getFileName().toString().startsWith(".")
                          && p.getFileName().toString().endsWith(SUFFIX))
              .sorted()
              .toList();
      if (out.isEmpty()) {
        throw new IllegalArgumentException(fileOrDir + " holds no *" + SUFFIX + " file");
      }
      return out;
    }
  }

  private static long readFile(LoadState state, Path file, Column[] c, long globalRow)
      throws IOException {
    PairBuffer out = state.train;
    try (ParquetFileReader r = open(file)) {
      Column user = c[0];
      Column item = c[1];
      Column weight = c[2];
      Column time = c[3];
      List<String> names = new ArrayList<>(4);
      for (Column col : c) {
        if (col != null) {
          names.add(col.name());
        }
      }
      long row = 0;
      int[] uBuf = new int[BATCH];
      int[] iBuf = new int[BATCH];
      float[] wBuf = new float[BATCH];
      long[] tBuf = new long[BATCH];
      try (ColumnReaders readers =
          r.buildColumnReaders(ColumnProjection.columns(names.toArray(new String[0])))
              .batchSize(BATCH)
              .build()) {
        while (nextBatch(readers, file, row)) {
          int n = readers.getRecordCount();
          if (n > uBuf.length) {
            uBuf = new int[n];
            iBuf = new int[n];
            wBuf = new float[n];
            tBuf = new long[n];
          }
          ids(file, row, readers.getColumnReader(user.name()), user, n, state.users, uBuf);
          ids(file, row, readers.getColumnReader(item.name()), item, n, state.items, iBuf);
          if (weight != null) {
            weights(file, row, readers.getColumnReader(weight.name()), weight, n, wBuf);
          }
          if (time != null) {
            times(file, row, readers.getColumnReader(time.name()), time, n, tBuf);
          }
          for (int k = 0; k < n; k++) {
            out.add(
                uBuf[k],
                iBuf[k],
                weight == null ? 1f : wBuf[k],
                time == null ? 0L : tBuf[k],
                globalRow + row + k + 1);
          }
          row += n;
          state.lines += n;
          state.rows += n;
        }
      }
      return globalRow + row;
    } catch (InteractionFormatException | IllegalArgumentException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw unreadable(file, e);
    }
  }

  private static ParquetFileReader open(Path file) throws IOException {
    try {
      return ParquetFileReader.open(InputFile.of(file));
    } catch (IOException | RuntimeException e) {
      throw unreadable(file, e);
    }
  }

  private static boolean nextBatch(ColumnReaders readers, Path file, long row) {
    try {
      return readers.nextBatch();
    } catch (RuntimeException e) {
      throw InteractionFormatException.atLine(
          file, row + 1, "cannot decode the Parquet data from this row on (" + message(e) + ")");
    }
  }

  private static InteractionFormatException unreadable(Path file, Exception e) {
    return InteractionFormatException.ofFile(
        file, "is not a readable Parquet file (" + message(e) + ")");
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    }
    // hardwood prefixes "[name] "; the file is named already
    m = m.replaceFirst("^\\[[^\\]]*\\] ", "");
    int nl = m.indexOf('\n');
    return nl >= 0 ? m.substring(0, nl) : m;
  }

  /** user, item, weight (or null), timestamp (or null). */
  private static Column[] resolve(Path file, FileSchema schema, LoadOptions options) {
    String name = InteractionFormatException.displayName(file);
    List<ColumnSchema> cols = schema.getColumns();
    List<String> flat = new ArrayList<>();
    for (ColumnSchema c : cols) {
      flat.add(c.fieldPath().toString());
    }
    Column user =
        find(name, cols, flat, "user", options.userColumn(), DelimitedLayout.USER_NAMES, true);
    Column item =
        find(name, cols, flat, "item", options.itemColumn(), DelimitedLayout.ITEM_NAMES, true);
    Column weight =
        find(
            name,
            cols,
            flat,
            "weight",
            options.weightColumn(),
            DelimitedLayout.WEIGHT_NAMES,
            false);
    Column time =
        find(
            name,
            cols,
            flat,
            "timestamp",
            options.timestampColumn(),
            DelimitedLayout.TIMESTAMP_NAMES,
            false);
    List<String> used = new ArrayList<>();
    for (Column c : new Column[] {user, item, weight, time}) {
      if (c != null) {
        if (used.contains(c.name())) {
          throw InteractionFormatException.ofFile(
              file,
              "column \""
                  + c.name()
                  + "\" is named for two roles"
                  + " (user, item, weight and timestamp must be different columns)");
        }
        used.add(c.name());
      }
    }
    checkType(
        file,
        user,
        List.of(PhysicalType.INT32, PhysicalType.INT64, PhysicalType.BYTE_ARRAY),
        "INT32, INT64 or a string (BYTE_ARRAY)");
    checkType(
        file,
        item,
        List.of(PhysicalType.INT32, PhysicalType.INT64, PhysicalType.BYTE_ARRAY),
        "INT32, INT64 or a string (BYTE_ARRAY)");
    if (weight != null) {
      checkType(
          file,
          weight,
          List.of(PhysicalType.FLOAT, PhysicalType.DOUBLE, PhysicalType.INT32, PhysicalType.INT64),
          "FLOAT, DOUBLE, INT32 or INT64");
    }
    if (time != null) {
      checkType(file, time, List.of(PhysicalType.INT32, PhysicalType.INT64), "INT32 or INT64");
    }
    return new Column[] {user, item, weight, time};
  }

  private static void checkType(Path file, Column c, List<PhysicalType> allowed, String said) {
    if (!allowed.contains(c.type())) {
      throw InteractionFormatException.ofFile(
          file,
          "column \""
              + c.name()
              + "\" ("
              + c.role()
              + ") has type "
              + c.type()
              + "; a "
              + c.role()
              + " column must be "
              + said);
    }
  }

  private static Column find(
      String file,
      List<ColumnSchema> cols,
      List<String> flat,
      String role,
      String option,
      List<String> known,
      boolean required) {
    if (option != null && LoadOptions.NONE.equalsIgnoreCase(option)) {
      return null;
    }
    int found = -1;
    if (option != null && LoadOptions.isIndex(option)) {
      int idx = Integer.parseInt(option);
      if (idx >= cols.size()) {
        throw new IllegalArgumentException(
            role
                + "Column "
                + idx
                + " is out of range: "
                + file
                + " has "
                + cols.size()
                + " columns "
                + flat
                + " (0-based indices 0.."
                + (cols.size() - 1)
                + ")");
      }
      found = idx;
    } else {
      for (int k = 0; k < cols.size(); k++) {
        String h = cols.get(k).name();
        if (option != null
            ? h.equalsIgnoreCase(option)
            : known.contains(h.toLowerCase(Locale.ROOT))) {
          found = k;
          break;
        }
      }
    }
    if (found < 0) {
      if (option != null) {
        throw new IllegalArgumentException(
            role
                + "Column \""
                + option
                + "\" is not a column of "
                + file
                + "; its columns are "
                + flat);
      }
      if (required) {
        throw new IllegalArgumentException(
            file
                + " has no "
                + role
                + " column: names tried "
                + known
                + ", columns "
                + flat
                + "; name it with --columns");
      }
      return null;
    }
    ColumnSchema cs = cols.get(found);
    if (cs.maxRepetitionLevel() > 0 || cs.fieldPath().elements().size() > 1) {
      throw new IllegalArgumentException(
          file
              + ": column \""
              + cs.fieldPath()
              + "\" ("
              + role
              + ") is nested or repeated; interaction columns must be flat");
    }
    return new Column(role, cs.name(), cs.type());
  }

  private static void ids(
      Path file, long row, ColumnReader r, Column c, int n, IdMapper mapper, int[] out) {
    requireNoNulls(file, row, r, c, n);
    switch (c.type()) {
      case INT64 -> {
        long[] v = r.getLongs();
        for (int k = 0; k < n; k++) {
          long x = v[k];
          out[k] = x >= 0 ? mapper.getOrAdd(x) : mapper.getOrAdd(Long.toString(x));
        }
      }
      case INT32 -> {
        int[] v = r.getInts();
        for (int k = 0; k < n; k++) {
          int x = v[k];
          out[k] = x >= 0 ? mapper.getOrAdd(x) : mapper.getOrAdd(Integer.toString(x));
        }
      }
      default -> {
        byte[] b = r.getBinaryValues();
        int[] off = r.getBinaryOffsets();
        for (int k = 0; k < n; k++) {
          int s = off[k];
          int e = off[k + 1];
          long x = FieldParser.canonicalIntegerOrMinusOne(b, s, e);
          if (x >= 0) {
            out[k] = mapper.getOrAdd(x);
            continue;
          }
          if (s == e) {
            throw new InteractionFormatException(file, row + k + 1, c.field(), "is empty");
          }
          if (Utf8.firstMalformed(b, s, e) >= 0) {
            throw new InteractionFormatException(
                file, row + k + 1, c.field(), "is not valid UTF-8");
          }
          out[k] = mapper.getOrAdd(new String(b, s, e - s, StandardCharsets.UTF_8));
        }
      }
    }
  }

  private static void weights(Path file, long row, ColumnReader r, Column c, int n, float[] out) {
    requireNoNulls(file, row, r, c, n);
    switch (c.type()) {
      case FLOAT -> {
        float[] v = r.getFloats();
        for (int k = 0; k < n; k++) {
          out[k] = checkWeight(file, row, k, c, v[k], v[k]);
        }
      }
      case DOUBLE -> {
        double[] v = r.getDoubles();
        for (int k = 0; k < n; k++) {
          out[k] = checkWeight(file, row, k, c, (float) v[k], v[k]);
        }
      }
      case INT32 -> {
        int[] v = r.getInts();
        for (int k = 0; k < n; k++) {
          out[k] = checkWeight(file, row, k, c, v[k]);
        }
      }
      default -> {
        long[] v = r.getLongs();
        for (int k = 0; k < n; k++) {
          out[k] = checkWeight(file, row, k, c, v[k]);
        }
      }
    }
  }

  /**
   * The weight as a float, refused unless finite and &gt; 0 (as a float: a tiny double would round
   * to 0).
   */
  private static float checkWeight(Path file, long row, int k, Column c, float w, double shown) {
    if (!(w > 0f && w < Float.POSITIVE_INFINITY)) {
      throw new InteractionFormatException(
          file, row + k + 1, c.field(), "must be finite and > 0, got " + shown);
    }
    return w;
  }

  private static float checkWeight(Path file, long row, int k, Column c, long w) {
    if (w <= 0) {
      throw new InteractionFormatException(
          file, row + k + 1, c.field(), "must be finite and > 0, got " + w);
    }
    return w;
  }

  private static void times(Path file, long row, ColumnReader r, Column c, int n, long[] out) {
    requireNoNulls(file, row, r, c, n);
    if (c.type() == PhysicalType.INT32) {
      int[] v = r.getInts();
      for (int k = 0; k < n; k++) {
        out[k] = v[k];
      }
    } else {
      System.arraycopy(r.getLongs(), 0, out, 0, n);
    }
  }

  private static void requireNoNulls(Path file, long row, ColumnReader r, Column c, int n) {
    Validity v = r.getLeafValidity();
    if (v != null && v.hasNulls()) {
      int k = v.nextNull(0, n);
      if (k >= 0 && k < n) {
        throw new InteractionFormatException(file, row + k + 1, c.field(), "is null");
      }
    }
  }
}
