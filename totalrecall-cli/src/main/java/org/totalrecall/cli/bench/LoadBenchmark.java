package org.totalrecall.cli.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.hadoop.ParquetWriter;
import org.totalrecall.cli.io.ParquetTables;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.LoadOptions;
import org.totalrecall.data.LoadReport;

/**
 * Load time of one seeded synthetic interaction log written three ways: plain CSV, gzip CSV and
 * Parquet (snappy; int64 ids, float weight, int64 timestamp). Each file is loaded {@code repeats}
 * times, the formats interleaved (CSV, gzip, Parquet, CSV, ...) so drift hits them alike; the
 * median of each is reported with the ratios, and the three load reports must agree on every count
 * (rows, duplicates, users, items, interactions) or the benchmark fails.
 *
 * <p>The log: users uniform over {@code users}, items Zipf(1.0) over {@code items} by inverse
 * transform of the harmonic CDF, weights 1..5, timestamps increasing with random gaps.
 */
public final class LoadBenchmark {
  private LoadBenchmark() {}

  /**
   * Writes the three files into {@code dir} (reused if present with the same parameters) and times
   * their loads.
   */
  public static Map<String, Object> run(
      Path dir, long rows, int users, int items, int repeats, long seed) throws IOException {
    if (rows <= 0 || users <= 0 || items <= 0 || repeats <= 0) {
      throw new IllegalArgumentException("rows, users, items and repeats must be > 0");
    }
    Files.createDirectories(dir);
    String stem = "log-" + rows + "-" + users + "-" + items + "-" + seed;
    Path csv = dir.resolve(stem + ".csv");
    Path gz = dir.resolve(stem + ".csv.gz");
    Path parquet = dir.resolve(stem + ".parquet");
    long w0 = System.nanoTime();
    if (!Files.exists(csv) || !Files.exists(gz) || !Files.exists(parquet)) {
      write(csv, gz, parquet, rows, users, items, seed);
    }
    double writeSeconds = (System.nanoTime() - w0) / 1e9;
    Path[] files = {csv, gz, parquet};
    DataFormat[] formats = {DataFormat.DELIMITED, DataFormat.DELIMITED, DataFormat.PARQUET};
    String[] names = {"csv", "csvGzip", "parquet"};
    double[][] seconds = new double[3][repeats];
    LoadReport[] reports = new LoadReport[3];
    for (int r = 0; r < repeats; r++) {
      for (int f = 0; f < 3; f++) {
        System.gc();
        long t0 = System.nanoTime();
        Dataset d = DataLoader.load(files[f], formats[f], LoadOptions.defaults());
        seconds[f][r] = (System.nanoTime() - t0) / 1e9;
        reports[f] = d.report();
      }
    }
    for (int f = 1; f < 3; f++) {
      requireSameCounts(reports[0], reports[f], names[f]);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", rows);
    out.put("users", users);
    out.put("items", items);
    out.put("repeats", repeats);
    out.put("writeSeconds", writeSeconds);
    double[] median = new double[3];
    for (int f = 0; f < 3; f++) {
      double[] s = seconds[f].clone();
      Arrays.sort(s);
      median[f] = s[repeats / 2];
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", files[f].toString());
      m.put("bytes", Files.size(files[f]));
      m.put("medianSeconds", median[f]);
      m.put("seconds", seconds[f]);
      m.put("rowsPerSecond", rows / median[f]);
      out.put(names[f], m);
    }
    out.put("parquetOverCsv", median[2] / median[0]);
    out.put("parquetOverCsvGzip", median[2] / median[1]);
    out.put("report", reports[2].toMap());
    return out;
  }

  private static void requireSameCounts(LoadReport a, LoadReport b, String name) {
    long[] x = {a.rows(), a.duplicates(), a.numUsers(), a.numItems(), a.trainInteractions()};
    long[] y = {b.rows(), b.duplicates(), b.numUsers(), b.numItems(), b.trainInteractions()};
    if (!Arrays.equals(x, y)) {
      throw new IllegalStateException(
          "the "
              + name
              + " load differs from the CSV load: rows, duplicates, users, items,"
              + " interactions "
              + Arrays.toString(y)
              + " against "
              + Arrays.toString(x));
    }
  }

  private static void write(
      Path csv, Path gz, Path parquet, long rows, int users, int items, long seed)
      throws IOException {
    double[] cdf = new double[items];
    double sum = 0;
    for (int i = 0; i < items; i++) {
      sum += 1.0 / (i + 1);
      cdf[i] = sum;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] header = "user,item,weight,timestamp\n".getBytes(StandardCharsets.US_ASCII);
    ParquetTables.InteractionRow row = new ParquetTables.InteractionRow();
    StringBuilder line = new StringBuilder(64);
    List<Path> tmp = new ArrayList<>();
    for (Path p : new Path[] {csv, gz, parquet}) {
      tmp.add(p.resolveSibling(p.getFileName() + ".tmp"));
    }
    try (OutputStream plain = new BufferedOutputStream(Files.newOutputStream(tmp.get(0)), 1 << 20);
        OutputStream zipped =
            new BufferedOutputStream(
                new GZIPOutputStream(Files.newOutputStream(tmp.get(1)), 1 << 16), 1 << 20);
        ParquetWriter<ParquetTables.InteractionRow> pq =
            ParquetTables.open(
                tmp.get(2),
                ParquetTables.interactions(),
                Map.of(
                    "totalrecall.synthetic",
                    "rows=" + rows + ",users=" + users + ",items=" + items + ",seed=" + seed),
                ParquetTables.InteractionRow::write)) {
      plain.write(header);
      zipped.write(header);
      long time = 1_600_000_000L;
      for (long r = 0; r < rows; r++) {
        row.user = rng.nextInt(users);
        int k = Arrays.binarySearch(cdf, rng.nextDouble() * sum);
        row.item = k >= 0 ? k : Math.min(items - 1, -k - 1);
        row.weight = 1 + rng.nextInt(5);
        time += rng.nextInt(3);
        row.timestamp = time;
        pq.write(row);
        line.setLength(0);
        line.append(row.user)
            .append(',')
            .append(row.item)
            .append(',')
            .append((int) row.weight)
            .append(',')
            .append(row.timestamp)
            .append('\n');
        byte[] b = line.toString().getBytes(StandardCharsets.US_ASCII);
        plain.write(b);
        zipped.write(b);
      }
    }
    Files.move(tmp.get(0), csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp.get(1), gz, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp.get(2), parquet, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
