package org.totalrecall.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.LoadOptions;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Recommender;

/**
 * The spark-submit entry point end to end in local mode: the jobs' files and counts, and usage
 * errors.
 */
class SparkMainTest {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = System.out;
    PrintStream e = System.err;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = SparkMain.run(args);
    } finally {
      System.setOut(o);
      System.setErr(e);
    }
    return new String[] {
      Integer.toString(code),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  void syntheticModelThenRecommendAllGivesEveryUsersExactTopK() throws Exception {
    Path model = dir.resolve("syn.trm");
    String[] r =
        run("synthetic-model", "--size", "5000x800", "--dim", "16", "--out", model.toString());
    assertEquals("0", r[0], r[2]);
    Path out = dir.resolve("recs");
    r =
        run(
            "recommend-all",
            "--model",
            model.toString(),
            "--k",
            "5",
            "--out",
            out.toString(),
            "--json");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("\"rows\": 25000"), r[1]);
    FactorModel m = ModelFormat.read(model);
    Recommender rec = new Recommender(m, 1);
    float[][] best = new float[m.numUsers()][];
    rec.itemRetriever()
        .forEachTopK(
            m.retrievalUsers(),
            0,
            m.numUsers(),
            5,
            null,
            (q, idx, sc, n) -> best[q] = new float[] {idx[0], sc[0]});
    List<Row> rows = spark.read().parquet(out.toString()).filter("rank = 1").collectAsList();
    assertEquals(5000, rows.size());
    for (Row row : rows) {
      int u = Integer.parseInt(row.getString(0));
      assertEquals((int) best[u][0], Integer.parseInt(row.getString(1)));
      assertEquals(best[u][1], row.getFloat(2));
    }
    r =
        run(
            "audience-all",
            "--model",
            model.toString(),
            "--per-user",
            "3",
            "--per-item",
            "20",
            "--out",
            dir.resolve("aud").toString());
    assertEquals("0", r[0], r[2]);
    long maxPerUser =
        spark
            .read()
            .parquet(dir.resolve("aud").toString())
            .groupBy("user")
            .count()
            .agg(org.apache.spark.sql.functions.max("count"))
            .first()
            .getLong(0);
    assertTrue(maxPerUser <= 3, "per-user cap: " + maxPerUser);
  }

  @Test
  void prepareWritesTheCountsOfTheCli() throws Exception {
    Path csv = Files.writeString(dir.resolve("log.csv"), "user,item\na,1\nb,2\na,1\nc,2\n");
    String[] r =
        run("prepare", "--data", csv.toString(), "--out", dir.resolve("prep").toString(), "--json");
    assertEquals("0", r[0], r[2]);
    var cli = DataLoader.load(csv, DataFormat.DELIMITED, LoadOptions.defaults());
    assertTrue(
        r[1].contains("\"rows\": " + cli.report().rows())
            && r[1].contains("\"duplicates\": " + cli.report().duplicates())
            && r[1].contains("\"interactions\": " + cli.train().size()),
        r[1]);
    assertEquals(cli.users().ids(), Files.readAllLines(dir.resolve("prep/users.txt")));
    assertEquals(3, spark.read().parquet(dir.resolve("prep/interactions").toString()).count());
  }

  @Test
  void prepareThenTrainOnThePreparedRowsWritesAModelTheCoreReads() throws Exception {
    StringBuilder log = new StringBuilder("user,item\n");
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(4);
    for (int r = 0; r < 3000; r++) {
      log.append("u").append(rnd.nextInt(200)).append(',').append(rnd.nextInt(90)).append('\n');
    }
    Path csv = Files.writeString(dir.resolve("chain.csv"), log.toString());
    Path prep = dir.resolve("chain-prep");
    String[] r =
        run(
            "prepare",
            "--data",
            csv.toString(),
            "--split",
            "random-split",
            "--out",
            prep.toString());
    assertEquals("0", r[0], r[2]);
    long trainRows =
        spark
            .read()
            .parquet(prep.resolve("interactions").toString())
            .filter("part = 'train'")
            .count();
    for (String objective : new String[] {"ials", "icd", "bi-infonce"}) {
      Path model = dir.resolve("chain-" + objective + ".trm");
      r =
          run(
              "train",
              "--prepared",
              prep.toString(),
              "--objective",
              objective,
              "--dim",
              "8",
              "--epochs",
              "2",
              "--model",
              model.toString(),
              "--json");
      assertEquals("0", r[0], r[2]);
      FactorModel m = ModelFormat.read(model);
      assertEquals(Files.readAllLines(prep.resolve("users.txt")), m.userIds().ids());
      assertEquals(trainRows, m.seen().size(), "trained on the train rows only");
      assertEquals(
          objective.equals("bi-infonce") ? "spark-model-averaging" : "spark-ials",
          m.metadata().get("trainer"),
          objective);
      if (objective.equals("icd")) {
        assertTrue(
            String.valueOf(m.metadata().get("ials")).contains("CD"), m.metadata().toString());
      }
    }
    r = run("train", "--model", dir.resolve("x.trm").toString());
    assertEquals("64", r[0]);
    assertTrue(r[2].contains("give --data or --prepared"), r[2]);
  }

  @Test
  void usageErrorsAreExit64WithAMessage() {
    String[] r = run("recommend-all", "--model", "x.trm", "--out", "y", "--k", "0");
    assertEquals("64", r[0]);
    assertTrue(r[2].contains("--k must be > 0"), r[2]);
    r = run("prepare", "--data", "x.csv", "--out", "y", "--format", "orc");
    assertEquals("64", r[0]);
    assertTrue(r[2].contains("--format must be csv, tsv, parquet or json"), r[2]);
    r = run("recommend-all", "--model", "x.trm", "--out", "y", "--ef", "10");
    assertEquals("64", r[0]);
    assertTrue(r[2].contains("--ef applies to an index search"), r[2]);
    r = run("audience-all", "--model", "x.trm", "--out", "y", "--index", "/no/such/dir");
    assertEquals("64", r[0]);
    assertTrue(r[2].contains("no such directory"), r[2]);
  }
}
