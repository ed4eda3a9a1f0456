package org.totalrecall.train;

import java.util.List;
import java.util.Map;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.loss.InfoNceLoss;
import org.totalrecall.sampler.BatchSampler;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.InBatchImportanceResampler;
import org.totalrecall.sampler.InBatchSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * {@code bir}: in-batch importance resampling ({@link InBatchImportanceResampler}; Chen et al.
 * 2022): in-batch candidates, then per user row K negatives resampled from the batch's items with
 * weights exp(o − log q) under the current model, for the InfoNCE objectives with a u2i softmax
 * (the resampling is of item candidates; an i2u term keeps the batch's users).
 *
 * @param draws K, the negatives resampled per row
 */
public record BirSamplerSpec(int draws) implements SamplerSpec {
  /** The default K, the default batch size. */
  public static final int DEFAULT_DRAWS = 512;

  static final SpecType<SamplerSpec> TYPE =
      new SpecType<>(
          "bir",
          "In-batch importance resampling: per user, K negatives resampled from the batch's items by exp(score - log q)"
              + " under the current model (Chen et al. 2022, BIR); for bi-infonce and infonce-u2i.",
          List.of(
              new Param(
                  "draws",
                  Param.Kind.INT,
                  "K",
                  "Negatives resampled per user from the batch (bir; default "
                      + DEFAULT_DRAWS
                      + ").")),
          p -> new BirSamplerSpec(p.getInt("draws", DEFAULT_DRAWS)));

  public BirSamplerSpec {
    if (draws < 1 || draws > TrainConfig.MAX_BLOCK) {
      throw new IllegalArgumentException(
          "--draws must be in 1.." + TrainConfig.MAX_BLOCK + ", got " + draws);
    }
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of("draws", draws);
  }

  @Override
  public String objectiveProblem(ObjectiveSpec objective) {
    return objective instanceof InfoNceSpec info && info.direction() != InfoNceLoss.Direction.I2U
        ? null
        : "--sampler bir resamples the items of a u2i softmax: use --objective bi-infonce or infonce-u2i, not "
            + objective.name();
  }

  @Override
  public CandidateLayout layout() {
    return CandidateLayout.SHARED;
  }

  @Override
  public int maxCandidates(int batchSize) {
    return batchSize;
  }

  @Override
  public BatchSampler create(SamplerContext context) {
    return new InBatchImportanceResampler(
        InBatchSampler.fromInteractions(context.train()), draws, VectorOps.best());
  }
}
