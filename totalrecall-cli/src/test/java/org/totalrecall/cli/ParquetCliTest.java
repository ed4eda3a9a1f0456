package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hardwood.InputFile;
import dev.hardwood.reader.ColumnReader;
import dev.hardwood.reader.ColumnReaders;
import dev.hardwood.reader.ParquetFileReader;
import dev.hardwood.schema.ColumnProjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.SyntheticData;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;

/**
 * Parquet through the CLI: a log read as Parquet trains the same model as the same rows in CSV;
 * {@code recommend-all} and {@code audience-all} write the same rows as Parquet as they do as CSV;
 * {@code export --format parquet} writes the model's vectors as list columns with the ids; {@code
 * bench load} runs and finds equal counts; bad values are usage errors.
 */
class ParquetCliTest {
  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void train() throws IOException {
    Path ncf = dir.resolve("syn-ncf");
    NcfWriter.write(
        SyntheticData.generate(new SyntheticData.Spec(200, 150, 5, 10, 0.9, 5L)),
        ncf,
        "syn",
        99,
        3L);
    model = dir.resolve("syn.trm");
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--dim",
            "8",
            "--epochs",
            "2",
            "--threads",
            "1",
            "--seed",
            "1",
            "--model",
            model.toString());
    assertEquals(0, r.exitCode(), r.toString());
  }

  /** The rows of a Parquet file's columns as strings, comma-joined, via hardwood. */
  static List<String> rows(Path file, String... columns) throws IOException {
    List<String> out = new ArrayList<>();
    try (ParquetFileReader r = ParquetFileReader.open(InputFile.of(file));
        ColumnReaders cr = r.buildColumnReaders(ColumnProjection.columns(columns)).build()) {
      while (cr.nextBatch()) {
        int n = cr.getRecordCount();
        String[][] cols = new String[columns.length][n];
        for (int c = 0; c < columns.length; c++) {
          ColumnReader col = cr.getColumnReader(columns[c]);
          for (int k = 0; k < n; k++) {
            cols[c][k] =
                switch (col.getColumnSchema().type()) {
                  case BYTE_ARRAY -> {
                    int[] off = col.getBinaryOffsets();
                    yield new String(
                        col.getBinaryValues(), off[k], off[k + 1] - off[k], StandardCharsets.UTF_8);
                  }
                  case FLOAT -> Float.toString(col.getFloats()[k]);
                  case INT32 -> Integer.toString(col.getInts()[k]);
                  default -> Long.toString(col.getLongs()[k]);
                };
          }
        }
        for (int k = 0; k < n; k++) {
          StringBuilder b = new StringBuilder();
          for (int c = 0; c < columns.length; c++) {
            b.append(c > 0 ? "," : "").append(cols[c][k]);
          }
          out.add(b.toString());
        }
      }
    }
    return out;
  }

  @Test
  void recommendAllAndAudienceAllWriteTheCsvRowsAsParquet() throws IOException {
    for (String[] cmd :
        new String[][] {
          {"recommend-all", "--k", "5", "user", "item"},
          {"audience-all", "--per-item", "7", "item", "user"},
        }) {
      Path csv = dir.resolve(cmd[0] + ".csv");
      Path pq = dir.resolve(cmd[0] + ".parquet");
      for (Path out : new Path[] {csv, pq}) {
        CliRunner.Result r =
            CliRunner.run(
                cmd[0],
                "--model",
                model.toString(),
                cmd[1],
                cmd[2],
                "--out",
                out.toString(),
                "--threads",
                "1",
                "--json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(out.equals(pq) ? "parquet" : "csv", r.json().get("format").asText());
      }
      List<String> expected = Files.readAllLines(csv);
      assertEquals(cmd[3] + "," + cmd[4] + ",score,rank", expected.get(0));
      List<String> got = rows(pq, cmd[3], cmd[4], "score", "rank");
      assertEquals(expected.subList(1, expected.size()), got);
      Path forced = dir.resolve(cmd[0] + "-forced.out");
      assertEquals(
          0,
          CliRunner.run(
                  cmd[0],
                  "--model",
                  model.toString(),
                  "--out",
                  forced.toString(),
                  "--format",
                  "parquet")
              .exitCode());
      assertEquals("PAR1", new String(Files.readAllBytes(forced), 0, 4, StandardCharsets.US_ASCII));
      CliRunner.Result bad =
          CliRunner.run(
              cmd[0], "--model", model.toString(), "--out", forced.toString(), "--format", "orc");
      assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.toString());
      assertTrue(bad.err().contains("--format must be csv or parquet, got 'orc'"), bad.toString());
    }
  }

  @Test
  void exportParquetHoldsTheIdsAndTheRetrievalVectors() throws IOException {
    Path out = dir.resolve("export-parquet");
    CliRunner.Result r =
        CliRunner.run(
            "export",
            "--model",
            model.toString(),
            "--out",
            out.toString(),
            "--format",
            "parquet",
            "--json");
    assertEquals(0, r.exitCode(), r.toString());
    FactorModel m = ModelFormat.read(model);
    for (boolean users : new boolean[] {true, false}) {
      Path file = out.resolve(users ? "users.parquet" : "items.parquet");
      var table = users ? m.retrievalUsers() : m.retrievalItems();
      var ids = users ? m.userIds() : m.itemIds();
      List<String> idCol = rows(file, "id");
      assertEquals(table.rows(), idCol.size());
      float[] flat = new float[table.rows() * table.dim()];
      int at = 0;
      try (ParquetFileReader pr = ParquetFileReader.open(InputFile.of(file));
          ColumnReaders cr = pr.buildColumnReaders(ColumnProjection.columns("vector")).build()) {
        while (cr.nextBatch()) {
          ColumnReader v = cr.getColumnReader(0);
          int[] offsets = v.getLayerOffsets(0);
          int values = offsets[cr.getRecordCount()];
          System.arraycopy(v.getFloats(), 0, flat, at, values);
          at += values;
        }
      }
      assertEquals(flat.length, at);
      assertArrayEquals(table.data(), flat);
      for (int k = 0; k < table.rows(); k++) {
        assertEquals(ids.idOf(k), idCol.get(k));
      }
    }
  }

  @Test
  void aParquetLogTrainsTheSameModelAsTheSameRowsInCsv() throws IOException {
    Path recs = dir.resolve("log.parquet");
    Path csv = dir.resolve("log.csv");
    assertEquals(
        0,
        CliRunner.run(
                "recommend-all", "--model", model.toString(), "--k", "6", "--out", recs.toString())
            .exitCode());
    assertEquals(
        0,
        CliRunner.run(
                "recommend-all", "--model", model.toString(), "--k", "6", "--out", csv.toString())
            .exitCode());
    Path a = dir.resolve("from-parquet.trm");
    Path b = dir.resolve("from-csv.trm");
    for (Path[] p : new Path[][] {{recs, a}, {csv, b}}) {
      CliRunner.Result r =
          CliRunner.run(
              "train",
              "--data",
              p[0].toString(),
              "--columns",
              "user,item,rank",
              "--dim",
              "4",
              "--epochs",
              "1",
              "--threads",
              "1",
              "--seed",
              "3",
              "--model",
              p[1].toString(),
              "--objective",
              "bpr");
      assertEquals(0, r.exitCode(), r.toString());
    }
    FactorModel fromParquet = ModelFormat.read(a);
    FactorModel fromCsv = ModelFormat.read(b);
    assertArrayEquals(fromCsv.userTable().data(), fromParquet.userTable().data());
    assertArrayEquals(fromCsv.itemTable().data(), fromParquet.itemTable().data());
    CliRunner.Result missing =
        CliRunner.run(
            "train",
            "--data",
            recs.toString(),
            "--columns",
            "user,sku",
            "--model",
            dir.resolve("x.trm").toString());
    assertEquals(ExitCodes.DATA, missing.exitCode(), missing.toString());
    assertTrue(
        missing
            .err()
            .contains(
                "itemColumn \"sku\" is not a column of log.parquet; its columns are"
                    + " [user, item, score, rank]"),
        missing.toString());
    Path truncated = dir.resolve("cut.parquet");
    byte[] bytes = Files.readAllBytes(recs);
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 9));
    CliRunner.Result cut =
        CliRunner.run(
            "train", "--data", truncated.toString(), "--model", dir.resolve("x.trm").toString());
    assertEquals(ExitCodes.DATA, cut.exitCode(), cut.toString());
    assertEquals(1, cut.err().strip().lines().count(), cut.toString());
  }

  @Test
  void benchLoadFindsTheSameCountsInAllThreeFormats() {
    CliRunner.Result r =
        CliRunner.run(
            "bench",
            "load",
            "--dir",
            dir.resolve("load").toString(),
            "--rows",
            "20000",
            "--users",
            "500",
            "--items",
            "300",
            "--repeats",
            "1");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode doc = r.json();
    assertEquals(20000, doc.get("report").get("rows").asLong());
    assertTrue(doc.get("report").get("duplicates").asLong() > 0, doc.toString());
    assertTrue(doc.get("parquet").get("medianSeconds").asDouble() > 0);
  }
}
