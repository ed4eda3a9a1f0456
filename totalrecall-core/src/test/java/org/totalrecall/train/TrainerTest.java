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
    return TrainConfig.defaults()
        .withDim(8)
        .withBatchSize(32)
        .withEpochs(3)
        .withThreads(1)
        .withSeed(5);
  }

  @Test
  void oneThreadWithAFixedSeedIsBitwiseReproducible() {
    FactorModel a = Trainer.train(DATA, null, null, small(), null, null).model();
    FactorModel b = Trainer.train(DATA, null, null, small(), null, null).model();
    assertArrayEquals(a.userTable().data(), b.userTable().data());
    assertArrayEquals(a.itemTable().data(), b.itemTable().data());
    FactorModel c = Trainer.train(DATA, null, null, small().withSeed(6), null, null).model();
    assertFalse(
        Arrays.equals(a.userTable().data(), c.userTable().data()),
        "another seed trains another model");
  }

  @Test
  void severalThreadsTrainAndReportTheirCount() {
    TrainResult r =
        Trainer.train(DATA, null, null, small().withThreads(3).withBatchSize(8), null, null);
    assertEquals(3, r.summary().threads());
    assertEquals(3L * DATA.size(), r.summary().recordsConsumed());
    assertEquals(-1, r.model().userTable().firstNonFinite());
  }

  @Test
  void explodingLearningRateStopsWithTheEpochNamed() {
    TrainConfig c =
        small()
            .withScorer(Scorer.Kind.DOT)
            .withOptimizer(OptimizerKind.SGD)
            .withLearningRate(1e30f);
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class, () -> Trainer.train(DATA, null, null, c, null, null));
    assertEquals(1, e.epoch());
    assertTrue(List.of("users", "items", "loss").contains(e.table()), e.table());
    assertTrue(
        e.getMessage().contains("epoch 1") && e.getMessage().contains(e.table()), e.getMessage());
  }

  /**
   * A loss that explodes yet stays finite is divergence too (it used to be trained on and saved).
   */
  @Test
  void aFiniteButExplodingLossStopsTraining() {
    for (float lr : new float[] {1e2f, 1e3f, 1e4f, 1e5f, 1e6f}) {
      TrainConfig c =
          small()
              .withScorer(Scorer.Kind.DOT)
              .withOptimizer(OptimizerKind.SGD)
              .withLearningRate(lr)
              .withLearningRateDecay(LearningRateSchedule.Decay.CONSTANT)
              .withEpochs(8);
      try {
        Trainer.train(DATA, null, null, c, null, null);
      } catch (TrainingDivergedException e) {
        if (e.table().equals("loss") && e.getMessage().contains("the batch loss reached")) {
          assertTrue(e.getMessage().contains("times the initial"), e.getMessage());
          assertEquals(null, e.bestFinite(), "no validation, no best tables");
          return;
        }
      }
    }
    throw new AssertionError("no learning rate on the grid exploded while finite");
  }

  @Test
  void dotScoresThatWouldOverflowFloatAreDivergence() {
    EmbeddingTable users = new EmbeddingTable(1, 1, new float[] {1e20f});
    EmbeddingTable items = new EmbeddingTable(1, 1, new float[] {1e19f});
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class,
            () -> Trainer.checkFinite(3, users, items, Scorer.dot()));
    assertEquals("scores", e.table());
    assertTrue(
        e.getMessage().startsWith("training diverged in epoch 3: dot scores overflow float"),
        e.getMessage());
    Trainer.checkFinite(
        3, new EmbeddingTable(1, 1, new float[] {1e18f}), items, Scorer.cosine(0.1f));
    TrainingDivergedException c =
        assertThrows(
            TrainingDivergedException.class,
            () -> Trainer.checkFinite(3, users, items, Scorer.cosine(0.1f)));
    assertTrue(c.getMessage().contains("cosine row norms overflow float"), c.getMessage());
  }

  /**
   * With keepBest, a divergence after finite validated epochs carries the best of them (every value
   * finite). The learning rate is searched on a grid; the test fails if none diverges late.
   */
  @Test
  void divergenceAfterValidatedEpochsCarriesTheBestFiniteResult() {
    for (float lr = 5f; lr < 5000f; lr *= 1.5f) {
      TrainConfig c =
          small()
              .withScorer(Scorer.Kind.DOT)
              .withOptimizer(OptimizerKind.SGD)
              .withLearningRate(lr)
              .withLearningRateDecay(LearningRateSchedule.Decay.CONSTANT)
              .withEpochs(8)
              .withKeepBest(true)
              .withPatience(0);
      ScriptedValidator v = new ScriptedValidator(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8);
      TrainingDivergedException e;
      try {
        Trainer.train(DATA, null, null, c, v, null);
        continue;
      } catch (TrainingDivergedException x) {
        e = x;
      }
      if (v.seen.isEmpty()) {
        continue; // diverged before the first validation
      }
      TrainResult best = e.bestFinite();
      assertTrue(best != null, "validated epochs before the divergence: " + e.getMessage());
      assertEquals(v.seen.size(), best.summary().bestEpoch());
      assertTrue(
          best.summary().bestEpoch() < e.epoch() || e.table().equals("loss"), e.getMessage());
      assertTrue(best.summary().restoredBest());
      assertArrayEquals(
          v.seen.get(v.seen.size() - 1).userTable().data(), best.model().userTable().data());
      assertEquals(
          null,
          org.totalrecall.model.NumericRange.problem(
              best.model().userTable(), best.model().itemTable(), best.model().scorer()));
      return;
    }
    throw new AssertionError("no learning rate on the grid diverged after a validated epoch");
  }

  @Test
  void resourcesAreCheckedBeforeAnythingIsAllocated() {
    TrainConfig c = TrainConfig.defaults().withDim(65_536);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Trainer.checkResources(40_000, 10, 1000, c, Long.MAX_VALUE));
    assertTrue(
        e.getMessage().startsWith("dim 65536 makes a table of 40000 × 65536 floats"),
        e.getMessage());
    // 2 tables of (100 + 100) × 64 floats, Adam's two moments, workers of 4·512² + 4·512·64 floats
    // each
    long tables = 4L * 200 * 64;
    long need =
        tables + 2 * tables + 8 * 200 + 16L * 1000 + 2L * 4 * (4L * 512 * 512 + 4L * 512 * 64);
    TrainConfig two = TrainConfig.defaults().withThreads(2).withKeepBest(false);
    Trainer.checkResources(100, 100, 1000, two, need);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Trainer.checkResources(100, 100, 1000, two, need - 1));
    assertTrue(
        e.getMessage().startsWith("not enough memory: dim 64, batchSize 512, threads 2 need about"),
        e.getMessage());
    // CLRec's queue scores the batch's users against r item keys: a B × r block, not r × r
    TrainConfig queue =
        two.withBatchSize(3072).withSampler(new QueueSamplerSpec(16_384, false, 0.99f));
    long queueNeed =
        tables
            + 2 * tables
            + 8 * 200
            + 16L * 1000
            + 2L * 4 * (4L * 3072 * 16_384 + 2L * (3072 + 16_384) * 64);
    Trainer.checkResources(100, 100, 1000, queue, queueNeed);
    assertThrows(
        IllegalArgumentException.class,
        () -> Trainer.checkResources(100, 100, 1000, queue, queueNeed - 1));
  }

  /**
   * The data's weights reach the objectives that use them: with the positives' weights near 0 the
   * pointwise loss sees almost only its negatives, and the positives' scores end lower than with
   * weights 1.
   */
  @Test
  void interactionWeightsReachThePointwiseLoss() {
    int[] rows = new int[DATA.size()];
    for (int u = 0; u < DATA.numUsers(); u++) {
      for (int p = DATA.start(u); p < DATA.end(u); p++) {
        rows[p] = u;
      }
    }
    float[] tiny = new float[DATA.size()];
    java.util.Arrays.fill(tiny, 1e-3f);
    float[] ones = new float[DATA.size()];
    java.util.Arrays.fill(ones, 1f);
    TrainConfig c =
        small()
            .withScorer(Scorer.Kind.DOT)
            .withMethod(
                ObjectiveSpec.parse("logistic", Params.none()),
                SamplerSpec.parse("uniform", Params.of(Map.of("ratio", "0:2"))))
            .withEpochs(5)
            .withLearningRate(0.05f);
    double light =
        meanPositiveScore(
            Trainer.train(
                    Interactions.fromPairs(
                        DATA.numUsers(),
                        DATA.numItems(),
                        rows,
                        DATA.cols(),
                        tiny,
                        null,
                        DATA.size()),
                    null,
                    null,
                    c,
                    null,
                    null)
                .model());
    double heavy =
        meanPositiveScore(
            Trainer.train(
                    Interactions.fromPairs(
                        DATA.numUsers(),
                        DATA.numItems(),
                        rows,
                        DATA.cols(),
                        ones,
                        null,
                        DATA.size()),
                    null,
                    null,
                    c,
                    null,
                    null)
                .model());
    assertTrue(
        light < heavy - 0.5,
        "mean positive score " + light + " with weights 1e-3, " + heavy + " with 1");
  }

  private static double meanPositiveScore(FactorModel m) {
    double sum = 0;
    for (int u = 0; u < DATA.numUsers(); u++) {
      for (int p = DATA.start(u); p < DATA.end(u); p++) {
        sum += m.score(u, DATA.cols()[p]);
      }
    }
    return sum / DATA.size();
  }

  /**
   * The per-row fast path (dot, SGD, one user per row) is the general update in another summation
   * order.
   */
  @Test
  void thePerRowFastPathEqualsTheGeneralPath() {
    for (String sampler : new String[] {"0:1", "0:5"}) {
      for (float l2 : new float[] {0f, 0.01f}) {
        TrainConfig c =
            small()
                .withScorer(Scorer.Kind.DOT)
                .withOptimizer(OptimizerKind.SGD)
                .withLearningRate(0.05f)
                .withL2(l2)
                .withMethod(
                    ObjectiveSpec.parse("bpr", Params.none()),
                    SamplerSpec.parse("uniform", Params.of(Map.of("ratio", sampler))));
        FactorModel fast = Trainer.train(DATA, null, null, c, null, null).model();
        FactorModel general;
        PerRowSolver.fastPathAllowed = false;
        try {
          general = Trainer.train(DATA, null, null, c, null, null).model();
        } finally {
          PerRowSolver.fastPathAllowed = true;
        }
        float[] a = fast.itemTable().data();
        float[] b = general.itemTable().data();
        float[] ua = fast.userTable().data();
        float[] ub = general.userTable().data();
        for (int k = 0; k < a.length; k++) {
          assertEquals(b[k], a[k], 1e-4f * Math.max(1f, Math.abs(b[k])), "item entry " + k);
        }
        for (int k = 0; k < ua.length; k++) {
          assertEquals(ub[k], ua[k], 1e-4f * Math.max(1f, Math.abs(ub[k])), "user entry " + k);
        }
      }
    }
  }

  /**
   * The update policy decides which tables learn: items-only leaves the users at their
   * initialisation.
   */
  @Test
  void anItemsOnlyPolicyNeverTouchesTheUserTable() {
    TrainConfig c = small().withUpdate(UpdateSpec.parse("items-only", Params.none()));
    FactorModel one = Trainer.train(DATA, null, null, c.withEpochs(1), null, null).model();
    FactorModel three = Trainer.train(DATA, null, null, c.withEpochs(3), null, null).model();
    assertArrayEquals(
        one.userTable().data(), three.userTable().data(), "users stay at their initialisation");
    assertFalse(Arrays.equals(one.itemTable().data(), three.itemTable().data()), "items learn");
    FactorModel usersOnly =
        Trainer.train(
                DATA,
                null,
                null,
                small().withUpdate(UpdateSpec.parse("users-only", Params.none())).withEpochs(1),
                null,
                null)
            .model();
    FactorModel usersOnly3 =
        Trainer.train(
                DATA,
                null,
                null,
                small().withUpdate(UpdateSpec.parse("users-only", Params.none())).withEpochs(3),
                null,
                null)
            .model();
    assertArrayEquals(
        usersOnly.itemTable().data(),
        usersOnly3.itemTable().data(),
        "items stay at their initialisation");
    assertEquals(SidedUpdateSpec.twoSided(), TrainConfig.defaults().update());
  }

  @Test
  void nanInATableIsReportedWithTheTableName() {
    EmbeddingTable users = new EmbeddingTable(2, 2);
    EmbeddingTable items = new EmbeddingTable(2, 2);
    Trainer.checkFinite(4, users, items, org.totalrecall.model.Scorer.cosine(0.1f));
    items.data()[3] = Float.NaN;
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class,
            () -> Trainer.checkFinite(4, users, items, org.totalrecall.model.Scorer.cosine(0.1f)));
    assertEquals("items", e.table());
    assertEquals(4, e.epoch());
    users.data()[0] = Float.POSITIVE_INFINITY;
    assertEquals(
        "users",
        assertThrows(
                TrainingDivergedException.class,
                () ->
                    Trainer.checkFinite(7, users, items, org.totalrecall.model.Scorer.cosine(0.1f)))
            .table());
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
    assertEquals(
        4, s.epochsRun(), "two validations without improvement after epoch 2 stop the run");
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
    TrainResult r =
        Trainer.train(DATA, null, null, small().withKeepBest(false).withPatience(0), v, null);
    assertEquals(3, r.summary().epochsRun());
    assertFalse(r.summary().restoredBest());
    assertArrayEquals(v.seen.get(2).userTable().data(), r.model().userTable().data());
  }

  @Test
  void recordsBasedValidationLogsAgainstRecordsConsumed() {
    ScriptedValidator v = new ScriptedValidator(new double[20]);
    long every = 200;
    TrainResult r =
        Trainer.train(
            DATA,
            null,
            null,
            small().withEpochs(2).withEvalEveryRecords(every).withPatience(0),
            v,
            null);
    List<ConvergencePoint> log = r.summary().convergence();
    long last = 0;
    for (ConvergencePoint p : log) {
      assertTrue(p.recordsConsumed() > last, "records increase: " + log);
      last = p.recordsConsumed();
    }
    long expected =
        (2L * DATA.size() + every - 1) / every; // one per 200 records, plus the epoch ends
    assertTrue(
        log.size() >= expected - 1,
        log.size() + " validations for " + 2 * DATA.size() + " records");
    assertEquals(2L * DATA.size(), last);
  }

  @Test
  void aMissingMonitoredMetricIsAnError() {
    Validator v = model -> Map.of("recall@20", 0.1);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> Trainer.train(DATA, null, null, small(), v, null));
    assertTrue(e.getMessage().contains("ndcg@10"), e.getMessage());
  }

  @Test
  void listenerSeesEveryEpochProgressAndEvaluation() {
    List<String> events = new ArrayList<>();
    TrainingListener l =
        new TrainingListener() {
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
          public void onEvaluation(
              int epoch, long consumed, Map<String, Double> m, boolean improved) {
            events.add("eval " + epoch + " " + improved);
          }
        };
    Interactions big = Fixtures.checkerboardWithoutDiagonal(120); // 7,080 pairs: > 4,096
    Trainer.train(
        big,
        null,
        null,
        small().withEpochs(2).withBatchSize(256).withPatience(0),
        new ScriptedValidator(1, 0),
        l);
    int n = big.size();
    assertEquals(
        List.of(
            "start 1 " + n,
            "progress",
            "end 1 " + n,
            "eval 1 true",
            "start 2 " + n,
            "progress",
            "end 2 " + 2 * n,
            "eval 2 false"),
        events);
  }

  @Test
  @SuppressWarnings("unchecked")
  void modelCarriesIdsScorerAndMetadata() {
    List<String> userIds = new ArrayList<>();
    List<String> itemIds = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      userIds.add("u" + k);
      itemIds.add("i" + k);
    }
    TrainResult r =
        Trainer.train(DATA, IdIndex.of(userIds), IdIndex.of(itemIds), small(), null, null);
    FactorModel m = r.model();
    assertEquals("u7", m.userIds().idOf(7));
    assertEquals(Scorer.cosine(0.125f), m.scorer());
    assertEquals(
        "bi-infonce",
        ((Map<?, ?>) ((Map<?, ?>) m.metadata().get("config")).get("objective")).get("name"));
    assertEquals(
        small(),
        TrainConfig.fromMap((Map<String, ?>) m.metadata().get("config")),
        "the config round-trips");
    Map<String, Object> summary = r.summary().toMap();
    assertEquals(3, summary.get("epochsRun"));
    assertTrue((Double) summary.get("positivesPerSecond") > 0);
    assertEquals(3, r.summary().epochLosses().size());
    assertTrue(
        r.summary().epochLosses().get(2) < r.summary().epochLosses().get(0), "loss decreases");
  }

  @Test
  void mismatchedIdsAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Trainer.train(DATA, IdIndex.identity(3), null, small(), null, null));
    assertTrue(e.getMessage().contains("users has 3 ids"), e.getMessage());
  }
}
