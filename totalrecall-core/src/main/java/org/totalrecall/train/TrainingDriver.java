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
import org.totalrecall.model.Scorer;

/**
 * The one loop around every {@link Solver}: epochs, records-consumed accounting, validation (every
 * {@code evalEvery} epochs, every {@code evalEveryRecords} records, after the last epoch), the
 * convergence log, early stopping with keep-best, progress callbacks, and divergence: a non-finite
 * step loss, a step loss over {@link Trainer#EXPLOSION_FACTOR} times the first one, or at the end
 * of each epoch a non-finite table entry or dot tables whose scores overflow float ({@link
 * Trainer#checkFinite}); with keep-best the {@link TrainingDivergedException} carries the best
 * finite validated result. One instance per run; not reusable.
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
  private final Checkpointing checkpointing;
  private final String trainFingerprint;
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

  TrainingDriver(
      Interactions train,
      IdIndex userIds,
      IdIndex itemIds,
      TrainConfig config,
      Validator validator,
      TrainingListener listener,
      Solver solver,
      String opsName,
      Checkpointing checkpointing,
      String trainFingerprint) {
    this.train = train;
    this.userIds = userIds;
    this.itemIds = itemIds;
    this.config = config;
    this.validator = validator;
    this.listener = listener;
    this.solver = solver;
    this.opsName = opsName;
    this.checkpointing = checkpointing;
    this.trainFingerprint = trainFingerprint;
  }

  /**
   * Runs the whole training (or the rest of it, from the checkpoint to resume from); see the class
   * Javadoc.
   *
   * @throws java.io.UncheckedIOException if a checkpoint cannot be read or written; a {@link
   *     Checkpoint.CheckpointException} cause if the one to resume from does not belong to this run
   */
  TrainResult run() {
    try {
      if (checkpointing.resumeFrom() != null) {
        resume(checkpointing.resumeFrom());
      }
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
    ExecutorService pool =
        solver.concurrentSteps() && solver.workers() > 1
            ? Executors.newFixedThreadPool(
                solver.workers(),
                r -> {
                  Thread t = new Thread(r, "totalrecall-train");
                  t.setDaemon(true);
                  return t;
                })
            : null;
    try {
      final long evalRecords = validator == null ? 0 : config.evalEveryRecords();
      for (int epoch = epochsRun + 1; epoch <= config.epochs() && !stopRequested; epoch++) {
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
          if (evalRecords > 0
              && step < numSteps
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
        checkWeightsFinite(epoch);
        Trainer.checkFinite(epoch, solver.users(), solver.items(), scorer());
        double meanLoss = lossSum / Math.max(1, step);
        epochLosses.add(meanLoss);
        epochRates.add(epochRecords / Math.max(1e-9, epochNanos / 1e9));
        if (listener != null) {
          synchronized (listenerLock) {
            listener.onEpochEnd(epoch, meanLoss, recordsConsumed);
          }
        }
        if (validator != null
            && !stopRequested
            && (epoch % config.evalEvery() == 0 || epoch == config.epochs())) {
          validate(epoch);
        }
        if (checkpointing.file() != null && epoch % checkpointing.everyEpochs() == 0) {
          writeCheckpoint(checkpointing.file());
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
      solver.close();
    }
    boolean restored = config.keepBest() && bestModel != null;
    return result(restored, stopRequested && epochsRun < config.epochs());
  }

  /** Writes the state after the last completed epoch. */
  private void writeCheckpoint(java.nio.file.Path file) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("config", config.toMap());
    header.put("trainFingerprint", trainFingerprint);
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("epochsRun", epochsRun);
    driver.put("recordsConsumed", recordsConsumed);
    driver.put("trainNanos", trainNanos);
    driver.put("epochLosses", epochLosses);
    driver.put("epochRates", epochRates);
    List<Map<String, Object>> conv = new ArrayList<>();
    for (ConvergencePoint p : convergence) {
      conv.add(
          Map.of(
              "recordsConsumed", p.recordsConsumed(), "epoch", p.epoch(), "metrics", p.metrics()));
    }
    driver.put("convergence", conv);
    driver.put("bestValue", Double.isFinite(bestValue) ? bestValue : null);
    driver.put("bestEpoch", bestEpoch);
    driver.put("bestMetrics", bestMetrics);
    driver.put("validationsWithoutImprovement", validationsWithoutImprovement);
    driver.put("initialLoss", Double.isNaN(initialLoss) ? null : initialLoss);
    header.put("driver", driver);
    Map<String, Object> arrays = new LinkedHashMap<>(solver.state());
    if (bestModel != null) {
      arrays.put("best.users", bestModel.userTable().data());
      arrays.put("best.items", bestModel.itemTable().data());
      if (bestModel.scorer().isGmf()) {
        arrays.put("best.gmfWeights", bestModel.scorer().weights());
      }
    }
    try {
      new Checkpoint(header, arrays).write(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot write checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Restores the state of a checkpoint of this run (same configuration up to threads, same data).
   */
  @SuppressWarnings("unchecked")
  private void resume(java.nio.file.Path file) {
    try {
      Checkpoint c = Checkpoint.read(file);
      TrainConfig saved;
      try {
        saved = TrainConfig.fromMap((Map<String, ?>) c.header().get("config"));
      } catch (RuntimeException e) {
        throw new Checkpoint.CheckpointException(
            file.getFileName() + ": its configuration cannot be read: " + e.getMessage());
      }
      if (!saved.withThreads(config.threads()).equals(config)) {
        Map<String, Object> was = saved.withThreads(config.threads()).toMap();
        Map<String, Object> now = config.toMap();
        StringBuilder diff = new StringBuilder();
        for (String k : now.keySet()) {
          if (!now.get(k).equals(was.get(k))) {
            diff.append(diff.length() == 0 ? "" : "; ")
                .append(k)
                .append(": checkpoint ")
                .append(was.get(k))
                .append(", this run ")
                .append(now.get(k));
          }
        }
        throw new Checkpoint.CheckpointException(
            file.getFileName()
                + ": was written for another configuration ("
                + diff
                + "); resume with the same flags (only --threads may differ)");
      }
      if (!String.valueOf(c.header().get("trainFingerprint")).equals(trainFingerprint)) {
        throw new Checkpoint.CheckpointException(
            file.getFileName() + ": was written for other training data");
      }
      Map<String, Object> arrays = new LinkedHashMap<>(c.arrays());
      Object bestUsers = arrays.remove("best.users");
      Object bestItems = arrays.remove("best.items");
      Object bestWeights = arrays.remove("best.gmfWeights");
      c.withArrays(arrays).restoreInto(solver.state(), file);
      Map<String, Object> d = (Map<String, Object>) c.header().get("driver");
      epochsRun = ((Number) d.get("epochsRun")).intValue();
      recordsConsumed = ((Number) d.get("recordsConsumed")).longValue();
      trainNanos = ((Number) d.get("trainNanos")).longValue();
      for (Object x : (List<Object>) d.get("epochLosses")) {
        epochLosses.add(((Number) x).doubleValue());
      }
      for (Object x : (List<Object>) d.get("epochRates")) {
        epochRates.add(((Number) x).doubleValue());
      }
      for (Object x : (List<Object>) d.get("convergence")) {
        Map<String, Object> p = (Map<String, Object>) x;
        convergence.add(
            new ConvergencePoint(
                ((Number) p.get("recordsConsumed")).longValue(),
                ((Number) p.get("epoch")).intValue(),
                doubles((Map<String, Object>) p.get("metrics"))));
      }
      bestValue =
          d.get("bestValue") == null
              ? Double.NEGATIVE_INFINITY
              : ((Number) d.get("bestValue")).doubleValue();
      bestEpoch = ((Number) d.get("bestEpoch")).intValue();
      bestMetrics = doubles((Map<String, Object>) d.get("bestMetrics"));
      validationsWithoutImprovement = ((Number) d.get("validationsWithoutImprovement")).intValue();
      initialLoss =
          d.get("initialLoss") == null ? Double.NaN : ((Number) d.get("initialLoss")).doubleValue();
      if (bestUsers instanceof float[] bu && bestItems instanceof float[] bi) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("config", config.toMap());
        bestModel =
            new FactorModel(
                new EmbeddingTable(solver.users().rows(), config.dim(), bu),
                new EmbeddingTable(solver.items().rows(), config.dim(), bi),
                userIds,
                itemIds,
                config.model().toScorer(bestWeights instanceof float[] h ? h : null),
                meta,
                train);
      }
      stopRequested = config.patience() > 0 && validationsWithoutImprovement >= config.patience();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e.getMessage(), e);
    }
  }

  private static Map<String, Double> doubles(Map<String, Object> m) {
    Map<String, Double> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, ((Number) v).doubleValue()));
    return out;
  }

  /**
   * The result of the run so far: the best validated tables if {@code restored}, else the live
   * ones.
   */
  private TrainResult result(boolean restored, boolean stoppedEarly) {
    EmbeddingTable finalUsers = restored ? bestModel.userTable() : solver.users();
    EmbeddingTable finalItems = restored ? bestModel.itemTable() : solver.items();
    double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
    double trainSeconds = trainNanos / 1e9;
    TrainingSummary summary =
        new TrainingSummary(
            epochsRun,
            bestEpoch,
            bestMetrics,
            recordsConsumed,
            wallSeconds,
            trainSeconds,
            recordsConsumed / Math.max(1e-9, trainSeconds),
            epochLosses,
            epochRates,
            convergence,
            stoppedEarly,
            restored,
            config.threads(),
            opsName);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("config", config.toMap());
    metadata.put("training", summary.toMap());
    FactorModel model =
        new FactorModel(
            finalUsers,
            finalItems,
            userIds,
            itemIds,
            restored ? bestModel.scorer() : scorer(),
            metadata,
            train);
    return new TrainResult(model, summary);
  }

  /**
   * Runs steps [from, to) of the epoch, split round-robin over the workers; returns the loss sum.
   */
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

  /**
   * One worker's share: steps from, from + stride, ... below to. Stops at the first diverged step.
   */
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

  /**
   * Divergence of one step: a non-finite loss, or one over EXPLOSION_FACTOR times the first step's.
   */
  private void checkLoss(int epoch, int step, float loss) {
    if (!Float.isFinite(loss)) {
      throw new TrainingDivergedException(epoch, nonFiniteTable());
    }
    if (epoch == 1 && step == 0) {
      initialLoss = loss;
    }
    double reference = initialLoss;
    if (loss > Trainer.EXPLOSION_FACTOR * Math.max(1, reference)) { // false while reference is NaN
      throw new TrainingDivergedException(
          epoch,
          "loss",
          String.format(
              Locale.ROOT,
              "the batch loss reached %.3g, over %.0e times the initial %.4g",
              loss,
              Trainer.EXPLOSION_FACTOR,
              reference),
          null);
    }
  }

  /**
   * The scorer of the live tables: the configured one, with the solver's current h for gmf
   * (copied).
   */
  private Scorer scorer() {
    return config.model().toScorer(solver.scorerWeights());
  }

  /** Throws if the scorer's learned weights (gmf's h) hold a NaN or infinite entry. */
  private void checkWeightsFinite(int epoch) {
    if (nonFinite(solver.scorerWeights())) {
      throw new TrainingDivergedException(epoch, "gmf weights");
    }
  }

  private static boolean nonFinite(float[] a) {
    if (a != null) {
      for (float v : a) {
        if (!Float.isFinite(v)) {
          return true;
        }
      }
    }
    return false;
  }

  private String nonFiniteTable() {
    if (solver.users().firstNonFinite() >= 0) {
      return "users";
    }
    if (solver.items().firstNonFinite() >= 0) {
      return "items";
    }
    if (nonFinite(solver.scorerWeights())) {
      return "gmf weights";
    }
    return "loss";
  }

  private void validate(int epoch) {
    checkWeightsFinite(epoch);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("config", config.toMap());
    FactorModel snapshot =
        new FactorModel(
            solver.users().copy(), solver.items().copy(), userIds, itemIds, scorer(), meta, train);
    Map<String, Double> metrics = new HashMap<>(validator.validate(snapshot));
    String key = validator.monitoredMetric();
    Double value = metrics.get(key);
    if (value == null) {
      throw new IllegalStateException(
          "validator returned no \""
              + key
              + "\" (the monitored metric); got "
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
