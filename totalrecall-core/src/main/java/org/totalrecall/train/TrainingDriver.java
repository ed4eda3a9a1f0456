package org.totalrecall.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;

/**
 * The one loop around every {@link Solver}: epochs, records-consumed accounting, validation
 * (every {@code evalEvery} epochs, every {@code evalEveryRecords} records, after the last epoch),
 * the convergence log, early stopping with keep-best, progress callbacks, and divergence: a
 * non-finite step loss, a step loss over {@link Trainer#EXPLOSION_FACTOR} times the first one, or
 * at the end of each epoch a non-finite table entry or dot tables whose scores overflow float
 * ({@link Trainer#checkFinite}); with keep-best the {@link TrainingDivergedException} carries the
 * best finite validated result. One instance per run; not reusable.
 */
final class TrainingDriver {
  private static final long PROGRESS_EVERY = 4096;

  private final Interactions train;
  private final IdIndex userIds;
  private final IdIndex itemIds;
  private final TrainConfig config;
  private final Validator validator;
  private final TrainingListener listener;
  private final Solver solver;
  private final String opsName;
  private final AtomicLong epochProgress = new AtomicLong();
  private final Object listenerLock = new Object();

  private long recordsConsumed;
  private long trainNanos;
  private long wallStart;
  private int epochsRun;
  private final List<ConvergencePoint> convergence = new ArrayList<>();
  private final List<Double> epochLosses = new ArrayList<>();
  private final List<Double> epochRates = new ArrayList<>();
  private double bestValue = Double.NEGATIVE_INFINITY;
  private int bestEpoch;
  private Map<String, Double> bestMetrics = Map.of();
  private FactorModel bestModel;
  private int validationsWithoutImprovement;
  private boolean stopRequested;
  /** The loss of the first step (at initialisation); NaN until it is known. */
  private volatile double initialLoss = Double.NaN;

  TrainingDriver(Interactions train, IdIndex userIds, IdIndex itemIds, TrainConfig config, Validator validator,
      TrainingListener listener, Solver solver, String opsName) {
    this.train = train;
    this.userIds = userIds;
    this.itemIds = itemIds;
    this.config = config;
    this.validator = validator;
    this.listener = listener;
    this.solver = solver;
    this.opsName = opsName;
  }

  /** Runs the whole training; see the class Javadoc. */
  TrainResult run() {
    try {
      return loop();
    } catch (TrainingDivergedException e) {
      if (config.keepBest() && bestModel != null) {
        throw e.withBestFinite(result(true, true));
      }
      throw e;
    }
  }

