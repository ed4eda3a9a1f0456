package org.totalrecall.train;

import java.util.Map;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.Scorer;

/**
 * The common part of the solvers that visit every training pair once per epoch in steps of {@code
 * stepSize} positives: the tables, the epoch's shuffled pairs ({@link EpochPairs}, order derived
 * from the seed and the epoch), one optimizer per table on a schedule over all steps, and the
 * records, flush and checkpoint state that follow from them. A subclass adds its workers and what
 * one step does.
 */
abstract class PairSolver implements Solver {
  final EmbeddingTable users;
  final EmbeddingTable items;
  final EpochPairs pairs;
  final long seed;
  final RowOptimizer userOptimizer;
  final RowOptimizer itemOptimizer;
  final int stepSize;
  final int numSteps;

  /** The gmf scorer's h and its optimizer, or null for dot and cosine. */
  final GmfWeights gmf;

  PairSolver(
      Interactions train,
      TrainConfig config,
      EmbeddingTable users,
      EmbeddingTable items,
      int stepSize) {
    this.users = users;
    this.items = items;
    this.pairs = new EpochPairs(train);
    this.seed = config.seed();
    this.stepSize = stepSize;
    this.numSteps = (pairs.size() + stepSize - 1) / stepSize;
    LearningRateSchedule schedule = config.schedule().create((long) config.epochs() * numSteps);
    this.userOptimizer =
        config.optimizer().create(train.numUsers(), config.dim(), config.optimization(), schedule);
    this.itemOptimizer =
        config.optimizer().create(train.numItems(), config.dim(), config.optimization(), schedule);
    this.gmf = config.scorer() == Scorer.Kind.GMF ? new GmfWeights(config, schedule) : null;
  }

  /**
   * Gives worker {@code w} its generator for {@code epoch} (derived from the seed); none by
   * default.
   */
  void reseed(int epoch) {}

  @Override
  public final int beginEpoch(int epoch) {
    pairs.shuffle(Seeds.generator(seed, epoch));
    reseed(epoch);
    return numSteps;
  }

  @Override
  public boolean concurrentSteps() {
    return true;
  }

  @Override
  public final long records(int step) {
    return Math.min(stepSize, pairs.size() - (long) step * stepSize);
  }

  /** The first pair of step {@code step}. */
  final int first(int step) {
    return step * stepSize;
  }

  /** The pairs in step {@code step}. */
  final int size(int step) {
    return (int) records(step);
  }

  @Override
  public final void flush(long globalStep) {
    userOptimizer.flush(users.data(), globalStep);
    itemOptimizer.flush(items.data(), globalStep);
    if (gmf != null) {
      gmf.flush(globalStep);
    }
  }

  @Override
  public final Map<String, Object> state() {
    Map<String, Object> state = Solver.state(users, items, userOptimizer, itemOptimizer);
    if (gmf != null) {
      gmf.addState(state);
    }
    addState(state);
    return state;
  }

  /** Adds a subclass's own checkpoint state (live arrays) to {@code state}; nothing by default. */
  void addState(Map<String, Object> state) {}

  @Override
  public final float[] scorerWeights() {
    return gmf == null ? null : gmf.weights();
  }

  @Override
  public final EmbeddingTable users() {
    return users;
  }

  @Override
  public final EmbeddingTable items() {
    return items;
  }
}
