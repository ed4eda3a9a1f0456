package org.totalrecall.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.Scorer;
import org.totalrecall.train.LearningRateSchedule;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.Trainer;

/**
 * Data-parallel training with periodic model averaging, the scheme of MLlib's Word2Vec, for the
 * gradient methods (InfoNCE, sampled softmax, BPR, ...): the positives are cut into shards by user
 * (a user's interactions stay together, so its row is trained by one shard only); every round (one
 * epoch of each shard) each task continues the current tables on its shard with the core trainer
 * ({@link Trainer#trainFrom}, one thread, a fresh optimizer), and the driver forms the next tables:
 * a user row from the shard that owns it, an item row as the mean of the shards whose positives
 * contain the item (rows no shard touched stay). The learning rate decays linearly over the rounds,
 * as the single-machine schedule does over the epochs.
 *
 * <p>What it costs against one machine: every shard's Adam moments restart each round, and an
 * item's updates from different shards are averaged rather than applied in turn.
 */
public final class ModelAveraging {
  private ModelAveraging() {}

  /** One shard's positives as CSR (the full users × items shape), shipped to a task. */
  @SuppressWarnings("ArrayRecordComponent") // a shard shipped to a task, never compared
  record Shard(int index, int numRows, int numCols, int[] rowStart, int[] cols, float[] weights)
      implements Serializable {
    Interactions interactions() {
      int n = cols.length;
      int[] rows = new int[n];
      for (int r = 0; r < numRows; r++) {
        for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
          rows[p] = r;
        }
      }
      return Interactions.fromPairs(numRows, numCols, rows, cols.clone(), weights, null, n);
    }
  }

  /** The trained tables, their scorer, and the seconds of each round. */
  @SuppressWarnings("ArrayRecordComponent") // the run's output, never compared
  public record Result(
      EmbeddingTable users, EmbeddingTable items, Scorer scorer, double[] roundSeconds) {}

  /** Called on the driver after each round with the averaged tables. */
  public interface RoundListener {
    void afterRound(int round, EmbeddingTable users, EmbeddingTable items);
  }

  /**
   * {@link #train(SparkSession, Interactions, TrainConfig, int, RoundListener)} without a listener.
   */
  public static Result train(
      SparkSession spark, Interactions train, TrainConfig config, int shards) {
    return train(spark, train, config, shards, null);
  }

  /**
   * Trains {@code config} (its epochs are the rounds) on {@code train} over {@code shards} shards,
   * calling {@code listener} (may be null) on the driver after each round.
   */
  public static Result train(
      SparkSession spark,
      Interactions train,
      TrainConfig config,
      int shards,
      RoundListener listener) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int n = Math.max(1, Math.min(shards, train.numRows()));
    List<Shard> parts = new ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      parts.add(shard(train, s, n));
    }
    JavaRDD<Shard> rdd = sc.parallelize(parts, n).cache();
    rdd.count();
    SplittableRandom master = new SplittableRandom(config.seed());
    EmbeddingTable users =
        EmbeddingTable.gaussian(train.numRows(), config.dim(), config.initStd(), master.split());
    EmbeddingTable items =
        EmbeddingTable.gaussian(train.numCols(), config.dim(), config.initStd(), master.split());
    int rounds = config.epochs();
    double[] seconds = new double[rounds];
    int d = config.dim();
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      float lr = config.learningRate();
      if (config.schedule().decay() == LearningRateSchedule.Decay.LINEAR) {
        lr = (float) (lr * (1.0 - (double) r / rounds));
      }
      TrainConfig round =
          config
              .withEpochs(1)
              .withLearningRate(lr)
              .withLearningRateDecay(LearningRateSchedule.Decay.CONSTANT)
              .withThreads(1)
              .withSeed(config.seed() + 1_000_003L * (r + 1));
      Map<String, Object> roundMap = new LinkedHashMap<>(round.toMap());
      Broadcast<float[]> u = sc.broadcast(users.data());
      Broadcast<float[]> v = sc.broadcast(items.data());
      Broadcast<Map<String, Object>> cfg = sc.broadcast(roundMap);
      int nu = users.rows();
      int ni = items.rows();
      List<Object[]> trained =
          rdd.map(
                  s -> {
                    TrainConfig c =
                        TrainConfig.fromMap(cfg.value())
                            .withSeed(
                                ((Number) cfg.value().getOrDefault("seed", 1L)).longValue()
                                    + s.index());
                    var res =
                        Trainer.trainFrom(
                            s.interactions(),
                            c,
                            new EmbeddingTable(nu, d, u.value()),
                            new EmbeddingTable(ni, d, v.value()));
                    return new Object[] {
                      s.index(), res.model().userTable().data(), res.model().itemTable().data()
                    };
                  })
              .collect();
      float[] nextUsers = users.data().clone();
      float[] itemSums = new float[items.data().length];
      int[] itemShards = new int[ni];
      for (Object[] t : trained) {
        Shard s = parts.get((Integer) t[0]);
        float[] su = (float[]) t[1];
        float[] si = (float[]) t[2];
        for (int row = 0; row < nu; row++) {
          if (s.rowStart()[row + 1] > s.rowStart()[row]) {
            System.arraycopy(su, row * d, nextUsers, row * d, d);
          }
        }
        boolean[] has = new boolean[ni];
        for (int c : s.cols()) {
          has[c] = true;
        }
        for (int i = 0; i < ni; i++) {
          if (has[i]) {
            itemShards[i]++;
            for (int k = 0; k < d; k++) {
              itemSums[i * d + k] += si[i * d + k];
            }
          }
        }
      }
      float[] nextItems = items.data().clone();
      for (int i = 0; i < ni; i++) {
        if (itemShards[i] > 0) {
          for (int k = 0; k < d; k++) {
            nextItems[i * d + k] = itemSums[i * d + k] / itemShards[i];
          }
        }
      }
      users = new EmbeddingTable(nu, d, nextUsers);
      items = new EmbeddingTable(ni, d, nextItems);
      u.destroy();
      v.destroy();
      cfg.destroy();
      seconds[r] = (System.nanoTime() - t0) / 1e9;
      if (listener != null) {
        listener.afterRound(r + 1, users, items);
      }
    }
    rdd.unpersist();
    Scorer scorer =
        switch (config.scorer()) {
          case COSINE -> Scorer.cosine(config.temperature());
          case DOT -> Scorer.dot();
          case GMF ->
              throw new IllegalArgumentException(
                  "the gmf scorer is not averaged yet; use cosine or dot");
        };
    return new Result(users, items, scorer, seconds);
  }

  /**
   * The shard of user {@code u}: a mixing hash, so that shards do not follow any order of the dense
   * ids (ids assigned by cluster or by time would otherwise give each shard one kind of user, and
   * in-batch negatives from that kind only).
   */
  static int shardOf(int u, int n) {
    int h = u * 0x9E3779B9;
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    return Math.floorMod(h, n);
  }

  /** Shard {@code s} of {@code n}: the positives of the users u with shardOf(u, n) = s. */
  private static Shard shard(Interactions m, int s, int n) {
    int[] rowStart = new int[m.numRows() + 1];
    int count = 0;
    for (int r = 0; r < m.numRows(); r++) {
      if (shardOf(r, n) == s) {
        count += m.rowLength(r);
      }
      rowStart[r + 1] = count;
    }
    int[] cols = new int[count];
    float[] weights = m.weights() == null ? null : new float[count];
    int at = 0;
    for (int r = 0; r < m.numRows(); r++) {
      if (shardOf(r, n) == s) {
        int len = m.rowLength(r);
        System.arraycopy(m.cols(), m.start(r), cols, at, len);
        if (weights != null) {
          System.arraycopy(m.weights(), m.start(r), weights, at, len);
        }
        at += len;
      }
    }
    return new Shard(s, m.numRows(), m.numCols(), rowStart, cols, weights);
  }

  /** What the model file records about a run of this trainer. */
  public static Map<String, Object> metadata(TrainConfig config, int shards, Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trainer", "spark-model-averaging");
    m.put("config", config.toMap());
    m.put("shards", shards);
    m.put("averaging", "every epoch");
    m.put("roundSeconds", Arrays.toString(r.roundSeconds()));
    return m;
  }
}
