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
import org.totalrecall.linalg.VectorOpsProvider;
import org.totalrecall.loss.InfoNceLoss;

/**
 * The loss of one batch: InfoNCE over a B × B cosine/τ score matrix with the log q correction, in
 * each direction and both (Bi-InfoNCE, TotalRecall eq. 3, with its shared exponential pass), loss
 * and score gradient. Average time per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InfoNceBenchmark {
  /** Which softmax terms. */
  @Param({"BOTH", "U2I", "I2U"})
  public InfoNceLoss.Direction direction;

  /** Batch size B. */
  @Param({"512"})
  public int batch;

  private InfoNceLoss loss;
  private float[] scores;
  private float[] grad;
  private float[] userLogQ;
  private float[] itemLogQ;

  @Setup
  public void setUp() {
    loss = new InfoNceLoss(direction, VectorOpsProvider.choose("auto"));
    SplittableRandom rng = new SplittableRandom(3);
    scores = new float[batch * batch];
    for (int k = 0; k < scores.length; k++) {
      scores[k] = (float) ((rng.nextDouble() * 2 - 1) / 0.125); // cosine / τ with τ = 0.125
    }
    grad = new float[scores.length];
    userLogQ = new float[batch];
    itemLogQ = new float[batch];
    for (int b = 0; b < batch; b++) {
      userLogQ[b] = (float) -(8 + 5 * rng.nextDouble()); // marginals of a million-pair data set
      itemLogQ[b] = (float) -(6 + 7 * rng.nextDouble());
    }
  }

  @Benchmark
  public float lossAndGradient() {
    return loss.lossAndGradient(scores, batch, batch, batch, userLogQ, itemLogQ, grad);
  }
}
