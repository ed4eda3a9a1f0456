package org.totalrecall.train;

import java.util.Locale;
import java.util.SplittableRandom;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.NumericRange;
import org.totalrecall.model.Scorer;
import org.totalrecall.util.Checks;

/**
 * Trains a two-tower model (a user table and an item table) with a batch objective over
 * mini-batches of positive pairs: TotalRecall's Bi-InfoNCE (eq. 3) or a Uni-InfoNCE term, with
 * in-batch negatives and the logQ correction (Yi et al. 2019), cosine/temperature (eq. 2) or dot
 * scores, and a per-row optimizer (Adam, Adagrad, SGD). The objective ({@code loss} package)
 * computes the loss and score gradients, the sampler ({@code sampler} package) supplies the
 * candidates and their log-probabilities, and this class owns the parameters and their updates; new
 * objectives, samplers and optimizers are new classes, not edits to this loop.
 *
 * <p>Strength of the correction. The objective sees {@code s − α·log Q} for every candidate, with α
 * = {@code logQWeight} (the sampler always reports its true log Q). α = 1 is Yi et al.'s
 * correction: with infinitely many in-batch negatives the corrected softmax is the full softmax and
 * φ → log p(i|u) (u2i term). Working through the same fixed point with α ≠ 1 gives φ → log p(i|u) +
 * (α − 1)·log q(i): α above 1 gives back part of the popularity that the correction took out, and α
 * = 0 is the uncorrected loss. With a finite batch the correction over-rewards rare candidates: a
 * rare item that is drawn carries weight 1/q(i) and takes nearly all of its row's softmax mass, so
 * it is pushed down less than the full softmax would push it. α is the knob that trades this off;
 * its default and the measurements behind it are in {@link TrainConfig}.
 *
 * <p>Each epoch shuffles the training pairs with the seeded generator and cuts them into
 * mini-batches; a fixed pool of {@code threads} platform threads splits the batches statically
 * (round-robin), each worker owning whole mini-batches and updating the shared tables without locks
 * (Hogwild!, Niu et al. 2011). With {@code threads = 1} and a fixed seed a run is bitwise
 * reproducible. Every stored (user, item) pair of {@code train} is one positive; weights are not
 * used.
 *
 * <p>With a {@link Validator}, the model is validated every {@code evalEvery} epochs (and every
 * {@code evalEveryRecords} records if set, and after the last epoch); each validation is logged
 * against records consumed; training stops after {@code patience} validations without improvement;
 * with {@code keepBest} the tables of the best validation are returned. A NaN or infinite batch
 * loss, a batch loss over {@link #EXPLOSION_FACTOR} times the first one, or, at the once-per-epoch
 * check, a non-finite table entry or tables whose dot scores overflow float ({@link NumericRange}),
 * stops training with a {@link TrainingDivergedException} naming the epoch; with {@code keepBest}
 * it carries the best finite validated result.
 *
 * <p>Stateless: {@link #train} may be called concurrently with different inputs.
 */
public final class Trainer {

  /**
   * A batch loss above this many times the first batch's (the loss at initialisation, at least 1)
   * is divergence even while it is finite: no objective of this library grows a millionfold while
   * it learns.
   */
  public static final double EXPLOSION_FACTOR = 1e6;

  private Trainer() {}

  /**
   * Trains a new model on {@code train} (rows = dense users, columns = dense items).
   *
   * @param users external ids of the users (size = train.numUsers()); null for identity ids
   * @param items external ids of the items (size = train.numItems()); null for identity ids
   * @param validatorOrNull validation for early stopping and the convergence log, or null
   * @param listenerOrNull progress callbacks, or null
   * @return the model (metadata {@code config} and {@code training}, {@code seen} = train) and the
   *     summary
   * @throws TrainingDivergedException if a loss or parameter becomes NaN or infinite
   * @throws IllegalArgumentException if the inputs disagree in size or train is empty
   */
  public static TrainResult train(
      Interactions train,
      IdIndex users,
      IdIndex items,
      TrainConfig config,
      Validator validatorOrNull,
      TrainingListener listenerOrNull) {
    return train(
        train, users, items, config, validatorOrNull, listenerOrNull, Checkpointing.none());
  }

