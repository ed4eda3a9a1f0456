package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.sampler.BatchSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * The mini-batch trainer for objectives over a shared candidate block (InfoNCE and Bi-InfoNCE with
 * in-batch or mixed negatives): a step is one mini-batch of {@code batchSize} positives, processed
 * by a {@link BatchWorker} (gather, one GEMM of scores, the objective, two GEMMs of gradients,
 * per-row optimizer steps). Steps run concurrently, each worker owning whole batches.
 */
final class MiniBatchSolver extends PairSolver {
  private final BatchWorker[] workers;

  MiniBatchSolver(
      Interactions train,
      TrainConfig config,
      EmbeddingTable users,
      EmbeddingTable items,
      VectorOps ops) {
    super(train, config, users, items, config.batchSize());
    BatchSampler sampler =
        config
            .sampler()
            .create(
                new SamplerContext(
                    train,
                    stepSize,
                    users,
                    items,
                    config.objective().scoresUserCandidates(),
                    config.objective().scoresItemCandidates()));
    this.workers = new BatchWorker[config.threads()];
    for (int w = 0; w < workers.length; w++) {
      workers[w] =
          new BatchWorker(
              users,
              items,
              userOptimizer,
              itemOptimizer,
              config.objective().create(ops),
              sampler.forWorker(),
              ops,
              config,
              Seeds.generator(seed, 0, w),
              gmf);
    }
  }

  @Override
  public int workers() {
    return workers.length;
  }

  @Override
  void reseed(int epoch) {
    for (int w = 0; w < workers.length; w++) {
      workers[w].rng = Seeds.generator(seed, epoch, w);
      workers[w].beginEpoch(epoch);
    }
  }

  @Override
  public float step(int worker, int epoch, int step, long globalStep) {
    return workers[worker].trainBatch(
        pairs.users(), pairs.items(), first(step), size(step), globalStep);
  }
}