  private TrainResult loop() {
    wallStart = System.nanoTime();
    ExecutorService pool = solver.concurrentSteps() && solver.workers() > 1
        ? Executors.newFixedThreadPool(solver.workers(), r -> {
          Thread t = new Thread(r, "totalrecall-train");
          t.setDaemon(true);
          return t;
        })
        : null;
    try {
      final long evalRecords = validator == null ? 0 : config.evalEveryRecords();
      for (int epoch = 1; epoch <= config.epochs() && !stopRequested; epoch++) {
        long epochStart = System.nanoTime();
        int numSteps = solver.beginEpoch(epoch); // the shuffle is training work too
        long epochNanos = System.nanoTime() - epochStart;
        if (listener != null) {
          synchronized (listenerLock) {
            listener.onEpochStart(epoch, train.size());
          }
        }
        epochProgress.set(0);
        double lossSum = 0;
        long epochRecords = 0;
        int step = 0;
        while (step < numSteps) {
          // a segment ends where a records-based validation is due (or at the epoch end)
          int segmentEnd = numSteps;
          if (evalRecords > 0) {
            long due = (recordsConsumed / evalRecords + 1) * evalRecords;
            segmentEnd = step + 1;
            long seg = solver.records(step);
            while (segmentEnd < numSteps && recordsConsumed + seg < due) {
              seg += solver.records(segmentEnd);
              segmentEnd++;
            }
          }
          long segStart = System.nanoTime();
          lossSum += runSegment(pool, epoch, step, segmentEnd, numSteps);
          epochNanos += System.nanoTime() - segStart;
          long segRecords = 0;
          for (int s = step; s < segmentEnd; s++) {
            segRecords += solver.records(s);
          }
          recordsConsumed += segRecords;
          epochRecords += segRecords;
          step = segmentEnd;
          if (evalRecords > 0 && step < numSteps
              && recordsConsumed / evalRecords != (recordsConsumed - segRecords) / evalRecords) {
            solver.flush((long) (epoch - 1) * numSteps + step);
            validate(epoch);
            if (stopRequested) {
              break;
            }
          }
        }
        trainNanos += epochNanos;
        epochsRun = epoch;
        solver.flush((long) (epoch - 1) * numSteps + step);
        Trainer.checkFinite(epoch, solver.users(), solver.items(), config.toScorer());
        double meanLoss = lossSum / Math.max(1, step);
        epochLosses.add(meanLoss);
        epochRates.add(epochRecords / Math.max(1e-9, epochNanos / 1e9));
        if (listener != null) {
          synchronized (listenerLock) {
            listener.onEpochEnd(epoch, meanLoss, recordsConsumed);
          }
        }
        if (validator != null && !stopRequested && (epoch % config.evalEvery() == 0 || epoch == config.epochs())) {
          validate(epoch);
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    boolean restored = config.keepBest() && bestModel != null;
    return result(restored, stopRequested && epochsRun < config.epochs());
  }

  /** The result of the run so far: the best validated tables if {@code restored}, else the live ones. */
  private TrainResult result(boolean restored, boolean stoppedEarly) {
    EmbeddingTable finalUsers = restored ? bestModel.userTable() : solver.users();
    EmbeddingTable finalItems = restored ? bestModel.itemTable() : solver.items();
    double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
    double trainSeconds = trainNanos / 1e9;
    TrainingSummary summary = new TrainingSummary(epochsRun, bestEpoch, bestMetrics, recordsConsumed,
        wallSeconds, trainSeconds, recordsConsumed / Math.max(1e-9, trainSeconds), epochLosses, epochRates,
        convergence, stoppedEarly, restored, config.threads(), opsName);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("config", config.toMap());
    metadata.put("training", summary.toMap());
    FactorModel model = new FactorModel(finalUsers, finalItems, userIds, itemIds, config.toScorer(), metadata, train);
    return new TrainResult(model, summary);
  }

  /** Runs steps [from, to) of the epoch, split round-robin over the workers; returns the loss sum. */
  private double runSegment(ExecutorService pool, int epoch, int from, int to, int numSteps) {
    int n = solver.workers();
    if (pool == null || to - from < 2) {
      return runSteps(0, epoch, from, to, 1, numSteps);
    }
    List<Future<Double>> futures = new ArrayList<>(n);
    for (int w = 0; w < n; w++) {
      // round-robin: worker w takes steps from + w, from + w + n, ...; all workers then move
      // through the global step count at the same pace, which the optimizers' notion of time
      // (Adam's decay of skipped steps) relies on
      final int first = from + w;
      final int worker = w;
      futures.add(pool.submit(() -> runSteps(worker, epoch, first, to, n, numSteps)));
    }
    double sum = 0;
    RuntimeException failure = null;
    for (Future<Double> f : futures) {
      try {
        sum += f.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (failure == null) {
          failure = cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("training interrupted", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return sum;
  }

  /** One worker's share: steps from, from + stride, ... below to. Stops at the first diverged step. */
  private double runSteps(int worker, int epoch, int from, int to, int stride, int numSteps) {
    final long stepBase = (long) (epoch - 1) * numSteps;
    double sum = 0;
    for (int step = from; step < to; step += stride) {
      float loss = solver.step(worker, epoch, step, stepBase + step + 1);
      checkLoss(epoch, step, loss);
      sum += loss;
      long size = solver.records(step);
      long after = epochProgress.addAndGet(size);
      if (listener != null && after / PROGRESS_EVERY != (after - size) / PROGRESS_EVERY) {
        synchronized (listenerLock) {
          listener.onProgress(epoch, after);
        }
      }
    }
    return sum;
  }

  /** Divergence of one step: a non-finite loss, or one over EXPLOSION_FACTOR times the first step's. */
  private void checkLoss(int epoch, int step, float loss) {
    if (!Float.isFinite(loss)) {
      throw new TrainingDivergedException(epoch, nonFiniteTable());
    }
    if (epoch == 1 && step == 0) {
      initialLoss = loss;
    }
    double reference = initialLoss;
    if (loss > Trainer.EXPLOSION_FACTOR * Math.max(1, reference)) { // false while reference is NaN
      throw new TrainingDivergedException(epoch, "loss", String.format(Locale.ROOT,
          "the batch loss reached %.3g, over %.0e times the initial %.4g", loss, Trainer.EXPLOSION_FACTOR, reference),
          null);
    }
  }

  private String nonFiniteTable() {
    if (solver.users().firstNonFinite() >= 0) {
      return "users";
    }
    if (solver.items().firstNonFinite() >= 0) {
      return "items";
    }
    return "loss";
  }

  private void validate(int epoch) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("config", config.toMap());
    FactorModel snapshot = new FactorModel(solver.users().copy(), solver.items().copy(), userIds, itemIds,
        config.toScorer(), meta, train);
    Map<String, Double> metrics = new HashMap<>(validator.validate(snapshot));
    String key = validator.monitoredMetric();
    Double value = metrics.get(key);
    if (value == null) {
      throw new IllegalStateException("validator returned no \"" + key + "\" (the monitored metric); got "
          + new TreeMap<>(metrics).keySet());
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
