package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;
import org.totalrecall.testkit.Fixtures;

/**
 * The contract every trainer (every objective with its default sampler, and other pairings) must
 * meet, after implicit's test mixin (STYLE.md §7): on the checkerboard with the diagonal withheld,
 * each user's best unseen item is its withheld diagonal item; one thread with a fixed seed is
 * bitwise reproducible; an exploding run stops with {@link TrainingDivergedException}; early
 * stopping returns the best validated tables. Each method adds a subclass naming its config.
 */
abstract class TrainerContractTest {
  static final int N = 50;

  /** The method under test on the checkerboard, with {@code seed}. */
  abstract TrainConfig config(long seed);

  FactorModel train(Interactions data, long seed) {
    return Trainer.train(data, null, null, config(seed), null, null).model();
  }

  /**
   * How many of the N users must get their withheld item first: all, except for margin ranking
   * losses (WARP), which stop pushing once the withheld item and the other class are both a margin
   * below the positives, leaving them tied.
   */
  int minimumCorrect() {
    return N;
  }

  /**
   * Whether a resumed run equals the uninterrupted one bitwise: true unless the sampler keeps state
   * that the checkpoint does not hold (AdaSIR's pools, which a resumed run rebuilds from empty), in
   * which case the resumed run must still complete the same epochs.
   */
  boolean resumesBitwise() {
    return true;
  }

  /**
   * A configuration of this method whose parameters blow up (dot scores, SGD, η = 1e30 unless
   * overridden).
   */
  TrainConfig explodingConfig(long seed) {
    return config(seed)
        .withScorer(Scorer.Kind.DOT)
        .withOptimizer(OptimizerKind.SGD)
        .withLearningRate(1e30f);
  }

  @Test
  void recommendsTheWithheldCheckerboardItem() {
    Interactions data = Fixtures.checkerboardWithoutDiagonal(N);
    FactorModel model = train(data, 23L);
    EmbeddingTable users = model.retrievalUsers();
    EmbeddingTable items = model.retrievalItems();
    VectorOps ops = VectorOps.best();
    int correct = 0;
    int firstWrong = -1;
    int firstWrongBest = -1;
    for (int user = 0; user < N; user++) {
      int best = -1;
      float bestScore = Float.NEGATIVE_INFINITY;
      for (int item = 0; item < N; item++) {
        if (data.contains(user, item)) {
          continue;
        }
        float s =
            ops.dot(
                users.data(), users.offset(user), items.data(), items.offset(item), users.dim());
        if (s > bestScore) {
          bestScore = s;
          best = item;
        }
      }
      if (best == user) {
        correct++;
      } else if (firstWrong < 0) {
        firstWrong = user;
        firstWrongBest = best;
      }
    }
    assertTrue(
        correct >= minimumCorrect(),
        correct
            + " of "
            + N
            + " users get their withheld item first (at least "
            + minimumCorrect()
            + " needed); e.g. user "
            + firstWrong
            + " got item "
            + firstWrongBest);
  }

  @Test
  void oneThreadWithASeedIsBitwiseReproducible() {
    Interactions data = Fixtures.checkerboardWithoutDiagonal(20);
    TrainConfig c = config(5L).withEpochs(3).withThreads(1);
    FactorModel a = Trainer.train(data, null, null, c, null, null).model();
    FactorModel b = Trainer.train(data, null, null, c, null, null).model();
    assertArrayEquals(a.userTable().data(), b.userTable().data());
    assertArrayEquals(a.itemTable().data(), b.itemTable().data());
    assertEquals(a.scorer(), b.scorer(), "the scorer (gmf: its learned h) too");
    FactorModel other = Trainer.train(data, null, null, c.withSeed(6L), null, null).model();
    assertFalse(
        Arrays.equals(a.itemTable().data(), other.itemTable().data()),
        "another seed trains another model");
  }

