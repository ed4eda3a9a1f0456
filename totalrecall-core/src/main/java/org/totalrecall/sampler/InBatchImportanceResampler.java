package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.util.Checks;

/**
 * In-batch importance resampling (BIR: Chen et al. 2022, "Cache-Augmented Inbatch Importance
 * Resampling for Training Recommender Retriever", NeurIPS; its in-batch variant without the cache):
 * the batch's own users and items as {@link InBatchSampler} draws them, and then, once the batch is
 * scored, for each user row b, K draws with replacement from the row's negatives j ≠ b with
 *
 * <pre>
 *   w_bj = exp(o_bj − log q(i_j)) / Σ_{k ≠ b} exp(o_bk − log q(i_k))
 * </pre>
 *
 * o being the logits the loss sees (scores over τ) and q the in-batch proposal, the items'
 * empirical marginals. The batch's items are a sample from q; reweighting them by exp(o)/q and
 * resampling is sampling-importance-resampling towards the softmax p(j|u) ∝ exp(o_uj) over the
 * whole catalogue, so each user gets its own negatives, the ones the current model ranks high (an
 * adaptive sampler on top of a static one). The u2i softmax then runs over the row's positive and
 * its K resampled negatives, each counted as often as it was drawn ({@link BatchSampler#resample});
 * an i2u term keeps the whole batch's users. With {@code --no-logq} the u2i term is the plain
 * softmax over that multiset; with the correction on, each drawn candidate also carries −α·log q,
 * as in-batch does.
 *
 * <p>Cost per row: one (SIMD) exponential per entry of the block, an alias table over the row
 * (Vose's method, O(B)) and K draws of one random number each, beside the block's O(B²·d) products.
 * One instance per worker ({@link #forWorker}) holds the scratch.
 */
public final class InBatchImportanceResampler implements BatchSampler {
  private final InBatchSampler inBatch;
  private final int draws;
  private final VectorOps ops;
  private double[] prob = new double[0];
  private int[] alias = new int[0];
  private int[] smallStack = new int[0];
  private int[] largeStack = new int[0];
  private float[] weight = new float[0];
  private int[] counts = new int[0];
  private float[] logCount = new float[0];

  /**
   * @param inBatch the in-batch sampler whose batches are resampled (its log q is the proposal)
   * @param draws K, the negatives resampled per row
   * @param ops the kernels for the row's exponentials
   */
  public InBatchImportanceResampler(InBatchSampler inBatch, int draws, VectorOps ops) {
    this.inBatch = Checks.notNull("inBatch", inBatch);
    this.draws = Checks.positive("draws", draws);
    this.ops = Checks.notNull("ops", ops);
  }

  /** K, the negatives resampled per row. */
  public int draws() {
    return draws;
  }

  @Override
  public BatchSampler forWorker() {
    return new InBatchImportanceResampler(inBatch, draws, ops);
  }

  @Override
  public void sample(
      int[] batchUsers,
      int[] batchItems,
      int from,
      int size,
      RandomGenerator rng,
      BatchCandidates out) {
    inBatch.sample(batchUsers, batchItems, from, size, rng, out);
  }

  @Override
  public boolean resamplesByScore() {
    return true;
  }

  @Override
  public void resample(
      float[] logits,
      int rows,
      int cols,
      BatchCandidates candidates,
      RandomGenerator rng,
      float[] logMultiplicity) {
    int positives = candidates.numPositives();
    float[] logQ = candidates.itemLogQ();
    grow(cols);
    final int[] m = counts;
    for (int b = 0; b < positives; b++) {
      int off = b * cols;
      final float[] w = weight;
      for (int j = 0; j < cols; j++) {
        w[j] = logits[off + j] - logQ[j];
      }
      w[b] = Float.NEGATIVE_INFINITY; // the positive is not a negative
      float max = ops.max(w, 0, cols);
      double total = 0;
      if (max > Float.NEGATIVE_INFINITY) {
        total = ops.expShiftSum(w, 0, cols, max); // w = exp(o − log q − max), −∞ → 0
      }
      if (total > 0) {
        buildAlias(w, cols, total);
        for (int k = 0; k < draws; k++) {
          m[drawAlias(rng.nextLong(), cols)]++;
        }
      }
      for (int j = 0; j < cols; j++) {
        logMultiplicity[off + j] = logCount[m[j]];
        m[j] = 0;
      }
      logMultiplicity[off + b] = 0f; // the positive, once
    }
  }

  /**
   * Vose's alias method over the weights w[0, n) (total {@code total}, some positive): column j is
   * kept with probability prob[j] and otherwise gives way to alias[j], so a draw is one random
   * number and one comparison. A zero weight gets probability 0 and an alias of positive weight,
   * also when rounding leaves it last.
   */
  private void buildAlias(float[] w, int n, double total) {
    final double[] p = prob;
    final int[] small = smallStack;
    final int[] large = largeStack;
    int ns = 0;
    int nl = 0;
    int heaviest = 0;
    double scale = n / total;
    for (int j = 0; j < n; j++) {
      p[j] = w[j] * scale;
      if (w[j] > w[heaviest]) {
        heaviest = j;
      }
      if (p[j] < 1) {
        small[ns++] = j;
      } else {
        large[nl++] = j;
      }
    }
    while (ns > 0 && nl > 0) {
      int sj = small[--ns];
      int lj = large[--nl];
      alias[sj] = lj; // p[sj] stays its keep probability
      p[lj] = (p[lj] + p[sj]) - 1;
      if (p[lj] < 1) {
        small[ns++] = lj;
      } else {
        large[nl++] = lj;
      }
    }
    while (nl > 0) {
      int lj = large[--nl];
      p[lj] = 1;
      alias[lj] = lj;
    }
    while (ns > 0) { // rounding leftovers: full probability if they weigh anything
      int sj = small[--ns];
      p[sj] = w[sj] > 0 ? 1 : 0;
      alias[sj] = heaviest;
    }
  }

  /** A column from the alias table: the high 32 bits pick it, the low 32 its keep-or-alias. */
  private int drawAlias(long bits, int n) {
    int j = (int) (((bits >>> 32) * n) >>> 32);
    double keep = (bits & 0xFFFF_FFFFL) * 0x1.0p-32;
    return keep < prob[j] ? j : alias[j];
  }

  private void grow(int cols) {
    if (prob.length < cols) {
      prob = new double[cols];
      alias = new int[cols];
      smallStack = new int[cols];
      largeStack = new int[cols];
      weight = new float[cols];
      counts = new int[cols];
    }
    if (logCount.length == 0) {
      logCount = new float[draws + 1];
      logCount[0] = Float.NEGATIVE_INFINITY;
      for (int c = 1; c <= draws; c++) {
        logCount[c] = (float) Math.log(c);
      }
    }
  }

  @Override
  public int maxUsers(int batchSize) {
    return inBatch.maxUsers(batchSize);
  }

  @Override
  public int maxItems(int batchSize) {
    return inBatch.maxItems(batchSize);
  }
}
