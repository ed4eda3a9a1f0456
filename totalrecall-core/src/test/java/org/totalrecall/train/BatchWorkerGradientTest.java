package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.loss.InfoNceLoss;
import org.totalrecall.model.Scorer;
import org.totalrecall.sampler.InBatchSampler;

/**
 * Checks the gradient a worker hands to the optimizer, d loss / d raw embedding row (through the
 * gather, the three products, the objective, the cosine normalisation, duplicate accumulation and
 * L2), against central finite differences of the batch loss on the raw rows.
 */
class BatchWorkerGradientTest {
  /** Records the gradient of each row instead of stepping; counts steps per row. */
  static final class RecordingOptimizer implements RowOptimizer {
    final float[] grads;
    final int[] calls;
    final int dim;

    RecordingOptimizer(int rows, int dim) {
      this.grads = new float[rows * dim];
      this.calls = new int[rows];
      this.dim = dim;
    }

    @Override
    public void step(float[] params, int pOff, float[] grad, int gOff, int row, long step) {
      calls[row]++;
      System.arraycopy(grad, gOff, grads, row * dim, dim);
    }
  }

  @ParameterizedTest(name = "{0} {1} l2={2} duplicates={3} logQ={4} alpha={5}")
  @CsvSource({
    "COSINE, BOTH, 0, false, true, 1",
    "COSINE, BOTH, 0.1, true, true, 1",
    "COSINE, BOTH, 0, false, true, 1.5",
    "COSINE, U2I, 0, true, false, 1",
    "COSINE, I2U, 0.05, false, true, 0.5",
    "DOT, BOTH, 0, false, true, 1",
    "DOT, BOTH, 0.1, true, false, 1",
    "GMF, BOTH, 0, false, true, 1",
    "GMF, BOTH, 0.1, true, false, 1",
    "GMF, I2U, 0.05, true, true, 1",
    "GMF, U2I, 0, false, true, 1.5"
  })
  void gradientOnRawRowsMatchesFiniteDifferences(
      Scorer.Kind scorer,
      InfoNceLoss.Direction direction,
      float l2,
      boolean duplicates,
      boolean logQ,
      float alpha) {
    int numUsers = 6;
    int numItems = 7;
    int dim = 5;
    int[] batchUsers = duplicates ? new int[] {0, 1, 0, 3, 5} : new int[] {0, 1, 2, 3, 5};
    int[] batchItems = duplicates ? new int[] {2, 5, 4, 2, 6} : new int[] {2, 5, 4, 1, 6};
    // marginals from some training data that covers every batch row
    Interactions train =
        Interactions.fromPairs(
            numUsers,
            numItems,
            new int[] {0, 0, 1, 2, 3, 3, 3, 4, 5, 5},
            new int[] {2, 4, 5, 4, 1, 2, 6, 0, 6, 3},
            null,
            null,
            10);
    TrainConfig config =
        TrainConfig.defaults()
            .withDim(dim)
            .withBatchSize(batchUsers.length)
            .withScorer(scorer)
            .withTemperature(0.5f)
            .withObjective(new InfoNceSpec(direction, logQ, alpha))
            .withL2(l2)
            .withThreads(1);
    ObjectiveSpec objective = config.objective();
    var rng = new SplittableRandom(11);
    float std = scorer == Scorer.Kind.COSINE ? 1f : 0.5f;
    EmbeddingTable users = EmbeddingTable.gaussian(numUsers, dim, std, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(numItems, dim, std, rng);
    RecordingOptimizer userRec = new RecordingOptimizer(numUsers, dim);
    RecordingOptimizer itemRec = new RecordingOptimizer(numItems, dim);
    RecordingOptimizer weightRec = new RecordingOptimizer(1, dim);
    float[] h = new float[dim];
    for (int k = 0; k < dim; k++) {
      h[k] = 0.5f + rng.nextFloat() - (k == 2 ? 1f : 0f); // one negative weight
    }
    GmfWeights gmf = scorer == Scorer.Kind.GMF ? new GmfWeights(h, weightRec, l2) : null;
    BatchWorker worker =
        new BatchWorker(
            users,
            items,
            userRec,
            itemRec,
            objective.create(VectorOps.best()),
            InBatchSampler.fromInteractions(train),
            VectorOps.best(),
            config,
            new SplittableRandom(1),
            gmf);
    worker.trainBatch(batchUsers, batchItems, 0, batchUsers.length, 1);
    float[] userGrads = userRec.grads.clone();
    float[] itemGrads = itemRec.grads.clone();
    float[] weightGrads = weightRec.grads.clone();
    for (int u : batchUsers) {
      assertEquals(1, userRec.calls[u], "one step per distinct user row, user " + u);
    }
    assertEquals(gmf == null ? 0 : 1, weightRec.calls[0], "h takes one step per batch");
    checkTable(worker, users, userGrads, batchUsers, batchItems, l2, "user");
    checkTable(worker, items, itemGrads, batchUsers, batchItems, l2, "item");
    if (gmf != null) {
      checkTable(
          worker,
          new EmbeddingTable(1, dim, h),
          weightGrads,
          batchUsers,
          batchItems,
          l2,
          "gmf weight");
    }
  }

  private static void checkTable(
      BatchWorker worker,
      EmbeddingTable table,
      float[] analytic,
      int[] batchUsers,
      int[] batchItems,
      float l2,
      String name) {
    float[] data = table.data();
    float h = 3e-3f;
    for (int k = 0; k < data.length; k++) {
      float keep = data[k];
      data[k] = keep + h;
      float up = worker.trainBatch(batchUsers, batchItems, 0, batchUsers.length, 1);
      data[k] = keep - h;
      float down = worker.trainBatch(batchUsers, batchItems, 0, batchUsers.length, 1);
      data[k] = keep;
      int row = k / table.dim();
      boolean inBatch = name.equals("gmf weight"); // h is in every batch
      for (int b = 0; b < batchUsers.length; b++) {
        inBatch |= (name.equals("user") ? batchUsers[b] : batchItems[b]) == row;
      }
      double numeric = (up - (double) down) / (2 * h) + (inBatch ? l2 * keep : 0);
      assertEquals(
          numeric,
          analytic[k],
          2e-3 + 2e-3 * Math.abs(numeric),
          name + " entry " + k + " (row " + row + ")");
    }
  }

  /**
   * The loss a worker reports with correction weight α is Bi-InfoNCE over s − α·log q, computed
   * here independently in double precision from the tables and the training marginals.
   */
  @ParameterizedTest(name = "alpha={0}")
  @CsvSource({"0", "1", "1.5", "2"})
  void batchLossUsesTheWeightedCorrection(float alpha) {
    int numUsers = 5;
    int numItems = 6;
    int dim = 4;
    float tau = 0.5f;
    int[] batchUsers = {0, 1, 2, 4};
    int[] batchItems = {3, 0, 5, 3};
    int[] trainUsers = {0, 0, 1, 1, 1, 2, 3, 4, 4};
    int[] trainItems = {3, 1, 0, 2, 5, 5, 4, 3, 2};
    Interactions train =
        Interactions.fromPairs(
            numUsers, numItems, trainUsers, trainItems, null, null, trainUsers.length);
    TrainConfig config =
        TrainConfig.defaults()
            .withDim(dim)
            .withBatchSize(batchUsers.length)
            .withTemperature(tau)
            .withObjective(InfoNceSpec.biInfoNce().withLogQWeight(alpha))
            .withThreads(1);
    var rng = new SplittableRandom(5);
    EmbeddingTable users = EmbeddingTable.gaussian(numUsers, dim, 1f, rng);
    EmbeddingTable items = EmbeddingTable.gaussian(numItems, dim, 1f, rng);
    BatchWorker worker =
        new BatchWorker(
            users,
            items,
            new RecordingOptimizer(numUsers, dim),
            new RecordingOptimizer(numItems, dim),
            InfoNceSpec.biInfoNce().create(VectorOps.best()),
            InBatchSampler.fromInteractions(train),
            VectorOps.best(),
            config,
            new SplittableRandom(1),
            null);
    float loss = worker.trainBatch(batchUsers, batchItems, 0, batchUsers.length, 1);

    int n = batchUsers.length;
    double[] userCount = new double[numUsers];
    double[] itemCount = new double[numItems];
    for (int p = 0; p < trainUsers.length; p++) {
      userCount[trainUsers[p]]++;
      itemCount[trainItems[p]]++;
    }
    double[][] s = new double[n][n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        s[r][c] = cosine(users, batchUsers[r], items, batchItems[c]) / tau;
      }
    }
    double expected = 0;
    for (int b = 0; b < n; b++) {
      double rowSum = 0;
      double colSum = 0;
      for (int j = 0; j < n; j++) {
        rowSum +=
            Math.exp(s[b][j] - alpha * Math.log(itemCount[batchItems[j]] / trainUsers.length));
        colSum +=
            Math.exp(s[j][b] - alpha * Math.log(userCount[batchUsers[j]] / trainUsers.length));
      }
      double own = s[b][b];
      expected +=
          -(own
              - alpha * Math.log(itemCount[batchItems[b]] / trainUsers.length)
              - Math.log(rowSum));
      expected +=
          -(own
              - alpha * Math.log(userCount[batchUsers[b]] / trainUsers.length)
              - Math.log(colSum));
    }
    expected /= n;
    assertEquals(expected, loss, 1e-4 * Math.max(1, Math.abs(expected)));
  }

  private static double cosine(EmbeddingTable a, int ra, EmbeddingTable b, int rb) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int k = 0; k < a.dim(); k++) {
      double x = a.data()[a.offset(ra) + k];
      double y = b.data()[b.offset(rb) + k];
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    return dot / Math.sqrt(na * nb);
  }
}
