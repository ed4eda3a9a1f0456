package org.totalrecall.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.NumericRange;
import org.totalrecall.model.Scorer;
import org.totalrecall.sampler.BatchSampler;
import org.totalrecall.sampler.SamplerContext;
import org.totalrecall.util.Checks;

/**
 * Trains a two-tower model (a user table and an item table) with a batch objective over
 * mini-batches of positive pairs: TotalRecall's Bi-InfoNCE (eq. 3) or a Uni-InfoNCE term, with
 * in-batch negatives and the logQ correction (Yi et al. 2019), cosine/temperature (eq. 2) or dot
 * scores, and a per-row optimizer (Adam, Adagrad, SGD). The objective ({@code loss} package)
 * computes the loss and score gradients, the sampler ({@code sampler} package) supplies the
 * candidates and their log-probabilities, and this class owns the parameters and their updates;
 * new objectives, samplers and optimizers are new classes, not edits to this loop.
 *
 * <p>Strength of the correction. The objective sees {@code s − α·log Q} for every candidate, with
 * α = {@code logQWeight} (the sampler always reports its true log Q). α = 1 is Yi et al.'s correction:
 * with infinitely many in-batch negatives the corrected softmax is the full softmax and φ → log p(i|u)
 * (u2i term). Working through the same fixed point with α ≠ 1 gives φ → log p(i|u) + (α − 1)·log q(i):
 * α above 1 gives back part of the popularity that the correction took out, and α = 0 is the
 * uncorrected loss. With a finite batch the correction over-rewards rare candidates: a rare item
 * that is drawn carries weight 1/q(i) and takes nearly all of its row's softmax mass, so it is
 * pushed down less than the full softmax would push it. α is the knob that trades this off; its
 * default and the measurements behind it are in {@link TrainConfig}.
 *
 * <p>Each epoch shuffles the training pairs with the seeded generator and cuts them into
 * mini-batches; a fixed pool of {@code threads} platform threads splits the batches statically (round-robin),
 * each worker owning whole mini-batches and updating the shared tables without locks (Hogwild!,
 * Niu et al. 2011). With {@code threads = 1} and a fixed seed a run is bitwise reproducible.
 * Every stored (user, item) pair of {@code train} is one positive; weights are not used.
 *
 * <p>With a {@link Validator}, the model is validated every {@code evalEvery} epochs (and every
 * {@code evalEveryRecords} records if set, and after the last epoch); each validation is logged
 * against records consumed; training stops after {@code patience} validations without
 * improvement; with {@code keepBest} the tables of the best validation are returned. A NaN or
 * infinite batch loss, a batch loss over {@link #EXPLOSION_FACTOR} times the first one, or, at
 * the once-per-epoch check, a non-finite table entry or tables whose dot scores overflow float
 * ({@link NumericRange}), stops training with a {@link TrainingDivergedException} naming the
 * epoch; with {@code keepBest} it carries the best finite validated result.
 *
 * <p>Stateless: {@link #train} may be called concurrently with different inputs.
 */
public final class Trainer {
  private static final long PROGRESS_EVERY = 4096;

  /**
   * A batch loss above this many times the first batch's (the loss at initialisation, at least
   * 1) is divergence even while it is finite: no objective of this library grows a millionfold
   * while it learns.
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
   * @return the model (metadata {@code config} and {@code training}, {@code seen} = train) and
   *     the summary
   * @throws TrainingDivergedException if a loss or parameter becomes NaN or infinite
   * @throws IllegalArgumentException if the inputs disagree in size or train is empty
   */
  public static TrainResult train(Interactions train, IdIndex users, IdIndex items, TrainConfig config,
      Validator validatorOrNull, TrainingListener listenerOrNull) {
    Checks.notNull("train", train);
    Checks.notNull("config", config);
    if (users != null && users.size() != train.numUsers()) {
      throw new IllegalArgumentException("users has " + users.size() + " ids but train has "
          + train.numUsers() + " user rows");
    }
    if (items != null && items.size() != train.numItems()) {
      throw new IllegalArgumentException("items has " + items.size() + " ids but train has "
          + train.numItems() + " item columns");
    }
    if (train.size() == 0) {
      throw new IllegalArgumentException("train has no interactions");
    }
    checkResources(train.numUsers(), train.numItems(), train.size(), config);
    return new Run(train, users, items, config, validatorOrNull, listenerOrNull).execute();
  }

