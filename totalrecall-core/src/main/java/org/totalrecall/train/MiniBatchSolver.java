package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.sampler.BatchSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * The mini-batch trainer for objectives over a shared candidate block (InfoNCE and Bi-InfoNCE
 * with in-batch or mixed negatives): a step is one mini-batch of {@code batchSize} positives,
 * processed by a {@link BatchWorker} (gather, one GEMM of scores, the objective, two GEMMs of
 * gradients, per-row optimizer steps). Steps run concurrently, each worker owning whole batches.
 */
final class MiniBatchSolver implements Solver {
  private final EmbeddingTable users;
  private final EmbeddingTable items;
  private final EpochPairs pairs;
  private final long seed;
  private final RowOptimizer userOptimizer;
  private final RowOptimizer itemOptimizer;
  private final BatchWorker[] workers;
  private final int batchSize;
  private final int numBatches;

  MiniBatchSolver(Interactions train, TrainConfig config, EmbeddingTable users, EmbeddingTable items,
      VectorOps ops) {
    this.users = users;
    this.items = items;
    this.pairs = new EpochPairs(train);
    this.seed = config.seed();
    this.batchSize = config.batchSize();
    this.numBatches = (pairs.size() + batchSize - 1) / batchSize;
    LearningRateSchedule schedule = config.schedule().create((long) config.epochs() * numBatches);
    this.userOptimizer = config.optimizer().create(train.numUsers(), config.dim(), config.optimization(), schedule);
    this.itemOptimizer = config.optimizer().create(train.numItems(), config.dim(), config.optimization(), schedule);
    BatchSampler sampler = config.sampler().create(new SamplerContext(train, batchSize, users, items,
        config.objective().scoresUserCandidates(), config.objective().scoresItemCandidates()));
    this.workers = new BatchWorker[config.threads()];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new BatchWorker(users, items, userOptimizer, itemOptimizer, config.objective().create(ops),
          sampler.forWorker(), ops, config, Seeds.generator(seed, 0, w));
    }
  }

  @Override
  public int workers() {
    return workers.length;
  }

  @Override
  public boolean concurrentSteps() {
    return true;
  }

  @Override
  public int beginEpoch(int epoch) {
    pairs.shuffle(Seeds.generator(seed, epoch));
    for (int w = 0; w < workers.length; w++) {
      workers[w].rng = Seeds.generator(seed, epoch, w);
    }
    return numBatches;
  }

  @Override
  public long records(int step) {
    return Math.min(batchSize, pairs.size() - (long) step * batchSize);
  }

  @Override
  public float step(int worker, int epoch, int step, long globalStep) {
    int start = step * batchSize;
    int size = Math.min(batchSize, pairs.size() - start);
    return workers[worker].trainBatch(pairs.users(), pairs.items(), start, size, globalStep);
  }

  @Override
  public void flush(long globalStep) {
    userOptimizer.flush(users.data(), globalStep);
    itemOptimizer.flush(items.data(), globalStep);
  }

  @Override
  public java.util.Map<String, Object> state() {
    return Solver.state(users, items, userOptimizer, itemOptimizer);
  }

  @Override
  public EmbeddingTable users() {
    return users;
  }

  @Override
  public EmbeddingTable items() {
    return items;
  }
}
