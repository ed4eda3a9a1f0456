package org.totalrecall.retrieval;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs numbered blocks of work [0, numBlocks) on a fixed set of platform threads that pull the next
 * block from a shared counter. Each thread gets its own worker from the supplier, so workers own
 * their scratch buffers. The first exception thrown by any worker stops the others at their next
 * block and is rethrown by {@link #run} after every thread has ended (fastText's {@code
 * trainException_}). Results must not depend on which thread ran a block.
 */
public final class BlockRunner {
  /** A worker that processes one block at a time; owned by one thread. */
  public interface Worker {
    void process(int block);
  }

  private final AtomicInteger next = new AtomicInteger();
  private final int numBlocks;
  private volatile Throwable failure;

  private BlockRunner(int numBlocks) {
    this.numBlocks = numBlocks;
  }

  /**
   * Processes blocks [0, numBlocks) with min(threads, numBlocks) workers; with one worker, in the
   * calling thread.
   */
  public static void run(String name, int threads, int numBlocks, Supplier<Worker> workers) {
    if (numBlocks <= 0) {
      return;
    }
    BlockRunner runner = new BlockRunner(numBlocks);
    int n = Math.min(threads, numBlocks);
    if (n == 1) {
      runner.drain(workers.get());
      return;
    }
    Thread[] pool = new Thread[n];
    for (int t = 0; t < n; t++) {
      pool[t] =
          Thread.ofPlatform()
              .name(name + "-" + t)
              .daemon(true)
              .unstarted(
                  () -> {
                    try {
                      runner.drain(workers.get());
                    } catch (Throwable e) {
                      runner.fail(e);
                    }
                  });
      pool[t].start();
    }
    boolean interrupted = false;
    for (Thread t : pool) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          runner.fail(e);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable e = runner.failure;
    if (e instanceof RuntimeException re) {
      throw re;
    }
    if (e instanceof Error err) {
      throw err;
    }
    if (e != null) {
      throw new IllegalStateException(name + " worker failed", e);
    }
  }

  private synchronized void fail(Throwable e) {
    if (failure == null) {
      failure = e;
    }
  }

  private void drain(Worker worker) {
    for (int b = next.getAndIncrement();
        b < numBlocks && failure == null;
        b = next.getAndIncrement()) {
      worker.process(b);
    }
  }
}
