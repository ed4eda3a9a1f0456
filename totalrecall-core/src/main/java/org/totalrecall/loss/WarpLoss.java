package org.totalrecall.loss;

import java.util.Arrays;
import org.totalrecall.util.Checks;

/**
 * WARP, the Weighted Approximate-Rank Pairwise loss (Weston, Bengio &amp; Usunier 2011, "WSABIE:
 * Scaling Up To Large Vocabulary Image Annotation", IJCAI: the rank-weighted hinge with L(k) =
 * Σ_{j≤k} 1/j, and its online rank estimate ⌊(Y − 1)/N⌋ from the number N of sampling trials out of
 * Y labels); in the survey (paper 001) sec. 4.2.3, eq. 17.
 *
 * <p>Each row's negatives must be items drawn uniformly from the catalogue, in the order they were
 * drawn: column k is the k-th trial of WARP's rejection sampler, and width − 1 caps the number of
 * trials. The first column k (scanning 1..width−1 in order) whose score violates the margin, s_k
 * &gt; s_pos − m, is the sampled violator, found after t = k trials; the columns after it are never
 * looked at. With N = {@code numItems}:
 *
 * <pre>
 *   rank estimate   r = ⌊(N − 1) / t⌋                              ({@link #rankEstimate})
 *   rank weight     L(r) = H_r = Σ_{j=1..r} 1/j by default ({@link #rankWeight}); the survey's
 *                   other choices, AUC's r/(N − 1) and precision@K's δ(r ≥ K): {@link RankWeight}
 *   L_row = w_row · L(r) · max(0, m − s_pos + s_t)
 *   dL/ds_pos = −w_row · L(r),   dL/ds_t = w_row · L(r),   every other column 0
 * </pre>
 *
 * A row with no violator (every s_k ≤ s_pos − m) has loss 0 and a zero gradient, as has one whose
 * violator came so late (t &gt; N − 1, possible when the block holds more trials than the catalogue
 * has negatives) that its rank estimate is 0. A score exactly on the margin does not violate it
 * (the hinge's subgradient 0). L(r) is treated as a constant weight: the loss is piecewise linear
 * in the scores and jumps where the violator or its rank changes, so its gradient is that of the
 * hinge at the sampled violator. {@code logQ} is not read; w_row is the row's example weight.
 *
 * <p>Stateless and immutable: thread-safe.
 */
public final class WarpLoss implements RowObjective {
  /** Euler–Mascheroni constant γ = lim (H_n − ln n). */
  private static final double EULER_GAMMA = 0.5772156649015329;

  /**
   * H_0..H_{TABLE_SIZE−1}, summed once. Above it the asymptotic expansion is exact to double
   * precision, so no table grows with the catalogue (a per-worker table of N doubles would cost 80
   * MB per worker at ten million items).
   */
  private static final int TABLE_SIZE = 4096;

  private static final double[] HARMONIC = harmonicTable(TABLE_SIZE);

  private final int numItems;
  private final double margin;
  private final RankWeight rankWeight;

  /**
   * Margin 1 (as WSABIE and the survey's condition ŷ(j) + 1 &gt; ŷ(i)).
   *
   * @param numItems N ≥ 1, the number of items the negatives are drawn from
   */
  public WarpLoss(int numItems) {
    this(numItems, 1.0);
  }

  /**
   * @param numItems N ≥ 1, the number of items the negatives are drawn from
   * @param margin m ≥ 0 (default 1): a negative violates if s_k &gt; s_pos − m
   * @throws IllegalArgumentException if numItems &lt; 1 or margin is negative, infinite or NaN
   */
  public WarpLoss(int numItems, double margin) {
    this(numItems, margin, new RankWeight.Harmonic());
  }

  /**
   * @param numItems N ≥ 1, the number of items the negatives are drawn from
   * @param margin m ≥ 0: a negative violates if s_k &gt; s_pos − m
   * @param rankWeight L(r), the penalty of rank r
   */
  public WarpLoss(int numItems, double margin, RankWeight rankWeight) {
    this.numItems = Checks.positive("numItems", numItems);
    this.margin = Checks.nonNegative("margin", margin);
    this.rankWeight = Checks.notNull("rankWeight", rankWeight);
  }

