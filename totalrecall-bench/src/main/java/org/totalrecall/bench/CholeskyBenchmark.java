package org.totalrecall.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.totalrecall.linalg.Cholesky;

/**
 * The dense solve of an iALS row (A x = b, A symmetric positive definite, d × d, double): the
 * project's {@link Cholesky} against EJML's Cholesky solver (DESIGN.md names EJML and netlib for
 * small dense solves; whichever is faster is used). Both copy A and b into their work arrays first,
 * as a row solve must (A is rebuilt per row). Average time per solve.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CholeskyBenchmark {
  /** The embedding width d. */
  @Param({"64", "128"})
  public int dim;

  private double[] a;
  private double[] b;
  private double[] work;
  private double[] rhs;
  private DMatrixRMaj ejmlA;
  private DMatrixRMaj ejmlB;
  private DMatrixRMaj ejmlX;
  private LinearSolverDense<DMatrixRMaj> ejml;

  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(11);
    int d = dim;
    // A = Σ_k y_k y_kᵀ over 2d random rows + 0.1·I, as a row's Gramian plus L2
    a = new double[d * d];
    for (int k = 0; k < 2 * d; k++) {
      double[] y = new double[d];
      for (int i = 0; i < d; i++) {
        y[i] = rng.nextGaussian();
      }
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          a[i * d + j] += y[i] * y[j];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      a[i * d + i] += 0.1;
    }
    b = new double[d];
    for (int i = 0; i < d; i++) {
      b[i] = rng.nextGaussian();
    }
    work = new double[d * d];
    rhs = new double[d];
    ejmlA = new DMatrixRMaj(d, d);
    ejmlB = new DMatrixRMaj(d, 1);
    ejmlX = new DMatrixRMaj(d, 1);
    ejml = LinearSolverFactory_DDRM.chol(d);
  }

  /** linalg.Cholesky: factor in place, forward and back substitution. */
  @Benchmark
  public double[] totalrecall() {
    System.arraycopy(a, 0, work, 0, a.length);
    System.arraycopy(b, 0, rhs, 0, b.length);
    Cholesky.solveInPlace(work, rhs, dim);
    return rhs;
  }

  /** EJML 0.46's Cholesky linear solver (LinearSolverFactory_DDRM.chol). */
  @Benchmark
  public DMatrixRMaj ejml() {
    System.arraycopy(a, 0, ejmlA.data, 0, a.length);
    System.arraycopy(b, 0, ejmlB.data, 0, b.length);
    if (!ejml.setA(ejmlA)) {
      throw new IllegalStateException("EJML: not positive definite");
    }
    ejml.solve(ejmlB, ejmlX);
    return ejmlX;
  }
}
