package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.totalrecall.model.Scorer;
import org.totalrecall.util.Checks;

/**
 * Hyperparameters of the two-tower batch trainer ({@link Trainer}). Immutable; every field is
 * validated on construction and errors name the field. {@link #defaults()} is the recipe of the
 * TotalRecall paper for ML-1M and of the PyTorch peer reference (dim 64, cosine scorer with
 * τ = 0.111, batch 512, Bi-InfoNCE with in-batch negatives and the logQ correction, Adam,
 * N(0, 0.1²) initialisation, no L2, 30 epochs) with three changes found by tuning on ML-1M: η
 * starts at 0.003 instead of a constant 0.002 and decays linearly towards 0 over the run,
 * τ = 0.125, and the correction strength α ({@code logQWeight}) is 0.9 instead of 1. Measured on
 * ML-1M, protocol ncf, 30 epochs, seed 1, one thread (HR@10 / NDCG@10): constant 0.002 about
 * 0.719 / 0.447; linear from 0.002 0.726 / 0.449; linear from 0.003 0.729 / 0.451; the same with
 * τ = 0.125 0.7315 / 0.4511 (two threads: 0.7263 / 0.4493 with τ = 0.111, 0.7300 / 0.4512 with
 * τ = 0.125). With two threads (Hogwild, so runs differ) α = 1 gave NDCG@10 0.4506, 0.4502,
 * 0.4502, 0.4500 and 0.4517 in five runs, α = 0.9 gave 0.4527, 0.4515, 0.4520 and 0.4513 (HR@10 about
 * 0.729 against 0.732); α = 0.85 0.4524, 0.8 0.4489, 0.95 0.4508. The paper reports
 * 0.7281 / 0.4541. {@code withLearningRate(0.002f).withLearningRateDecay(CONSTANT).withTemperature(0.111f)
 * .withLogQWeight(1f)} is the peer recipe exactly, and {@code withLogQWeight(1f)} is eq. 3 exactly.
 *
 * <p>α is data-dependent: on Gowalla (protocol full, 2 threads) α = 1.75 with τ = 0.09 and L2
 * 0.01 gives Recall@20 / NDCG@20 0.177 / 0.146 against 0.167 / 0.130 for τ 0.125 and α 1 (and the
 * gain in NDCG holds on a validation holdout carved from the training part: 0.1389 against
 * 0.1331), while on ML-1M (protocol ncf) α = 1.75 drops HR@10 / NDCG@10 to 0.661 / 0.393. ML-1M's
 * test item is each user's latest, Gowalla's a random fifth of each user's items.
 *
 * @param dim embedding width shared by both towers
 * @param epochs passes over the training pairs (an upper bound when early stopping)
 * @param batchSize positive pairs per mini-batch; with in-batch negatives also the number of candidates
 * @param learningRate optimizer step size η (the initial one with a decaying schedule)
 * @param learningRateDecay CONSTANT (the paper's recipe) or LINEAR towards 0 over all steps
 * @param l2 L2 penalty λ: each touched row's gradient gets + λ·w per batch (the gradient of (λ/2)‖w‖²)
 * @param scorer cosine with temperature (TotalRecall eq. 2) or plain dot
 * @param temperature τ of the cosine scorer; ignored (stored as 1) for dot
 * @param objective the batch objective
 * @param logQCorrection subtract log q of the candidates (Yi et al. 2019); false = CLRec's uncorrected loss
 * @param optimizer per-row optimizer
 * @param beta1 Adam β1
 * @param beta2 Adam β2
 * @param epsilon Adam's and Adagrad's ε
 * @param initStd standard deviation of the N(0, σ²) initialisation of both tables
 * @param threads worker threads; 1 = bitwise reproducible for a given seed
 * @param seed master seed of initialisation, shuffling and sampling
 * @param evalEvery validate every this many epochs (and after the last), when a validator is given
 * @param evalEveryRecords also validate every this many records consumed within epochs; 0 = off
 * @param patience stop after this many validations in a row without improvement; 0 = never stop early
 * @param keepBest return the tables of the best validation instead of the last ones
 * @param extraNegatives M uniform extra item (and user) candidates per batch on top of the in-batch ones
 *     ({@link org.totalrecall.sampler.MixedSampler}); 0 = in-batch negatives only
 * @param logQWeight α, the strength of the logQ correction: the objective sees s − α·log Q (1 = Yi et al.'s
 *     correction exactly; ignored when {@code logQCorrection} is false). See {@link Trainer}.
 */