  /**
   * As {@link #train(Interactions, IdIndex, IdIndex, TrainConfig, Validator, TrainingListener)},
   * writing a checkpoint every {@code checkpointing.everyEpochs()} epochs and/or resuming from one:
   * a run resumed from its checkpoint after epoch e ends with exactly the tables of the
   * uninterrupted run (one thread; with more, as reproducible as Hogwild is).
   *
   * @throws java.io.UncheckedIOException if a checkpoint cannot be written or read; its cause is a
   *     {@link Checkpoint.CheckpointException} if the one to resume from is corrupt or belongs to
   *     another configuration or other data
   */
  public static TrainResult train(
      Interactions train,
      IdIndex users,
      IdIndex items,
      TrainConfig config,
      Validator validatorOrNull,
      TrainingListener listenerOrNull,
      Checkpointing checkpointing) {
    return train(train, users, items, config, validatorOrNull, listenerOrNull, checkpointing, null);
  }

  /**
   * Trains {@code config} on {@code train} starting from copies of the given tables instead of the
   * seeded initialisation (the optimizer's state starts afresh): one round of data-parallel
   * training with model averaging, where each worker continues the averaged tables on its shard.
   *
   * @param startUsers the user table to start from (numUsers × dim; not modified)
   * @param startItems the item table to start from (numItems × dim; not modified)
   */
  public static TrainResult trainFrom(
      Interactions train,
      TrainConfig config,
      EmbeddingTable startUsers,
      EmbeddingTable startItems) {
    Checks.notNull("startUsers", startUsers);
    Checks.notNull("startItems", startItems);
    return train(
        train,
        null,
        null,
        config,
        null,
        null,
        Checkpointing.none(),
        new EmbeddingTable[] {startUsers, startItems});
  }

  private static TrainResult train(
      Interactions train,
      IdIndex users,
      IdIndex items,
      TrainConfig config,
      Validator validatorOrNull,
      TrainingListener listenerOrNull,
      Checkpointing checkpointing,
      EmbeddingTable[] start) {
    Checks.notNull("checkpointing", checkpointing);
    Checks.notNull("train", train);
    Checks.notNull("config", config);
    if (users != null && users.size() != train.numUsers()) {
      throw new IllegalArgumentException(
          "users has " + users.size() + " ids but train has " + train.numUsers() + " user rows");
    }
    if (items != null && items.size() != train.numItems()) {
      throw new IllegalArgumentException(
          "items has " + items.size() + " ids but train has " + train.numItems() + " item columns");
    }
    if (train.size() == 0) {
      throw new IllegalArgumentException("train has no interactions");
    }
    checkResources(train.numUsers(), train.numItems(), train.size(), config);
    VectorOps ops = VectorOps.best();
    SplittableRandom master = new SplittableRandom(config.seed());
    EmbeddingTable userTable =
        EmbeddingTable.gaussian(train.numUsers(), config.dim(), config.initStd(), master.split());
    EmbeddingTable itemTable =
        EmbeddingTable.gaussian(train.numItems(), config.dim(), config.initStd(), master.split());
    if (start != null) {
      if (start[0].rows() != userTable.rows()
          || start[1].rows() != itemTable.rows()
          || start[0].dim() != config.dim()
          || start[1].dim() != config.dim()) {
        throw new IllegalArgumentException(
            "the starting tables are "
                + start[0].rows()
                + " x "
                + start[0].dim()
                + " and "
                + start[1].rows()
                + " x "
                + start[1].dim()
                + ", the run needs "
                + userTable.rows()
                + " and "
                + itemTable.rows()
                + " rows of "
                + config.dim());
      }
      System.arraycopy(start[0].data(), 0, userTable.data(), 0, userTable.data().length);
      System.arraycopy(start[1].data(), 0, itemTable.data(), 0, itemTable.data().length);
    }
    Solver solver = config.objective().createSolver(train, config, userTable, itemTable, ops);
    String fingerprint =
        checkpointing.file() == null && checkpointing.resumeFrom() == null
            ? null
            : org.totalrecall.data.DataFingerprint.of(
                train,
                users != null ? users : IdIndex.identity(train.numUsers()),
                items != null ? items : IdIndex.identity(train.numItems()));
    return new TrainingDriver(
            train,
            users,
            items,
            config,
            validatorOrNull,
            listenerOrNull,
            solver,
            ops.name(),
            checkpointing,
            fingerprint)
        .run();
  }