  @Test
  void anExplodingRunStopsWithTheEpochNamed() {
    Interactions data = Fixtures.checkerboardWithoutDiagonal(20);
    TrainConfig c = explodingConfig(5L).withEpochs(3);
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class, () -> Trainer.train(data, null, null, c, null, null));
    assertTrue(
        e.epoch() >= 1 && e.getMessage().startsWith("training diverged in epoch " + e.epoch()),
        e.getMessage());
  }

  @Test
  void earlyStoppingReturnsTheBestValidatedTables() {
    Interactions data = Fixtures.checkerboardWithoutDiagonal(20);
    TrainerTest.ScriptedValidator v = new TrainerTest.ScriptedValidator(0.1, 0.5, 0.2, 0.3, 0.9);
    TrainResult r =
        Trainer.train(
            data, null, null, config(5L).withEpochs(5).withPatience(2).withKeepBest(true), v, null);
    assertEquals(
        4,
        r.summary().epochsRun(),
        "two validations without improvement after epoch 2 stop the run");
    assertEquals(2, r.summary().bestEpoch());
    assertArrayEquals(v.seen.get(1).userTable().data(), r.model().userTable().data());
    assertArrayEquals(v.seen.get(1).itemTable().data(), r.model().itemTable().data());
    assertEquals(
        v.seen.get(1).scorer(), r.model().scorer(), "the best epoch's scorer (gmf: its h)");
  }

  /**
   * A run that crashed after its checkpoint and was resumed from it ends with the tables of the
   * uninterrupted run, bitwise (one thread), with the same losses and validation log.
   */
  @Test
  void resumingFromACheckpointEqualsTheUninterruptedRun(@TempDir Path dir) {
    Interactions data = Fixtures.checkerboardWithoutDiagonal(20);
    TrainConfig c = config(7L).withEpochs(4).withThreads(1).withPatience(0).withKeepBest(false);
    TrainResult whole =
        Trainer.train(
            data, null, null, c, new TrainerTest.ScriptedValidator(0.1, 0.4, 0.2, 0.3), null);

    Path ckpt = dir.resolve("run.ckpt");
    TrainingListener crashInEpoch3 =
        new TrainingListener() {
          @Override
          public void onEpochStart(int epoch, long epochRecords) {
            if (epoch == 3) {
              throw new IllegalStateException("crash");
            }
          }
        };
    assertThrows(
        IllegalStateException.class,
        () ->
            Trainer.train(
                data,
                null,
                null,
                c,
                new TrainerTest.ScriptedValidator(0.1, 0.4, 0.2, 0.3),
                crashInEpoch3,
                new Checkpointing(ckpt, 2, null)));
    TrainResult resumed =
        Trainer.train(
            data,
            null,
            null,
            c,
            new TrainerTest.ScriptedValidator(0.2, 0.3),
            null,
            new Checkpointing(null, 1, ckpt));

    if (resumesBitwise()) {
      assertArrayEquals(whole.model().userTable().data(), resumed.model().userTable().data());
      assertArrayEquals(whole.model().itemTable().data(), resumed.model().itemTable().data());
      assertEquals(
          whole.model().scorer(), resumed.model().scorer(), "the scorer (gmf: its learned h)");
      assertEquals(whole.summary().epochLosses(), resumed.summary().epochLosses());
    } else {
      assertEquals(
          whole.summary().epochLosses().subList(0, 2),
          resumed.summary().epochLosses().subList(0, 2),
          "the checkpointed epochs");
      assertEquals(4, resumed.summary().epochLosses().size());
    }
    assertEquals(whole.summary().recordsConsumed(), resumed.summary().recordsConsumed());
    assertEquals(whole.summary().bestEpoch(), resumed.summary().bestEpoch());
    assertEquals(4, resumed.summary().convergence().size());

    // another configuration cannot resume from it
    java.io.UncheckedIOException e =
        assertThrows(
            java.io.UncheckedIOException.class,
            () ->
                Trainer.train(
                    data,
                    null,
                    null,
                    c.withDim(c.dim() + 1),
                    null,
                    null,
                    new Checkpointing(null, 1, ckpt)));
    assertTrue(e.getCause() instanceof Checkpoint.CheckpointException, e.toString());
  }

  /** Small, fast settings that the checkerboard needs (1,200 pairs). */
  static TrainConfig checkerboardConfig(ObjectiveSpec objective, long seed) {
    ModelSpec model = new ModelSpec(16, objective.preferredScorer(), 0.2f, 0.1f);
    if (objective.modelProblem(model) != null) {
      model = model.withTemperature(1f); // CCL: raw cosine scores
    }
    return TrainConfig.defaults()
        .withModel(model)
        .withMethod(objective, objective.defaultSamplerSpec())
        .withBatchSize(64)
        .withEpochs(40)
        .withLearningRate(0.01f)
        .withThreads(1)
        .withSeed(seed);
  }
}
