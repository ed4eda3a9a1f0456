package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;
import org.totalrecall.testkit.Fixtures;

class TrainerTest {
  private static final Interactions DATA = Fixtures.checkerboardWithoutDiagonal(40);

  private static TrainConfig small() {
    return TrainConfig.defaults().withDim(8).withBatchSize(32).withEpochs(3).withThreads(1).withSeed(5);
  }

  @Test
  void oneThreadWithAFixedSeedIsBitwiseReproducible() {
    FactorModel a = Trainer.train(DATA, null, null, small(), null, null).model();
    FactorModel b = Trainer.train(DATA, null, null, small(), null, null).model();
    assertArrayEquals(a.userTable().data(), b.userTable().data());
    assertArrayEquals(a.itemTable().data(), b.itemTable().data());
    FactorModel c = Trainer.train(DATA, null, null, small().withSeed(6), null, null).model();
    assertFalse(Arrays.equals(a.userTable().data(), c.userTable().data()), "another seed trains another model");
  }

  @Test
  void severalThreadsTrainAndReportTheirCount() {
    TrainResult r = Trainer.train(DATA, null, null, small().withThreads(3).withBatchSize(8), null, null);
    assertEquals(3, r.summary().threads());
    assertEquals(3L * DATA.size(), r.summary().recordsConsumed());
    assertEquals(-1, r.model().userTable().firstNonFinite());
  }

  @Test
  void explodingLearningRateStopsWithTheEpochNamed() {
    TrainConfig c = small().withScorer(Scorer.Kind.DOT).withOptimizer(OptimizerKind.SGD).withLearningRate(1e30f);
    TrainingDivergedException e =
        assertThrows(TrainingDivergedException.class, () -> Trainer.train(DATA, null, null, c, null, null));
    assertEquals(1, e.epoch());
    assertTrue(List.of("users", "items", "loss").contains(e.table()), e.table());
    assertTrue(e.getMessage().contains("epoch 1") && e.getMessage().contains(e.table()), e.getMessage());
  }

  @Test
  void nanInATableIsReportedWithTheTableName() {
    EmbeddingTable users = new EmbeddingTable(2, 2);
    EmbeddingTable items = new EmbeddingTable(2, 2);
    Trainer.checkFinite(4, users, items);
    items.data()[3] = Float.NaN;
    TrainingDivergedException e =
        assertThrows(TrainingDivergedException.class, () -> Trainer.checkFinite(4, users, items));
    assertEquals("items", e.table());
    assertEquals(4, e.epoch());
    users.data()[0] = Float.POSITIVE_INFINITY;
    assertEquals("users", assertThrows(TrainingDivergedException.class,
        () -> Trainer.checkFinite(7, users, items)).table());
  }

  /** Returns a scripted sequence of metric values, and keeps each snapshot it was given. */
  static final class ScriptedValidator implements Validator {
    final double[] script;
    final List<FactorModel> seen = new ArrayList<>();

    ScriptedValidator(double... script) {
      this.script = script;
    }

    @Override
    public Map<String, Double> validate(FactorModel model) {
      seen.add(model);
      return Map.of("ndcg@10", script[seen.size() - 1], "hr@10", 0.5);
    }
  }

  @Test
  void earlyStoppingKeepsAndRestoresTheBestValidatedTables() {
    ScriptedValidator v = new ScriptedValidator(0.1, 0.3, 0.2, 0.25, 0.9, 0.9);
    TrainResult r = Trainer.train(DATA, null, null, small().withEpochs(6).withPatience(2), v, null);
    TrainingSummary s = r.summary();
    assertEquals(4, s.epochsRun(), "two validations without improvement after epoch 2 stop the run");
    assertTrue(s.stoppedEarly());
    assertEquals(2, s.bestEpoch());
    assertEquals(0.3, s.bestMetrics().get("ndcg@10"));
    assertTrue(s.restoredBest());
    assertArrayEquals(v.seen.get(1).userTable().data(), r.model().userTable().data());
    assertArrayEquals(v.seen.get(1).itemTable().data(), r.model().itemTable().data());
    assertEquals(4, s.convergence().size());
    assertEquals(2L * DATA.size(), s.convergence().get(1).recordsConsumed());
    assertSame(DATA, r.model().seen());
  }

