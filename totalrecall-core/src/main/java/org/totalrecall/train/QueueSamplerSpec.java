package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.sampler.BatchSampler;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.MomentumQueueSampler;
import org.totalrecall.sampler.QueueSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * CLRec's queue-based negatives (paper 003, sec. 3.2), shared by the batch: {@code queue}, the
 * inter-batch FIFO of the last r item keys whose vectors are recomputed with the current item table
 * ({@link QueueSampler}; r = B is intra-batch; an i2u term keeps the batch's users), and {@code
 * moco}, a queue of cached key vectors from a momentum copy of the item table, λ·θ_k + (1 − λ)·θ_q
 * (eq. 5; {@link MomentumQueueSampler}). With log Q of the empirical marginals, for the in-batch
 * objectives with or without the correction ({@code --no-logq} is CLRec's debiased loss, sec. 3.3).
 *
 * @param capacity r, the keys per step including the batch's own
 * @param moco cached keys from the momentum table instead of recomputed ones
 * @param momentum λ of moco
 */
public record QueueSamplerSpec(int capacity, boolean moco, float momentum) implements SamplerSpec {
  /** The default r. */
  public static final int DEFAULT_CAPACITY = 4096;

  /** The default λ. */
  public static final float DEFAULT_MOMENTUM = 0.99f;

  private static final Param QUEUE =
      new Param(
          "queue",
          Param.Kind.INT,
          "R",
          "CLRec's queue capacity r: keys per step including the batch's own (queue, moco; default "
              + DEFAULT_CAPACITY
              + ").");

  static final SpecType<SamplerSpec> QUEUE_TYPE =
      new SpecType<>(
          "queue",
          "CLRec inter-batch: a FIFO of the last R positives' keys, recomputed with the current tables, as shared"
              + " negatives (paper 003 sec. 3.2.2; R = batch is in-batch).",
          List.of(QUEUE),
          p -> new QueueSamplerSpec(p.getInt("queue", DEFAULT_CAPACITY), false, DEFAULT_MOMENTUM));

  static final SpecType<SamplerSpec> MOCO_TYPE =
      new SpecType<>(
          "moco",
          "CLRec-moco: a FIFO of cached item keys from a momentum copy of the item table, no gradient (paper 003 sec."
              + " 3.2.3, eq. 5).",
          List.of(
              QUEUE,
              new Param(
                  "momentum",
                  Param.Kind.FLOAT,
                  "L",
                  "moco's key-table momentum lambda in [0, 1) (default "
                      + DEFAULT_MOMENTUM
                      + ").")),
          p ->
              new QueueSamplerSpec(
                  p.getInt("queue", DEFAULT_CAPACITY),
                  true,
                  p.getFloat("momentum", DEFAULT_MOMENTUM)));

  public QueueSamplerSpec {
    if (capacity < 1 || capacity > TrainConfig.MAX_BLOCK) {
      throw new IllegalArgumentException(
          "--queue must be in [1, " + TrainConfig.MAX_BLOCK + "], got " + capacity);
    }
    if (!(momentum >= 0f && momentum < 1f)) {
      throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
    }
  }

  @Override
  public String name() {
    return moco ? MOCO_TYPE.name() : QUEUE_TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", capacity);
    if (moco) {
      m.put("momentum", MapValues.decimal(momentum));
    }
    return m;
  }

  @Override
  public String batchProblem(int batchSize) {
    return capacity >= batchSize
        ? null
        : "--queue "
            + capacity
            + " must be at least --batch-size "
            + batchSize
            + " (the queue holds the batch's own keys; --queue equal to the batch size is in-batch)";
  }

  @Override
  public CandidateLayout layout() {
    return CandidateLayout.SHARED;
  }

  @Override
  public int maxCandidates(int batchSize) {
    return Math.max(capacity, batchSize);
  }

  /** The batch's own users only: the queue holds item keys. */
  @Override
  public int maxUserCandidates(int batchSize) {
    return batchSize;
  }

  @Override
  public BatchSampler create(SamplerContext context) {
    if (moco) {
      return new MomentumQueueSampler(
          context.train(),
          context.items(),
          context.batchSize(),
          capacity,
          momentum,
          VectorOps.best());
    }
    // item keys only, as CLRec's u2i queue: queuing the users too would make the block (B + r)² for
    // an objective with an i2u term (81x in-batch's at r = 4,096, B = 512, against 9x)
    return new QueueSampler(
        context.train(), context.batchSize(), capacity, false, context.extraItems());
  }
}
