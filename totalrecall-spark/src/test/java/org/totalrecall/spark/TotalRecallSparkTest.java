package org.totalrecall.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.totalrecall.data.LoadOptions;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;
import org.totalrecall.train.IalsSpec;
import org.totalrecall.train.ModelSpec;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.Trainer;

/**
 * The Java API end to end: a log read by Spark, prepared and trained with iALS, gives the model the
 * CLI trains on the same file (same ids, same tables bit for bit, same seen items); and the model
 * it writes feeds the retrieval calls.
 */
class TotalRecallSparkTest {
  static SparkSession spark;
  @TempDir static Path dir;
  static Path csv;

  @BeforeAll
  static void start() throws IOException {
    spark = LocalSpark.start();
    SplittableRandom rnd = new SplittableRandom(5);
    StringBuilder s = new StringBuilder("user,item,weight\n");
    for (int r = 0; r < 4000; r++) {
      int u = rnd.nextInt(150);
      s.append("u")
          .append(u)
          .append(',')
          .append((u * 3 + rnd.nextInt(30)) % 90)
          .append(',')
          .append(1 + rnd.nextInt(3))
          .append('\n');
    }
    csv = Files.writeString(dir.resolve("log.csv"), s.toString());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void ialsOnADataFrameEqualsTheCliOnTheSameFile() throws IOException {
    Dataset<Row> log = spark.read().option("header", "true").csv(csv.toString());
    TotalRecallSpark.Ials method = TotalRecallSpark.ials(8, 3);
    FactorModel spark =
        TotalRecallSpark.train(
            log, new Prepare.Options("user", "item", "weight", null, DuplicatePolicy.SUM), method);

    var cli = DataLoader.load(csv, DataFormat.DELIMITED, LoadOptions.defaults());
    IalsSpec spec = IalsSpec.defaults();
    TrainConfig config =
        TrainConfig.defaults()
            .withModel(new ModelSpec(8, Scorer.Kind.DOT, 1f, 0.1f))
            .withMethod(spec, spec.defaultSamplerSpec())
            .withEpochs(3)
            .withL2(0.01f)
            .withThreads(2)
            .withSeed(1);
    FactorModel single = Trainer.train(cli.train(), null, null, config, null, null).model();

    assertEquals(cli.users().ids(), spark.userIds().ids());
    assertEquals(cli.items().ids(), spark.itemIds().ids());
    assertArrayEquals(single.userTable().data(), spark.userTable().data());
    assertArrayEquals(single.itemTable().data(), spark.itemTable().data());
    assertArrayEquals(cli.train().rowStarts(), spark.seen().rowStarts());
    assertArrayEquals(cli.train().cols(), spark.seen().cols());
    assertEquals("spark-ials", spark.metadata().get("trainer"));
  }

  @Test
  void theWrittenModelFeedsRecommendAllAndAudienceAll() throws IOException {
    Dataset<Row> log = spark.read().option("header", "true").csv(csv.toString());
    FactorModel m =
        TotalRecallSpark.train(
            log, Prepare.Options.of("user", "item"), TotalRecallSpark.ials(8, 2));
    Path file = dir.resolve("m.trm");
    ModelFormat.write(m, file);

    List<Row> recs = TotalRecallSpark.recommendAll(spark, file, 5).collectAsList();
    Map<String, Integer> perUser = new HashMap<>();
    for (Row r : recs) {
      perUser.merge(r.getString(0), 1, Integer::sum);
    }
    assertEquals(m.numUsers(), perUser.size());
    assertTrue(perUser.values().stream().allMatch(n -> n == 5), perUser.toString());

    List<Row> audiences = TotalRecallSpark.audienceAll(spark, file, 2, 4).collectAsList();
    Map<String, Integer> inAudiences = new HashMap<>();
    Map<String, Integer> audienceSize = new HashMap<>();
    for (Row r : audiences) {
      audienceSize.merge(r.getString(0), 1, Integer::sum);
      inAudiences.merge(r.getString(1), 1, Integer::sum);
    }
    assertTrue(inAudiences.values().stream().allMatch(n -> n <= 2), "per-user cap");
    assertTrue(audienceSize.values().stream().allMatch(n -> n <= 4), "per-item size");
    Map<String, Integer> inTopTwo = new HashMap<>();
    for (Row r : TotalRecallSpark.recommendAll(spark, file, 2).collectAsList()) {
      inTopTwo.merge(r.getString(1), 1, Integer::sum);
    }
    long expected = inTopTwo.values().stream().mapToLong(n -> Math.min(n, 4)).sum();
    assertEquals(expected, audiences.size(), "every item keeps min(its top-2 appearances, 4)");
  }

  @Test
  void methodsRefuseBadSettings() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new TotalRecallSpark.Averaged(TrainConfig.defaults(), -1));
  }
}