  /** N, the number of items the negatives are drawn from. */
  public int numItems() {
    return numItems;
  }

  /** m, the margin. */
  public double margin() {
    return margin;
  }

  /**
   * WARP's estimate of the positive's rank, the number V of negatives that violate the margin (s_k
   * &gt; s_pos − m), after the first violator came at trial {@code trials}: ⌊(numItems − 1) /
   * trials⌋. With V violators among the N − 1 negatives, uniform draws find the first one after a
   * geometric number of trials with mean (N − 1)/V, which this inverts.
   *
   * @param numItems N ≥ 1
   * @param trials t ≥ 1, the column of the first violator
   * @throws IllegalArgumentException if either is below 1
   */
  public static int rankEstimate(int numItems, int trials) {
    if (numItems < 1 || trials < 1) {
      throw new IllegalArgumentException(
          "numItems and trials must be >= 1, got numItems " + numItems + ", trials " + trials);
    }
    return (numItems - 1) / trials;
  }

  /**
   * WSABIE's rank weight L(r) = Σ_{j=1..r} 1/j, the harmonic number H_r (0 for r = 0): it grows
   * like log r, so a positive far down the ranking gets a larger but not proportionally larger
   * step, which favours precision at the top. Read from a table for r &lt; 4096; above, the
   * asymptotic expansion ln r + γ + 1/(2r) − 1/(12r²) + 1/(120r⁴), whose error (&lt; 1/(252r⁶)) is
   * far below double rounding there.
   *
   * @param rank r ≥ 0
   * @throws IllegalArgumentException if rank is negative
   */
  public static double rankWeight(int rank) {
    if (rank < TABLE_SIZE) {
      if (rank < 0) {
        throw new IllegalArgumentException("rank must be >= 0, got " + rank);
      }
      return HARMONIC[rank];
    }
    double r = rank;
    double inv2 = 1 / (r * r);
    return Math.log(r) + EULER_GAMMA + 0.5 / r - inv2 / 12 + inv2 * inv2 / 120;
  }

  private static double[] harmonicTable(int size) {
    // compensated (Kahan) summation: a plain running sum drifts by ~n ulps (3e−14 at 4096),
    // which would show as a step at the switch to the expansion
    double[] h = new double[size];
    double sum = 0;
    double lost = 0; // the low-order part of sum that the last addition rounded away
    for (int j = 1; j < size; j++) {
      double term = 1.0 / j - lost;
      double next = sum + term;
      lost = (next - sum) - term;
      sum = next;
      h[j] = sum;
    }
    return h;
  }

  /**
   * The number of trials t until the row's first violator, i.e. its column, or 0 if none of columns
   * 1..width−1 violates the margin. The row starts at {@code off}.
   */
  int trials(float[] scores, int off, int width) {
    // violation written as m − s_pos + s_k > 0, the same expression as the hinge, so a found
    // violator always has a positive hinge
    final double threshold = margin - scores[off];
    for (int k = 1; k < width; k++) {
      if (threshold + scores[off + k] > 0) {
        return k;
      }
    }
    return 0;
  }

  @Override
  public double lossAndGradient(
      float[] scores, int rows, int width, float[] logQ, float[] weights, float[] grad) {
    RowBlocks.check(scores, rows, width, logQ, weights, grad);
    final int n = numItems;
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      final int off = r * width;
      Arrays.fill(grad, off, off + width, 0f);
      final int t = trials(scores, off, width);
      if (t == 0) {
        continue;
      }
      final double w = weights == null ? 1 : weights[r];
      final double step = w * rankWeight.weight(rankEstimate(n, t), n);
      if (step == 0) {
        continue; // a zero rank weight (rank estimate 0, or inside precision@K's top K): no loss,
        // no gradient
      }
      loss += step * (margin - scores[off] + scores[off + t]);
      grad[off] = (float) -step;
      grad[off + t] = (float) step;
    }
    return loss;
  }
}
