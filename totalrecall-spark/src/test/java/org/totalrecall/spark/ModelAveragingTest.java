package org.totalrecall.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.SyntheticData;
import org.totalrecall.eval.EvalOptions;
import org.totalrecall.eval.Evaluator;
import org.totalrecall.eval.Protocol;
import org.totalrecall.eval.ProtocolOptions;
import org.totalrecall.eval.ProtocolSplit;
import org.totalrecall.eval.Protocols;
import org.totalrecall.model.FactorModel;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.Trainer;

/**
 * {@link ModelAveraging} on local[2], Bi-InfoNCE on planted clusters: averaged every epoch over two
 * shards, it reaches the single machine's full-ranking NDCG@10 within a few percent, and every
 * table row comes back finite.
 */
class ModelAveragingTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void averagedBiInfoNceIsCloseToOneMachine() {
    Dataset data = SyntheticData.generate(new SyntheticData.Spec(3000, 400, 8, 30, 0.9, 4L));
    ProtocolSplit split = Protocols.split(Protocol.RANDOM_SPLIT, data, ProtocolOptions.defaults());
    TrainConfig config =
        TrainConfig.defaults()
            .withDim(16)
            .withEpochs(8)
            .withBatchSize(256)
            .withThreads(1)
            .withSeed(3);
    FactorModel single =
        Trainer.train(split.train(), data.users(), data.items(), config, null, null).model();
    ModelAveraging.Result r = ModelAveraging.train(spark, split.train(), config, 2);
    FactorModel averaged =
        new FactorModel(
            r.users(), r.items(), data.users(), data.items(), r.scorer(), null, split.train());
    double one = Evaluator.evaluate(single, split, EvalOptions.defaults()).metric("ndcg@10");
    double avg = Evaluator.evaluate(averaged, split, EvalOptions.defaults()).metric("ndcg@10");
    assertTrue(avg > 0.95 * one, "averaged NDCG@10 " + avg + " against one machine's " + one);
    assertEquals(8, r.roundSeconds().length);
    for (float x : r.items().data()) {
      assertTrue(Float.isFinite(x));
    }
  }
}