  /**
   * Checks, before anything is allocated, that training {@code config} on a matrix of
   * {@code numUsers × numItems} with {@code numPositives} pairs fits in Java arrays and in
   * {@code availableBytes} of heap. The estimate counts the two tables, the optimizer's state
   * (Adam: two moments and a step per row; Adagrad: one accumulator), the validation snapshots
   * with {@code keepBest}, the epoch's pair arrays, and each worker's batch buffers (score,
   * gradient and transposed matrices of (B + M)² floats and the gathered rows).
   *
   * @throws IllegalArgumentException naming the config fields and the sizes if it does not fit
   */
  public static void checkResources(int numUsers, int numItems, long numPositives, TrainConfig config,
      long availableBytes) {
    Checks.notNull("config", config);
    long d = config.dim();
    long maxRows = Math.max(numUsers, numItems);
    if (maxRows * d > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("dim " + d + " makes a table of " + maxRows + " × " + d
          + " floats, more than one Java array holds (2^31 − 1)");
    }
    long tableBytes = 4L * (numUsers + (long) numItems) * d;
    long optimizerBytes = switch (config.optimizer()) {
      case ADAM -> 2 * tableBytes + 8L * (numUsers + (long) numItems);
      case ADAGRAD -> tableBytes;
      case SGD -> 0;
    };
    long snapshotBytes = config.keepBest() ? 2 * tableBytes : 0;
    long pairBytes = 16L * numPositives;
    long r = config.sampler().maxCandidates(config.batchSize());
    long workerBytes = 4L * (4 * r * r + 4 * r * d);
    long total = tableBytes + optimizerBytes + snapshotBytes + pairBytes + config.threads() * workerBytes;
    if (total > availableBytes) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "not enough memory: dim %d, batchSize %d, threads %d need about %s (tables and optimizer state %s, "
              + "%d worker buffers of %s) but about %s of heap is free",
          d, config.batchSize(), config.threads(), bytes(total), bytes(tableBytes + optimizerBytes + snapshotBytes),
          config.threads(), bytes(workerBytes), bytes(availableBytes)));
    }
  }

  /**
   * {@link #checkResources(int, int, long, TrainConfig, long)} against this JVM's free heap
   * (measured again after a collection before refusing, so that garbage does not count as used).
   */
  public static void checkResources(int numUsers, int numItems, long numPositives, TrainConfig config) {
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

  /** The state of one training run. */
  private static final class Run {
    private final Interactions train;
    private final IdIndex userIds;
    private final IdIndex itemIds;
    private final TrainConfig config;
    private final Validator validator;
    private final TrainingListener listener;
    private final VectorOps ops = VectorOps.best();
    private final int numPositives;
    private final int[] pairUsers;
    private final int[] pairItems;
    private final int[] epochUsers;
    private final int[] epochItems;
    private final EmbeddingTable users;
    private final EmbeddingTable items;
    private final SplittableRandom shuffleRng;
    private final BatchWorker[] workers;
    private final RowOptimizer userOptimizer;
    private final RowOptimizer itemOptimizer;
    private final AtomicLong epochProgress = new AtomicLong();
    private final Object listenerLock = new Object();

    private long recordsConsumed;
    private long trainNanos;
    private final List<ConvergencePoint> convergence = new ArrayList<>();
    private final List<Double> epochLosses = new ArrayList<>();
    private final List<Double> epochRates = new ArrayList<>();
    private double bestValue = Double.NEGATIVE_INFINITY;
    private int bestEpoch;
    private Map<String, Double> bestMetrics = Map.of();
    private FactorModel bestModel;
    private int validationsWithoutImprovement;
    private boolean stopRequested;
    /** The loss of the first batch (at initialisation); NaN until it is known. */
    private volatile double initialLoss = Double.NaN;

    Run(Interactions train, IdIndex userIds, IdIndex itemIds, TrainConfig config, Validator validator,
        TrainingListener listener) {
      this.train = train;
      this.userIds = userIds;
      this.itemIds = itemIds;
      this.config = config;
      this.validator = validator;
      this.listener = listener;
      this.numPositives = train.size();
      this.pairUsers = new int[numPositives];
      this.pairItems = new int[numPositives];
      int[] cols = train.cols();
      for (int u = 0; u < train.numUsers(); u++) {
        for (int p = train.start(u); p < train.end(u); p++) {
          pairUsers[p] = u;
          pairItems[p] = cols[p];
        }
      }
      this.epochUsers = new int[numPositives];
      this.epochItems = new int[numPositives];
      SplittableRandom master = new SplittableRandom(config.seed());
      this.users = EmbeddingTable.gaussian(train.numUsers(), config.dim(), config.initStd(), master.split());
      this.items = EmbeddingTable.gaussian(train.numItems(), config.dim(), config.initStd(), master.split());
      this.shuffleRng = master.split();
      long totalSteps = (long) config.epochs() * ((numPositives + config.batchSize() - 1) / config.batchSize());
      LearningRateSchedule schedule =
          new LearningRateSchedule(config.learningRate(), config.learningRateDecay(), totalSteps);
      this.userOptimizer = config.optimizer().create(train.numUsers(), config.dim(), config.optimization(), schedule);
      this.itemOptimizer = config.optimizer().create(train.numItems(), config.dim(), config.optimization(), schedule);
      BatchSampler sampler = config.sampler().create(new SamplerContext(train, config.batchSize(), users, items));
      this.workers = new BatchWorker[config.threads()];
      for (int w = 0; w < workers.length; w++) {
        workers[w] = new BatchWorker(users, items, userOptimizer, itemOptimizer, config.objective().create(ops),
            sampler.forWorker(), ops, config, master.split());
      }
    }

    TrainResult execute() {
      try {
        return run();
      } catch (TrainingDivergedException e) {
        if (config.keepBest() && bestModel != null) {
          throw e.withBestFinite(result(epochsRun, true, true));
        }
        throw e;
      }
    }

    private long wallStart;
    private int epochsRun;

    private TrainResult run() {
      wallStart = System.nanoTime();
      ExecutorService pool = config.threads() > 1 ? Executors.newFixedThreadPool(config.threads(), r -> {
        Thread t = new Thread(r, "totalrecall-train");
        t.setDaemon(true);
        return t;
      }) : null;
      try {
        final int batchSize = config.batchSize();
        final int numBatches = (numPositives + batchSize - 1) / batchSize;
        final long evalRecords = validator == null ? 0 : config.evalEveryRecords();
        for (int epoch = 1; epoch <= config.epochs() && !stopRequested; epoch++) {
          if (listener != null) {
            synchronized (listenerLock) {
              listener.onEpochStart(epoch, numPositives);
            }
          }
          long shuffleStart = System.nanoTime();
          shuffle();
          epochProgress.set(0);
          double lossSum = 0;
          long epochNanos = System.nanoTime() - shuffleStart; // the shuffle is training work too
          long epochRecords = 0;
          int batch = 0;
          while (batch < numBatches) {
            // a segment ends where a records-based validation is due (or at the epoch end)
            int segmentEnd = numBatches;
            if (evalRecords > 0) {
              long nextEval = (recordsConsumed / evalRecords + 1) * evalRecords;
              long batchesToEval = (nextEval - recordsConsumed + batchSize - 1) / batchSize;
              segmentEnd = (int) Math.min(numBatches, batch + Math.max(1, batchesToEval));
            }
            long segStart = System.nanoTime();
            lossSum += runSegment(pool, epoch, batch, segmentEnd, numBatches);
            long segNanos = System.nanoTime() - segStart;
            epochNanos += segNanos;
            long segRecords = Math.min((long) segmentEnd * batchSize, numPositives)
                - Math.min((long) batch * batchSize, numPositives);
            recordsConsumed += segRecords;
            epochRecords += segRecords;
            batch = segmentEnd;
            if (evalRecords > 0 && batch < numBatches
                && recordsConsumed / evalRecords != (recordsConsumed - segRecords) / evalRecords) {
              flushOptimizers((long) (epoch - 1) * numBatches + batch);
              validate(epoch);
              if (stopRequested) {
                break;
              }
            }
          }
          trainNanos += epochNanos;
          epochsRun = epoch;
          flushOptimizers((long) (epoch - 1) * numBatches + batch);
          checkFinite(epoch, users, items, config.toScorer());
          double meanLoss = lossSum / Math.max(1, batch);
          epochLosses.add(meanLoss);
          epochRates.add(epochRecords / Math.max(1e-9, epochNanos / 1e9));
          if (listener != null) {
            synchronized (listenerLock) {
              listener.onEpochEnd(epoch, meanLoss, recordsConsumed);
            }
          }
          if (validator != null && !stopRequested
              && (epoch % config.evalEvery() == 0 || epoch == config.epochs())) {
            validate(epoch);
          }
        }
      } finally {
        if (pool != null) {
          pool.shutdownNow();
        }
      }
      boolean restored = config.keepBest() && bestModel != null;
      return result(epochsRun, restored, stopRequested && epochsRun < config.epochs());
    }

    /** The result of the run so far: the best validated tables if {@code restored}, else the live ones. */
    private TrainResult result(int epochsRun, boolean restored, boolean stoppedEarly) {
      EmbeddingTable finalUsers = restored ? bestModel.userTable() : users;
      EmbeddingTable finalItems = restored ? bestModel.itemTable() : items;
      double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
      double trainSeconds = trainNanos / 1e9;
      TrainingSummary summary = new TrainingSummary(epochsRun, bestEpoch, bestMetrics, recordsConsumed,
          wallSeconds, trainSeconds, recordsConsumed / Math.max(1e-9, trainSeconds), epochLosses, epochRates,
          convergence, stoppedEarly, restored, config.threads(), ops.name());
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("config", config.toMap());
      metadata.put("training", summary.toMap());
      FactorModel model = new FactorModel(finalUsers, finalItems, userIds, itemIds, config.toScorer(), metadata, train);
      return new TrainResult(model, summary);
    }

    /** Fisher–Yates over the pair indices, then lays the epoch's pairs out contiguously. */
    private void shuffle() {
      // epochUsers doubles as the permutation buffer: first indices, then resolved to users
      int[] idx = epochUsers;
      for (int p = 0; p < numPositives; p++) {
        idx[p] = p;
      }
      for (int p = numPositives - 1; p > 0; p--) {
        int q = shuffleRng.nextInt(p + 1);
        int t = idx[p];
        idx[p] = idx[q];
        idx[q] = t;
      }
      for (int p = 0; p < numPositives; p++) {
        int pair = idx[p];
        epochItems[p] = pairItems[pair];
        idx[p] = pairUsers[pair];
      }
    }

    /** Trains batches [from, to) of the epoch, split statically over the workers; returns the loss sum. */
    private double runSegment(ExecutorService pool, int epoch, int from, int to, int numBatches) {
      int n = workers.length;
      if (pool == null || to - from < 2) {
        return runBatches(workers[0], epoch, from, to, 1);
      }
      List<Future<Double>> futures = new ArrayList<>(n);
      for (int w = 0; w < n; w++) {
        // round-robin: worker w takes batches from + w, from + w + n, ...; all workers then move
        // through the global step count at the same pace, which the optimizers' notion of time
        // (Adam's decay of skipped steps) relies on
        final int first = from + w;
        final BatchWorker worker = workers[w];
        futures.add(pool.submit(() -> runBatches(worker, epoch, first, to, n)));
      }
      double sum = 0;
      RuntimeException first = null;
      for (Future<Double> f : futures) {
        try {
          sum += f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (first == null) {
            first = cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("training interrupted", e);
        }
      }
      if (first != null) {
        throw first;
      }
      return sum;
    }

    /**
     * One worker's share: batches from, from + stride, ... below to. Stops at the first
     * non-finite batch loss.
     */
    private double runBatches(BatchWorker worker, int epoch, int from, int to, int stride) {
      final int batchSize = config.batchSize();
      final long stepBase = (long) (epoch - 1) * numBatches();
      double sum = 0;
      for (int batch = from; batch < to; batch += stride) {
        int start = batch * batchSize;
        int size = Math.min(batchSize, numPositives - start);
        float loss = worker.trainBatch(epochUsers, epochItems, start, size, stepBase + batch + 1);
        if (!Float.isFinite(loss)) {
          throw new TrainingDivergedException(epoch, nonFiniteTable());
        }
        if (epoch == 1 && batch == 0) {
          initialLoss = loss;
        }
        double reference = initialLoss;
        if (loss > EXPLOSION_FACTOR * Math.max(1, reference)) { // false while reference is NaN
          throw new TrainingDivergedException(epoch, "loss", String.format(Locale.ROOT,
              "the batch loss reached %.3g, over %.0e times the initial %.4g", loss, EXPLOSION_FACTOR, reference),
              null);
        }
        sum += loss;
        long after = epochProgress.addAndGet(size);
        if (listener != null && after / PROGRESS_EVERY != (after - size) / PROGRESS_EVERY) {
          synchronized (listenerLock) {
            listener.onProgress(epoch, after);
          }
        }
      }
      return sum;
    }

    private int numBatches() {
      return (numPositives + config.batchSize() - 1) / config.batchSize();
    }

    /** Brings the optimizers' pending moves (Adam's zero-gradient steps) into the tables. */
    private void flushOptimizers(long step) {
      userOptimizer.flush(users.data(), step);
      itemOptimizer.flush(items.data(), step);
    }

    private String nonFiniteTable() {
      if (users.firstNonFinite() >= 0) {
        return "users";
      }
      if (items.firstNonFinite() >= 0) {
        return "items";
      }
      return "loss";
    }


    private void validate(int epoch) {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("config", config.toMap());
      FactorModel snapshot = new FactorModel(users.copy(), items.copy(), userIds, itemIds, config.toScorer(), meta, train);
      Map<String, Double> metrics = new HashMap<>(validator.validate(snapshot));
      String key = validator.monitoredMetric();
      Double value = metrics.get(key);
      if (value == null) {
        throw new IllegalStateException("validator returned no \"" + key + "\" (the monitored metric); got "
            + new java.util.TreeMap<>(metrics).keySet());
      }
      convergence.add(new ConvergencePoint(recordsConsumed, epoch, metrics));
      boolean improved = value > bestValue;
      if (improved) {
        bestValue = value;
        bestEpoch = epoch;
        bestMetrics = metrics;
        bestModel = config.keepBest() ? snapshot : null;
        validationsWithoutImprovement = 0;
      } else {
        validationsWithoutImprovement++;
        if (config.patience() > 0 && validationsWithoutImprovement >= config.patience()) {
          stopRequested = true;
        }
      }
      if (listener != null) {
        synchronized (listenerLock) {
          listener.onEvaluation(epoch, recordsConsumed, metrics, improved);
        }
      }
    }
  }
}
