package org.totalrecall.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.ann.HnswIndex;
import org.totalrecall.ann.HnswRetriever;
import org.totalrecall.ann.IndexDirectory;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;
import org.totalrecall.retrieval.AudienceInversion;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.retrieval.Retriever;

/**
 * The Spark jobs of {@link BatchRetrieval} against the single-machine code the CLI runs, on a
 * seeded model of 9,000 users (three blocks) and 700 items: recommend-all is every user's exact
 * top-k, audience-all is {@link AudienceInversion}'s output row for row, and no user is in more
 * than K audiences.
 */
class BatchRetrievalTest {
  static SparkSession spark;
  @TempDir static Path dir;
  static Path modelFile;
  static FactorModel model;

  @BeforeAll
  static void start() throws IOException {
    spark = LocalSpark.start();
    SplittableRandom rnd = new SplittableRandom(5);
    int users = 9000;
    int items = 700;
    int dim = 16;
    float[] u = new float[users * dim];
    float[] v = new float[items * dim];
    for (int k = 0; k < u.length; k++) {
      u[k] = (float) rnd.nextGaussian();
    }
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) rnd.nextGaussian();
    }
    int n = 40_000;
    int[] rows = new int[n];
    int[] cols = new int[n];
    for (int k = 0; k < n; k++) {
      rows[k] = rnd.nextInt(users);
      cols[k] = rnd.nextInt(items);
    }
    Interactions seen = Interactions.fromPairs(users, items, rows, cols, null, null, n);
    List<String> userIds = new ArrayList<>();
    for (int k = 0; k < users; k++) {
      userIds.add("u" + k);
    }
    List<String> itemIds = new ArrayList<>();
    for (int k = 0; k < items; k++) {
      itemIds.add("i" + k);
    }
    model =
        new FactorModel(
            new EmbeddingTable(users, dim, u),
            new EmbeddingTable(items, dim, v),
            IdIndex.of(userIds),
            IdIndex.of(itemIds),
            Scorer.cosine(0.125f),
            Map.of(),
            seen);
    modelFile = dir.resolve("spark-test.trm");
    ModelFormat.write(model, modelFile);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Every user's top-k through {@code items} on one machine, as "user,item,φ·score,rank". */
  private static TreeSet<String> singleMachine(Retriever items, float phi, int k) {
    TreeSet<String> expected = new TreeSet<>();
    items.forEachTopK(
        model.retrievalUsers(),
        0,
        model.numUsers(),
        k,
        model.seen(),
        (q, idx, sc, c) -> {
          synchronized (expected) {
            for (int r = 0; r < c; r++) {
              expected.add("u" + q + "," + "i" + idx[r] + "," + (phi * sc[r]) + "," + (r + 1));
            }
          }
        });
    return expected;
  }

  private static TreeSet<String> rows(List<Row> got) {
    TreeSet<String> actual = new TreeSet<>();
    for (Row r : got) {
      actual.add(r.getString(0) + "," + r.getString(1) + "," + r.getFloat(2) + "," + r.getInt(3));
    }
    return actual;
  }

  @Test
  void recommendAllIsEveryUsersExactTopK() throws IOException {
    List<Row> got = BatchRetrieval.recommendAll(spark, modelFile, 7, false).collectAsList();
    Recommender rec = new Recommender(model, 2);
    assertEquals(9000 * 7, got.size());
    assertEquals(singleMachine(rec.itemRetriever(), rec.phiScale(), 7), rows(got));
  }

  @Test
  void throughAnHnswIndexTheRowsAreTheSingleMachineGraphSearchs() throws IOException {
    HnswIndex graph = HnswIndex.build(model.retrievalItems(), 8, 60, 3L, VectorOps.best());
    Path index = dir.resolve("idx");
    IndexDirectory.write(index, modelFile, graph, null, 0);
    List<Row> got =
        BatchRetrieval.recommendAll(spark, modelFile, new BatchRetrieval.Index(index, 30), 7, false)
            .collectAsList();
    Recommender rec = new Recommender(model, 2);
    TreeSet<String> expected =
        singleMachine(new HnswRetriever(model.retrievalItems(), graph, 30, 1), rec.phiScale(), 7);
    assertEquals(expected, rows(got));
    // a real graph search: most of the exact top-7 found
    TreeSet<String> exact = singleMachine(rec.itemRetriever(), rec.phiScale(), 7);
    java.util.Set<String> exactPairs = new java.util.HashSet<>();
    for (String r : exact) {
      exactPairs.add(r.substring(0, r.indexOf(',', r.indexOf(',') + 1)));
    }
    long found = 0;
    for (Row r : got) {
      found += exactPairs.contains(r.getString(0) + "," + r.getString(1)) ? 1 : 0;
    }
    double recall = found / (double) exactPairs.size();
    assertTrue(recall > 0.8 && recall <= 1.0, "recall@7 through the graph " + recall);

    Path other = dir.resolve("other.trm");
    java.nio.file.Files.write(other, java.nio.file.Files.readAllBytes(modelFile));
    java.nio.file.Files.write(other, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class,
            () ->
                BatchRetrieval.recommendAll(
                    spark, other, new BatchRetrieval.Index(index, 30), 7, false));
    assertTrue(e.getMessage().contains("the index was built for model file"), e.getMessage());
  }

  @Test
  void audienceAllIsTheCappedInversionOfTheCli() throws IOException {
    List<Row> got = BatchRetrieval.audienceAll(spark, modelFile, 5, 40, false).collectAsList();
    Recommender rec = new Recommender(model, 2);
    AudienceInversion.Result inv =
        AudienceInversion.invert(
            rec.itemRetriever(), model.retrievalUsers(), 5, 40, model.seen(), null);
    TreeSet<String> expected = new TreeSet<>();
    for (int i = 0; i < inv.numItems(); i++) {
      for (int p = inv.start()[i], rank = 1; p < inv.start()[i + 1]; p++, rank++) {
        expected.add(
            "i"
                + i
                + ",u"
                + inv.users()[p]
                + ","
                + (rec.phiScale() * inv.scores()[p])
                + ","
                + rank);
      }
    }
    TreeSet<String> actual = new TreeSet<>();
    Map<String, Integer> perUser = new HashMap<>();
    for (Row r : got) {
      actual.add(r.getString(0) + "," + r.getString(1) + "," + r.getFloat(2) + "," + r.getInt(3));
      perUser.merge(r.getString(1), 1, Integer::sum);
    }
    assertEquals(expected, actual);
    assertTrue(perUser.values().stream().allMatch(c -> c <= 5), "the per-user cap");
  }
}
