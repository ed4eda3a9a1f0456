package org.totalrecall.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;
import org.totalrecall.train.IalsSpec;
import org.totalrecall.train.ModelSpec;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.Trainer;

/**
 * {@link DistributedIals} on local[2] against the single-machine iALS with the same settings: the
 * same tables bit for bit, for every row solver and for weighted data, whatever the number of
 * blocks.
 */
class DistributedIalsTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Interactions data(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int users = 400;
    int items = 250;
    int n = 6000;
    int[] u = new int[n];
    int[] i = new int[n];
    float[] w = new float[n];
    for (int k = 0; k < n; k++) {
      u[k] = rnd.nextInt(users);
      i[k] = (u[k] * 7 + rnd.nextInt(40)) % items;
      w[k] = 1 + rnd.nextInt(4);
    }
    return Interactions.fromPairs(users, items, u, i, w, null, n);
  }

  @Test
  void sameTablesAsTheSingleMachineIals() {
    Interactions train = data(3);
    for (IalsSpec.RowSolver solver : IalsSpec.RowSolver.values()) {
      IalsSpec spec = new IalsSpec(2f, false, 1f, 0.05f, 1f, solver, 3);
      int dim = 12;
      TrainConfig config =
          TrainConfig.defaults()
              .withModel(new ModelSpec(dim, Scorer.Kind.DOT, 1f, 0.1f))
              .withMethod(spec, spec.defaultSamplerSpec())
              .withEpochs(4)
              .withL2(0.01f)
              .withThreads(2)
              .withSeed(9);
      FactorModel single = Trainer.train(train, null, null, config, null, null).model();
      for (int blocks : new int[] {1, 3, 7}) {
        DistributedIals.Result r =
            DistributedIals.train(
                spark, train, new DistributedIals.Settings(spec, dim, 0.01f, 0.1f, 9L, 4, blocks));
        assertArrayEquals(
            single.userTable().data(), r.users().data(), solver + " users, " + blocks + " blocks");
        assertArrayEquals(
            single.itemTable().data(), r.items().data(), solver + " items, " + blocks + " blocks");
        assertEquals(4, r.iterationSeconds().length);
      }
    }
  }

  @Test
  void wavesTakeEveryBlockOnceInOrderAndStayWithinTheBudget() {
    int[] rows = {100, 300, 50, 50, 400, 10, 10, 10, 700};
    int dim = 4; // 16 bytes a row
    for (int cores : new int[] {1, 2, 3}) {
      List<int[]> waves = DistributedIals.waves(rows, dim, cores, 16 * 500);
      int next = 0;
      for (int w = 0; w < waves.size(); w++) {
        int[] wave = waves.get(w);
        long bytes = 0;
        for (int p : wave) {
          assertEquals(next++, p, "blocks in order, each once");
          bytes += 16L * rows[p];
        }
        if (wave.length > cores) {
          assertTrue(bytes <= 16 * 500, "a wave beyond one task a core stays within the budget");
        }
        if (w < waves.size() - 1) {
          assertTrue(wave.length >= cores, "a task for every core, but in the last wave");
        }
      }
      assertEquals(rows.length, next);
    }
    assertEquals(1, DistributedIals.waves(rows, dim, 2, Long.MAX_VALUE).size());
    assertEquals(rows.length, DistributedIals.waves(rows, dim, 1, 1).size());
  }
}
