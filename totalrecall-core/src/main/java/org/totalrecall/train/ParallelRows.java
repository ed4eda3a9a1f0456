package org.totalrecall.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * The thread pool of the row-solving solvers (alternating least squares): units of work taken in
 * turn by the run's threads, each thread with its own scratch of type {@code S}, allocated once.
 * Sums over rows are taken over a fixed partition in a fixed order ({@link #gramian}), so a solver
 * built on this is bitwise reproducible for any thread count.
 */
final class ParallelRows<S> implements AutoCloseable {
  /**
   * Row blocks a sum over rows is split into, fixed so that the sum is the same for any thread
   * count.
   */
  static final int BLOCKS = 32;

  /** A unit of work: its index and the running thread's scratch. */
  interface Work<S> {
    void run(int unit, S scratch);
  }

  private final int threads;
  private final List<S> scratch;
  private final String name;
  private ExecutorService pool;

  ParallelRows(int threads, String name, IntFunction<S> newScratch) {
    this.threads = threads;
    this.name = name;
    this.scratch = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      scratch.add(newScratch.apply(t));
    }
  }

  /** Runs units 0..n−1 on the run's threads, each thread taking the next unit in turn. */
  void run(int n, Work<S> work) {
    if (threads == 1 || n == 1) {
      for (int u = 0; u < n; u++) {
        work.run(u, scratch.get(0));
      }
      return;
    }
    if (pool == null) {
      pool =
          Executors.newFixedThreadPool(
              threads,
              runnable -> {
                Thread t = new Thread(runnable, name);
                t.setDaemon(true);
                return t;
              });
    }
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      final S s = scratch.get(t);
      futures.add(
          pool.submit(
              () -> {
                for (int u = next.getAndIncrement(); u < n; u = next.getAndIncrement()) {
                  work.run(u, s);
                }
              }));
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while solving", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      }
    }
  }

  /** A row's weight in {@link #gramian}. */
  interface RowWeight {
    float of(int row);
  }

  /**
   * out (d×d) = Σ_r c_r y_r y_rᵀ over every row of {@code table} (c_r = 1 when {@code weight} is
   * null), summed block by block in a fixed order.
   */
  void gramian(EmbeddingTable table, RowWeight weight, float[] out, VectorOps ops) {
    final int d = table.dim();
    final int rows = table.rows();
    final float[][] partial = new float[BLOCKS][];
    final int per = (rows + BLOCKS - 1) / BLOCKS;
    run(
        BLOCKS,
        (block, s) -> {
          float[] g = new float[d * d];
          float[] data = table.data();
          int end = Math.min(rows, (block + 1) * per);
          for (int r = block * per; r < end; r++) {
            int off = table.offset(r);
            float c = weight == null ? 1f : weight.of(r);
            if (c == 0f) {
              continue;
            }
            for (int a = 0; a < d; a++) {
              float ya = c * data[off + a];
              if (ya != 0f) {
                ops.axpy(ya, data, off, g, a * d, d);
              }
            }
          }
          partial[block] = g;
        });
    java.util.Arrays.fill(out, 0f);
    for (float[] g : partial) {
      ops.axpy(1f, g, 0, out, 0, d * d);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
      pool = null;
    }
  }
}