  /**
   * Checks, before anything is allocated, that training {@code config} on a matrix of {@code
   * numUsers × numItems} with {@code numPositives} pairs fits in Java arrays and in {@code
   * availableBytes} of heap. The estimate counts the two tables, the optimizer's state (Adam: two
   * moments and a step per row; Adagrad: one accumulator), the validation snapshots with {@code
   * keepBest}, the epoch's pair arrays, and each worker's batch buffers (score, gradient and
   * transposed matrices of (B + M)² floats and the gathered rows).
   *
   * @throws IllegalArgumentException naming the config fields and the sizes if it does not fit
   */
  public static void checkResources(
      int numUsers, int numItems, long numPositives, TrainConfig config, long availableBytes) {
    Checks.notNull("config", config);
    long d = config.dim();
    long maxRows = Math.max(numUsers, numItems);
    if (maxRows * d > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "dim "
              + d
              + " makes a table of "
              + maxRows
              + " × "
              + d
              + " floats, more than one Java array holds (2^31 − 1)");
    }
    long tableBytes = 4L * (numUsers + (long) numItems) * d;
    long optimizerBytes =
        switch (config.optimizer()) {
          case ADAM -> 2 * tableBytes + 8L * (numUsers + (long) numItems);
          case ADAGRAD -> tableBytes;
          case SGD -> 0;
        };
    long snapshotBytes = config.keepBest() ? 2 * tableBytes : 0;
    long pairBytes = 16L * numPositives;
    long rows = config.sampler().maxUserCandidates(config.batchSize());
    long cols = config.sampler().maxItemCandidates(config.batchSize());
    long workerBytes = 4L * (4 * rows * cols + 2 * (rows + cols) * d);
    long total =
        tableBytes + optimizerBytes + snapshotBytes + pairBytes + config.threads() * workerBytes;
    if (total > availableBytes) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "not enough memory: dim %d, batchSize %d, threads %d need about %s (tables and optimizer state %s, "
                  + "%d worker buffers of %s) but about %s of heap is free",
              d,
              config.batchSize(),
              config.threads(),
              bytes(total),
              bytes(tableBytes + optimizerBytes + snapshotBytes),
              config.threads(),
              bytes(workerBytes),
              bytes(availableBytes)));
    }
  }

  /**
   * {@link #checkResources(int, int, long, TrainConfig, long)} against this JVM's free heap
   * (measured again after a collection before refusing, so that garbage does not count as used).
   */
  public static void checkResources(
      int numUsers, int numItems, long numPositives, TrainConfig config) {
    try {
      checkResources(numUsers, numItems, numPositives, config, freeHeapBytes());
    } catch (IllegalArgumentException e) {
      System.gc();
      checkResources(numUsers, numItems, numPositives, config, freeHeapBytes());
    }
  }

  private static long freeHeapBytes() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  private static String bytes(long n) {
    if (n >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
  }

  /**
   * The once-per-epoch check (implicit's {@code _check_factors}): throws if either table holds a
   * NaN or infinite entry, naming the epoch and the table.
   */
  static void checkFinite(int epoch, EmbeddingTable users, EmbeddingTable items, Scorer scorer) {
    if (users.firstNonFinite() >= 0) {
      throw new TrainingDivergedException(epoch, "users");
    }
    if (items.firstNonFinite() >= 0) {
      throw new TrainingDivergedException(epoch, "items");
    }
    String range = NumericRange.problem(users, items, scorer);
    if (range != null) {
      throw new TrainingDivergedException(epoch, "scores", range, null);
    }
  }
}