public record TrainConfig(
    int dim,
    int epochs,
    int batchSize,
    float learningRate,
    LearningRateSchedule.Decay learningRateDecay,
    float l2,
    Scorer.Kind scorer,
    float temperature,
    ObjectiveKind objective,
    boolean logQCorrection,
    OptimizerKind optimizer,
    float beta1,
    float beta2,
    float epsilon,
    float initStd,
    int threads,
    long seed,
    int evalEvery,
    long evalEveryRecords,
    int patience,
    boolean keepBest,
    int extraNegatives,
    float logQWeight) {

  /** The widest embedding accepted (a sanity bound; the heap is checked by {@link Trainer#checkResources}). */
  public static final int MAX_DIM = 1 << 16;

  /** The most worker threads accepted (a sanity bound; the CLI allows at most 8 per core). */
  public static final int MAX_THREADS = 1024;

  /** Validates every field; see the class Javadoc for their meaning. */
  public TrainConfig {
    Checks.positive("dim", dim);
    Checks.positive("epochs", epochs);
    Checks.positive("batchSize", batchSize);
    Checks.positive("learningRate", learningRate);
    Checks.notNull("learningRateDecay", learningRateDecay);
    Checks.nonNegative("l2", l2);
    Checks.notNull("scorer", scorer);
    Checks.positive("temperature", temperature);
    Checks.notNull("objective", objective);
    Checks.notNull("optimizer", optimizer);
    if (!(beta1 >= 0f && beta1 < 1f)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0f && beta2 < 1f)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
    }
    Checks.positive("epsilon", epsilon);
    Checks.positive("initStd", initStd);
    Checks.positive("threads", threads);
    Checks.positive("evalEvery", evalEvery);
    if (evalEveryRecords < 0) {
      throw new IllegalArgumentException("evalEveryRecords must be >= 0, got " + evalEveryRecords);
    }
    Checks.nonNegative("patience", patience);
    Checks.nonNegative("extraNegatives", extraNegatives);
    if (!(logQWeight >= 0f && logQWeight <= 10f)) {
      throw new IllegalArgumentException("logQWeight must be in [0, 10], got " + logQWeight);
    }
    if (dim > MAX_DIM) {
      throw new IllegalArgumentException("dim must be <= " + MAX_DIM + ", got " + dim);
    }
    if (threads > MAX_THREADS) {
      throw new IllegalArgumentException("threads must be <= " + MAX_THREADS + ", got " + threads);
    }
    if (batchSize > 46_340) { // the batch score matrix (batchSize²) must fit one Java array
      throw new IllegalArgumentException("batchSize must be <= 46340, got " + batchSize);
    }
    if ((long) batchSize + extraNegatives > 46_340) { // likewise with the extra candidates: (B + M)²
      throw new IllegalArgumentException("extraNegatives must be <= 46340 - batchSize = " + (46_340 - batchSize)
          + ", got " + extraNegatives);
    }
  }

  /**
   * The paper/peer recipe with linear decay, τ = 0.125 and α = 0.9 (see the class Javadoc), with one thread per
   * available processor.
   */
  public static TrainConfig defaults() {
    return new TrainConfig(64, 30, 512, 0.003f, LearningRateSchedule.Decay.LINEAR, 0f, Scorer.Kind.COSINE, 0.125f,
        ObjectiveKind.BI_INFONCE, true, OptimizerKind.ADAM, 0.9f, 0.999f, 1e-8f, 0.1f,
        Runtime.getRuntime().availableProcessors(), 1L, 1, 0L, 5, true, 0, 0.9f);
  }

  /** The scorer these settings train: cosine with {@link #temperature()} or dot. */
  public Scorer toScorer() {
    return scorer == Scorer.Kind.COSINE ? Scorer.cosine(temperature) : Scorer.dot();
  }

  /** The settings as an ordered map for model metadata and JSON reports (enums by CLI name). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dim", dim);
    m.put("epochs", epochs);
    m.put("batchSize", batchSize);
    m.put("learningRate", (double) learningRate);
    m.put("learningRateDecay", learningRateDecay.name().toLowerCase(java.util.Locale.ROOT));
    m.put("l2", (double) l2);
    m.put("scorer", scorer.name().toLowerCase(java.util.Locale.ROOT));
    m.put("temperature", (double) temperature);
    m.put("objective", objective.cliName());
    m.put("logQCorrection", logQCorrection);
    m.put("optimizer", optimizer.cliName());
    m.put("beta1", (double) beta1);
    m.put("beta2", (double) beta2);
    m.put("epsilon", (double) epsilon);
    m.put("initStd", (double) initStd);
    m.put("threads", threads);
    m.put("seed", seed);
    m.put("evalEvery", evalEvery);
    m.put("evalEveryRecords", evalEveryRecords);
    m.put("patience", patience);
    m.put("keepBest", keepBest);
    m.put("extraNegatives", extraNegatives);
    m.put("logQWeight", (double) logQWeight);
    return m;
  }

  /** A copy with dim replaced (embedding width shared by both towers). */
  public TrainConfig withDim(int dim) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with epochs replaced (passes over the training pairs (an upper bound when early stopping)). */
  public TrainConfig withEpochs(int epochs) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with batchSize replaced (positive pairs per mini-batch; with in-batch negatives also the number of candidates). */
  public TrainConfig withBatchSize(int batchSize) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with learningRate replaced (optimizer step size η (constant)). */
  public TrainConfig withLearningRate(float learningRate) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with learningRateDecay replaced (CONSTANT or LINEAR towards 0 over all steps). */
  public TrainConfig withLearningRateDecay(LearningRateSchedule.Decay learningRateDecay) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with l2 replaced (L2 penalty λ: each touched row's gradient gets + λ·w per batch (the gradient of (λ/2)‖w‖²)). */
  public TrainConfig withL2(float l2) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with scorer replaced (cosine with temperature (TotalRecall eq. 2) or plain dot). */
  public TrainConfig withScorer(Scorer.Kind scorer) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with temperature replaced (τ of the cosine scorer; ignored (stored as 1) for dot). */
  public TrainConfig withTemperature(float temperature) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with objective replaced (the batch objective). */
  public TrainConfig withObjective(ObjectiveKind objective) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with logQCorrection replaced (subtract log q of the candidates (Yi et al. 2019); false = CLRec's uncorrected loss). */
  public TrainConfig withLogQCorrection(boolean logQCorrection) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with optimizer replaced (per-row optimizer). */
  public TrainConfig withOptimizer(OptimizerKind optimizer) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with beta1 replaced (Adam β1). */
  public TrainConfig withBeta1(float beta1) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with beta2 replaced (Adam β2). */
  public TrainConfig withBeta2(float beta2) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with epsilon replaced (Adam's and Adagrad's ε). */
  public TrainConfig withEpsilon(float epsilon) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with initStd replaced (standard deviation of the N(0, σ²) initialisation of both tables). */
  public TrainConfig withInitStd(float initStd) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with threads replaced (worker threads; 1 = bitwise reproducible for a given seed). */
  public TrainConfig withThreads(int threads) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with seed replaced (master seed of initialisation, shuffling and sampling). */
  public TrainConfig withSeed(long seed) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with evalEvery replaced (validate every this many epochs (and after the last), when a validator is given). */
  public TrainConfig withEvalEvery(int evalEvery) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with evalEveryRecords replaced (also validate every this many records consumed within epochs; 0 = off). */
  public TrainConfig withEvalEveryRecords(long evalEveryRecords) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with patience replaced (stop after this many validations in a row without improvement; 0 = never stop early). */
  public TrainConfig withPatience(int patience) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with keepBest replaced (return the tables of the best validation instead of the last ones). */
  public TrainConfig withKeepBest(boolean keepBest) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with extraNegatives replaced (uniform extra candidates per batch and side; 0 = in-batch only). */
  public TrainConfig withExtraNegatives(int extraNegatives) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }

  /** A copy with logQWeight replaced (α: the objective sees s − α·log Q). */
  public TrainConfig withLogQWeight(float logQWeight) {
    return new TrainConfig(dim, epochs, batchSize, learningRate, learningRateDecay, l2, scorer, temperature, objective, logQCorrection, optimizer, beta1, beta2, epsilon, initStd, threads, seed, evalEvery, evalEveryRecords, patience, keepBest, extraNegatives, logQWeight);
  }
}
