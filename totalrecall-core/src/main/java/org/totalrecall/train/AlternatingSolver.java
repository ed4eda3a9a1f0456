package org.totalrecall.train;

import java.util.Map;
import org.totalrecall.linalg.EmbeddingTable;

/**
 * What the alternating least-squares solvers ({@link IalsSolver}, {@link PairwiseSquareAlsSolver})
 * share: an epoch is two steps on the calling thread (the user half, then the item half, each
 * parallel inside on {@link ParallelRows}), the records split between the halves, and the
 * checkpoint state (both tables and the last loss). Subclasses write {@link #step}.
 *
 * @param <S> the scratch type of a solving thread
 */
abstract class AlternatingSolver<S> implements Solver {
  final EmbeddingTable users;
  final EmbeddingTable items;
  final ParallelRows<S> rows;
  final long nnz;

  /**
   * The loss after the last item half-step ([0]; NaN before the first), part of the checkpoint
   * state.
   */
  final float[] lastLoss = {Float.NaN};

  AlternatingSolver(EmbeddingTable users, EmbeddingTable items, ParallelRows<S> rows, long nnz) {
    this.users = users;
    this.items = items;
    this.rows = rows;
    this.nnz = nnz;
  }

  @Override
  public final int workers() {
    return 1;
  }

  @Override
  public final boolean concurrentSteps() {
    return false;
  }

  /** Two steps: the users' half, then the items'. */
  @Override
  public final int beginEpoch(int epoch) {
    return 2;
  }

  @Override
  public final long records(int step) {
    return step == 0 ? nnz / 2 : nnz - nnz / 2;
  }

  @Override
  public final void flush(long globalStep) {}

  @Override
  public final Map<String, Object> state() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("users", users.data());
    m.put("items", items.data());
    m.put("loss", lastLoss);
    return m;
  }

  @Override
  public final EmbeddingTable users() {
    return users;
  }

  @Override
  public final EmbeddingTable items() {
    return items;
  }

  @Override
  public final void close() {
    rows.close();
  }
}
