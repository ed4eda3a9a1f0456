package org.totalrecall.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.LoadOptions;
import org.totalrecall.eval.EvalOptions;
import org.totalrecall.eval.EvaluationResult;
import org.totalrecall.eval.Evaluator;
import org.totalrecall.eval.Protocol;
import org.totalrecall.eval.ProtocolOptions;
import org.totalrecall.eval.ProtocolSplit;
import org.totalrecall.eval.Protocols;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;

/**
 * {@link DistributedEvaluation} on local[2] gives the single-machine metrics, full ranking on a
 * LightGCN-layout split and on {@code random-split}, in both of the latter's directions' worth of
 * queries (u2i), with every metric of the default cutoffs.
 */
class DistributedEvaluationTest {
  static SparkSession spark;
  @TempDir static Path dir;
  static Path data;
  static Path modelFile;
  static FactorModel model;
  static Dataset dataset;

  @BeforeAll
  static void start() throws IOException {
    spark = LocalSpark.start();
    data = Files.createDirectories(dir.resolve("lightgcn"));
    SplittableRandom rnd = new SplittableRandom(8);
    StringBuilder train = new StringBuilder();
    StringBuilder test = new StringBuilder();
    for (int u = 0; u < 500; u++) {
      train.append(u);
      test.append(u);
      for (int i = 0; i < 300; i++) {
        int r = rnd.nextInt(30);
        if (r < 2) {
          train.append(' ').append(i);
        } else if (r == 2) {
          test.append(' ').append(i);
        }
      }
      train.append('\n');
      test.append('\n');
    }
    Files.writeString(data.resolve("train.txt"), train);
    Files.writeString(data.resolve("test.txt"), test);
    dataset = DataLoader.load(data, null, LoadOptions.defaults());
    int dim = 8;
    float[] u = new float[dataset.numUsers() * dim];
    float[] v = new float[dataset.numItems() * dim];
    for (int k = 0; k < u.length; k++) {
      u[k] = (float) rnd.nextGaussian();
    }
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) rnd.nextGaussian();
    }
    ProtocolSplit split = Protocols.split(Protocol.FULL, dataset, ProtocolOptions.defaults());
    model =
        new FactorModel(
            new EmbeddingTable(dataset.numUsers(), dim, u),
            new EmbeddingTable(dataset.numItems(), dim, v),
            dataset.users(),
            dataset.items(),
            Scorer.cosine(0.1f),
            Map.of(),
            split.train());
    modelFile = dir.resolve("eval.trm");
    ModelFormat.write(model, modelFile);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void distributedMetricsEqualTheSingleMachineOnes() throws IOException {
    ProtocolSplit split = Protocols.split(Protocol.FULL, dataset, ProtocolOptions.defaults());
    EvaluationResult single = Evaluator.evaluate(model, split, EvalOptions.defaults());
    EvaluationResult distributed =
        DistributedEvaluation.evaluate(
            spark,
            modelFile,
            data,
            Protocol.FULL,
            ProtocolOptions.defaults(),
            EvalOptions.defaults(),
            5);
    assertEquals(single.queries(), distributed.queries());
    assertEquals(single.metrics().keySet(), distributed.metrics().keySet());
    for (var e : single.metrics().entrySet()) {
      assertEquals(e.getValue(), distributed.metrics().get(e.getKey()), 1e-12, e.getKey());
    }
  }

  @Test
  void pumsGroupOnMovieLensEqualsTheSingleMachineForEveryAggregation() throws IOException {
    Path ml1m = Path.of("..", "..", "shared", "data", "ml-1m");
    if (!Files.isDirectory(ml1m)) {
      ml1m = Path.of("..", "shared", "data", "ml-1m");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(ml1m.resolve("movies.dat")),
        "skipped: ../shared/data/ml-1m (with movies.dat) is absent");
    Dataset ml = DataLoader.load(ml1m, null, LoadOptions.defaults());
    ProtocolSplit split = Protocols.split(Protocol.PUMS_GROUP, ml, ProtocolOptions.defaults());
    SplittableRandom rnd = new SplittableRandom(3);
    int dim = 8;
    float[] u = new float[ml.numUsers() * dim];
    float[] v = new float[ml.numItems() * dim];
    for (int k = 0; k < u.length; k++) {
      u[k] = (float) rnd.nextGaussian();
    }
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) rnd.nextGaussian();
    }
    FactorModel m =
        new FactorModel(
            new EmbeddingTable(ml.numUsers(), dim, u),
            new EmbeddingTable(ml.numItems(), dim, v),
            ml.users(),
            ml.items(),
            Scorer.cosine(0.1f),
            Map.of(),
            split.train());
    Path file = dir.resolve("groups.trm");
    ModelFormat.write(m, file);
    for (org.totalrecall.retrieval.Aggregation a : org.totalrecall.retrieval.Aggregation.values()) {
      EvalOptions options = EvalOptions.defaults().withAggregation(a);
      EvaluationResult single = Evaluator.evaluate(m, split, options);
      EvaluationResult distributed =
          DistributedEvaluation.evaluate(
              spark, file, ml1m, Protocol.PUMS_GROUP, ProtocolOptions.defaults(), options, 3);
      assertEquals(54, single.queries() + single.skippedQueries(), a.name());
      assertEquals(single.queries(), distributed.queries(), a.name());
      for (var e : single.metrics().entrySet()) {
        assertEquals(
            e.getValue(), distributed.metrics().get(e.getKey()), 1e-12, a + " " + e.getKey());
      }
    }
  }
}