  @Test
  void withoutKeepBestTheLastTablesAreReturned() {
    ScriptedValidator v = new ScriptedValidator(0.9, 0.1, 0.1);
    TrainResult r = Trainer.train(DATA, null, null, small().withKeepBest(false).withPatience(0), v, null);
    assertEquals(3, r.summary().epochsRun());
    assertFalse(r.summary().restoredBest());
    assertArrayEquals(v.seen.get(2).userTable().data(), r.model().userTable().data());
  }

  @Test
  void recordsBasedValidationLogsAgainstRecordsConsumed() {
    ScriptedValidator v = new ScriptedValidator(new double[20]);
    long every = 200;
    TrainResult r = Trainer.train(DATA, null, null, small().withEpochs(2).withEvalEveryRecords(every)
        .withPatience(0), v, null);
    List<ConvergencePoint> log = r.summary().convergence();
    long last = 0;
    for (ConvergencePoint p : log) {
      assertTrue(p.recordsConsumed() > last, "records increase: " + log);
      last = p.recordsConsumed();
    }
    long expected = (2L * DATA.size() + every - 1) / every; // one per 200 records, plus the epoch ends
    assertTrue(log.size() >= expected - 1, log.size() + " validations for " + 2 * DATA.size() + " records");
    assertEquals(2L * DATA.size(), last);
  }

  @Test
  void aMissingMonitoredMetricIsAnError() {
    Validator v = model -> Map.of("recall@20", 0.1);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Trainer.train(DATA, null, null, small(), v, null));
    assertTrue(e.getMessage().contains("ndcg@10"), e.getMessage());
  }

  @Test
  void listenerSeesEveryEpochProgressAndEvaluation() {
    List<String> events = new ArrayList<>();
    TrainingListener l = new TrainingListener() {
      @Override
      public void onEpochStart(int epoch, long records) {
        events.add("start " + epoch + " " + records);
      }

      @Override
      public void onProgress(int epoch, long recordsInEpoch) {
        events.add("progress");
      }

      @Override
      public void onEpochEnd(int epoch, double meanLoss, long consumed) {
        assertTrue(Double.isFinite(meanLoss));
        events.add("end " + epoch + " " + consumed);
      }

      @Override
      public void onEvaluation(int epoch, long consumed, Map<String, Double> m, boolean improved) {
        events.add("eval " + epoch + " " + improved);
      }
    };
    Interactions big = Fixtures.checkerboardWithoutDiagonal(120); // 7,080 pairs: > 4,096
    Trainer.train(big, null, null, small().withEpochs(2).withBatchSize(256).withPatience(0), new ScriptedValidator(1, 0), l);
    int n = big.size();
    assertEquals(List.of("start 1 " + n, "progress", "end 1 " + n, "eval 1 true",
        "start 2 " + n, "progress", "end 2 " + 2 * n, "eval 2 false"), events);
  }

  @Test
  void modelCarriesIdsScorerAndMetadata() {
    List<String> userIds = new ArrayList<>();
    List<String> itemIds = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      userIds.add("u" + k);
      itemIds.add("i" + k);
    }
    TrainResult r = Trainer.train(DATA, IdIndex.of(userIds), IdIndex.of(itemIds), small(), null, null);
    FactorModel m = r.model();
    assertEquals("u7", m.userIds().idOf(7));
    assertEquals(Scorer.cosine(0.125f), m.scorer());
    assertEquals("bi-infonce", ((Map<?, ?>) m.metadata().get("config")).get("objective"));
    Map<String, Object> summary = r.summary().toMap();
    assertEquals(3, summary.get("epochsRun"));
    assertTrue((Double) summary.get("positivesPerSecond") > 0);
    assertEquals(3, r.summary().epochLosses().size());
    assertTrue(r.summary().epochLosses().get(2) < r.summary().epochLosses().get(0), "loss decreases");
  }

  @Test
  void mismatchedIdsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.train(DATA, IdIndex.identity(3), null, small(), null, null));
    assertTrue(e.getMessage().contains("users has 3 ids"), e.getMessage());
  }
}
