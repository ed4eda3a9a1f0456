package org.totalrecall.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Splits}: every split is the same for the same seed whatever the partitioning and order of
 * the rows, keeps every row exactly once, and follows its rule (per-user fraction, the latest row,
 * pums' items and fractions); another seed gives another split.
 */
class SplitsTest {
  static SparkSession spark;
  static Dataset<Row> data;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
    SplittableRandom rnd = new SplittableRandom(6);
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < 300; u++) {
      int n = 1 + rnd.nextInt(30);
      java.util.Set<Integer> items = new java.util.HashSet<>();
      while (items.size() < n) {
        items.add(rnd.nextInt(200));
      }
      for (int i : items) {
        rows.add(RowFactory.create(u, i, 1f, (long) rnd.nextInt(1_000_000)));
      }
    }
    data =
        spark
            .createDataFrame(
                rows,
                DataTypes.createStructType(
                    List.of(
                        DataTypes.createStructField("user", DataTypes.IntegerType, false),
                        DataTypes.createStructField("item", DataTypes.IntegerType, false),
                        DataTypes.createStructField("weight", DataTypes.FloatType, false),
                        DataTypes.createStructField("timestamp", DataTypes.LongType, false))))
            .cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static List<Row> sorted(Dataset<Row> d) {
    return d.orderBy("user", "item").collectAsList();
  }

  @Test
  void randomSplitIsReproducibleAndPerUser() {
    Dataset<Row> a = Splits.randomSplit(data, 0.2, 42);
    Dataset<Row> b = Splits.randomSplit(data.repartition(7).orderBy("timestamp"), 0.2, 42);
    assertEquals(sorted(a), sorted(b), "the same split for any partitioning and order");
    assertTrue(
        !sorted(a).equals(sorted(Splits.randomSplit(data, 0.2, 43))),
        "another seed, another split");
    assertEquals(data.count(), a.count());
    for (Row r :
        a.groupBy("user")
            .pivot("part", List.of("train", "test"))
            .count()
            .na()
            .fill(0)
            .collectAsList()) {
      long train = r.getLong(1);
      long test = r.getLong(2);
      long n = train + test;
      assertEquals(n >= 2 ? (long) Math.ceil(0.2 * n) : 0, test, "user " + r.get(0));
    }
  }

  @Test
  void leaveLastOutHoldsOutEachUsersLatestRow() {
    Dataset<Row> s = Splits.leaveLastOut(data);
    List<Row> tests = s.filter("part = 'test'").collectAsList();
    java.util.Map<Integer, Long> latest = new java.util.HashMap<>();
    for (Row r : data.collectAsList()) {
      latest.merge(r.getInt(0), r.getLong(3), Math::max);
    }
    for (Row t : tests) {
      assertEquals(
          latest.get(t.getInt(0)),
          t.getLong(3),
          "the held-out row of user " + t.get(0) + " is its latest");
    }
    long usersWithTwo = data.groupBy("user").count().filter("count >= 2").count();
    assertEquals(usersWithTwo, tests.size());
  }

  @Test
  void pumsHoldsOutAFractionOfThePopularItemsUsers() {
    Dataset<Row> s = Splits.pums(data, 20, 0.1, 42);
    assertEquals(sorted(s), sorted(Splits.pums(data.repartition(5), 20, 0.1, 42)));
    List<Row> perItem =
        s.groupBy("item")
            .pivot("part", List.of("train", "validation", "test"))
            .count()
            .na()
            .fill(0)
            .collectAsList();
    int validationItems = 0;
    int testItems = 0;
    for (Row r : perItem) {
      long n = r.getLong(1) + r.getLong(2) + r.getLong(3);
      long held = r.getLong(2) + r.getLong(3);
      assertEquals(n >= 20 ? (long) Math.ceil(0.1 * n) : 0, held, "item " + r.get(0));
      assertTrue(r.getLong(2) == 0 || r.getLong(3) == 0, "an item is validation or test, not both");
      validationItems += r.getLong(2) > 0 ? 1 : 0;
      testItems += r.getLong(3) > 0 ? 1 : 0;
    }
    assertTrue(validationItems > 0 && testItems > 0, validationItems + " / " + testItems);
  }
}
