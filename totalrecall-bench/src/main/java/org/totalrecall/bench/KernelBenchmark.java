package org.totalrecall.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.linalg.VectorOpsProvider;

/**
 * The kernels of one training batch and of retrieval scoring ({@link VectorOps}), Panama against
 * the scalar reference in the same run: {@code dot} and {@code axpy} at the embedding width, and
 * the two products of a batch of B = 512 rows (the score matrix S = U·Iᵀ and the gradient product
 * G·I). Average time per call; divide 2·B²·dim by it for FLOP/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KernelBenchmark {
  /** Which {@link VectorOps} implementation: the Vector API kernels or the scalar reference. */
  @Param({"panama", "scalar"})
  public String ops;

  /** Embedding width. */
  @Param({"64"})
  public int dim;

  /** Rows of the batch products. */
  @Param({"512"})
  public int batch;

  private VectorOps kernels;
  private float[] u;
  private float[] v;
  private float[] users;
  private float[] items;
  private float[] scores;
  private float[] grad;

  @Setup
  public void setUp() {
    kernels = VectorOpsProvider.choose(ops);
    SplittableRandom rng = new SplittableRandom(7);
    u = gaussian(rng, dim);
    v = gaussian(rng, dim);
    users = gaussian(rng, batch * dim);
    items = gaussian(rng, batch * dim);
    scores = new float[batch * batch];
    grad = gaussian(rng, batch * batch);
  }

  private static float[] gaussian(SplittableRandom rng, int n) {
    float[] x = new float[n];
    for (int k = 0; k < n; k++) {
      x[k] = (float) (rng.nextDouble() * 2 - 1);
    }
    return x;
  }

  @Benchmark
  public float dot() {
    return kernels.dot(u, 0, v, 0, dim);
  }

  @Benchmark
  public void axpy(Blackhole bh) {
    kernels.axpy(1e-3f, u, 0, v, 0, dim);
    bh.consume(v);
  }

  /** S = U·Iᵀ, B × B × dim: the batch score matrix (and retrieval's block scoring). */
  @Benchmark
  public float[] gemmAbt() {
    kernels.gemmAbt(users, 0, batch, items, 0, batch, dim, scores, 0, batch);
    return scores;
  }

  /** dU = G·I, B × B × dim: the gradient product. */
  @Benchmark
  public float[] gemmAb() {
    kernels.gemmAb(grad, 0, batch, batch, items, 0, dim, scores, 0);
    return scores;
  }
}
