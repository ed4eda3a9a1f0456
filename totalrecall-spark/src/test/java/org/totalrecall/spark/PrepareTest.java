package org.totalrecall.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.DuplicatePolicy;
import org.totalrecall.data.Interactions;
import org.totalrecall.data.LoadOptions;

/**
 * {@link Prepare} on a local SparkSession against the CLI's loader on the same CSV file: the same
 * counts, the same id order and the same interactions under every duplicate policy; bad values are
 * errors naming the column.
 */
class PrepareTest {
  static SparkSession spark;
  @TempDir static Path dir;
  static Path csv;

  @BeforeAll
  static void start() throws IOException {
    spark = LocalSpark.start();
    SplittableRandom rnd = new SplittableRandom(3);
    StringBuilder s = new StringBuilder("user,item,weight,timestamp\n");
    for (int r = 0; r < 3000; r++) {
      int u = rnd.nextInt(120);
      String user = u % 3 == 0 ? "u" + u : Integer.toString(u);
      String item = Integer.toString(rnd.nextInt(80));
      s.append(user)
          .append(',')
          .append(item)
          .append(',')
          .append(1 + rnd.nextInt(5))
          .append(',')
          .append(1_000 + rnd.nextInt(100_000))
          .append('\n');
    }
    csv = Files.writeString(dir.resolve("log.csv"), s.toString());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> read() {
    return spark.read().option("header", "true").csv(csv.toString());
  }

  @Test
  void sameCountsIdsAndInteractionsAsTheCliUnderEveryPolicy() throws IOException {
    for (DuplicatePolicy policy :
        List.of(DuplicatePolicy.SUM, DuplicatePolicy.MAX, DuplicatePolicy.FIRST)) {
      var cli =
          DataLoader.load(
              csv, DataFormat.DELIMITED, LoadOptions.defaults().withDuplicatePolicy(policy));
      Prepare.Prepared p =
          Prepare.prepare(
              read(), new Prepare.Options("user", "item", "weight", "timestamp", policy));
      assertEquals(cli.report().rows(), p.report().rows(), policy.name());
      assertEquals(cli.report().duplicates(), p.report().duplicates(), policy.name());
      assertEquals(cli.numUsers(), p.report().numUsers());
      assertEquals(cli.numItems(), p.report().numItems());
      assertEquals(cli.train().size(), p.report().interactions());
      assertEquals(cli.users().ids(), p.users().ids(), "user order (mixed ids: first appearance)");
      assertEquals(cli.items().ids(), p.items().ids(), "item order (integer ids: numeric)");
      Map<Long, float[]> got = new HashMap<>();
      for (Row r : p.interactions().collectAsList()) {
        got.put(
            ((long) r.getInt(0) << 32) | r.getInt(1), new float[] {r.getFloat(2), r.getLong(3)});
      }
      Interactions t = cli.train();
      assertEquals(t.size(), got.size());
      for (int u = 0; u < t.numRows(); u++) {
        for (int k = t.start(u); k < t.end(u); k++) {
          float[] g = got.get(((long) u << 32) | t.cols()[k]);
          assertEquals(t.weights()[k], g[0], 1e-4, policy + " weight of " + u + "," + t.cols()[k]);
          assertEquals(
              t.times()[k], (long) g[1], policy + " timestamp of " + u + "," + t.cols()[k]);
        }
      }
    }
  }

  @Test
  void rejectAndBadValuesAreErrorsNamingTheColumn() throws IOException {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Prepare.prepare(
                    read(),
                    new Prepare.Options(
                        "user", "item", "weight", "timestamp", DuplicatePolicy.REJECT)));
    assertTrue(
        e.getMessage().contains("repeats") && e.getMessage().contains("REJECT"), e.getMessage());
    Path bad = Files.writeString(dir.resolve("bad.csv"), "user,item,weight\na,1,2\nb,2,-1\nc,,1\n");
    Dataset<Row> log = spark.read().option("header", "true").csv(bad.toString());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Prepare.prepare(
                    log, new Prepare.Options("user", "item", null, null, DuplicatePolicy.SUM)));
    assertEquals(
        "column \"item\" is null or empty in 1 row(s); the first: user \"c\", item \"null\", weight 1.0,"
            + " timestamp 0",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Prepare.prepare(
                    log.filter("item is not null"),
                    new Prepare.Options("user", "item", "weight", null, DuplicatePolicy.SUM)));
    assertTrue(
        e.getMessage().startsWith("column \"weight\" is not a finite number > 0 in 1 row(s)"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Prepare.prepare(log, Prepare.Options.of("user", "sku")));
    assertEquals("no column \"sku\"; the columns are [user, item, weight]", e.getMessage());
  }

  @Test
  void knownIdsKeepTheirOrderAndUnknownOnesFollowThePolicy() throws IOException {
    Path old = Files.writeString(dir.resolve("old.csv"), "user,item\nb,2\na,1\n");
    Prepare.Prepared first =
        Prepare.prepare(
            spark.read().option("header", "true").csv(old.toString()),
            Prepare.Options.of("user", "item"));
    assertEquals(List.of("b", "a"), first.users().ids());
    Path fresh = Files.writeString(dir.resolve("new.csv"), "user,item\nc,1\na,3\na,1\nb,2\n");
    Dataset<Row> log = spark.read().option("header", "true").csv(fresh.toString());
    Prepare.Prepared keep =
        Prepare.prepare(
            log,
            Prepare.Options.of("user", "item")
                .withKnownIds(
                    first.users(), first.items(), org.totalrecall.data.UnknownIdPolicy.KEEP));
    assertEquals(List.of("b", "a", "c"), keep.users().ids(), "known order kept, new ids appended");
    assertEquals(
        List.of("1", "2", "3"), keep.items().ids(), "integer ids: numeric order, then the new one");
    assertEquals(4, keep.report().interactions());
    Prepare.Prepared drop =
        Prepare.prepare(
            log,
            Prepare.Options.of("user", "item")
                .withKnownIds(
                    first.users(), first.items(), org.totalrecall.data.UnknownIdPolicy.DROP));
    assertEquals(List.of("b", "a"), drop.users().ids());
    assertEquals(2, drop.report().interactions(), "(a,1) and (b,2) stay");
    assertEquals(2, drop.report().unknownIds(), "(c,1) and (a,3) are dropped and counted");
    assertEquals(0, drop.report().duplicates());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Prepare.prepare(
                    log,
                    Prepare.Options.of("user", "item")
                        .withKnownIds(
                            first.users(),
                            first.items(),
                            org.totalrecall.data.UnknownIdPolicy.REJECT)));
    assertEquals(
        "column \"user\" has 1 id(s) outside the known index, e.g. \"c\" (unknown-id policy REJECT)",
        e.getMessage());
  }
}
