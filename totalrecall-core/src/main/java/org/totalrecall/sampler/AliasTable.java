package org.totalrecall.sampler;

import java.util.random.RandomGenerator;

/**
 * Draws an index in {@code [0, n)} with probability proportional to a non-negative weight in O(1)
 * per draw, by the alias method (Walker 1977, "An efficient method for generating discrete random
 * variables with general distributions", ACM TOMS 3(3)), built in O(n) by Vose's small/large work
 * lists (Vose 1991, "A linear algorithm for generating random numbers with a given distribution",
 * IEEE TSE 17(9)).
 *
 * <p>The table has one bucket per index. Bucket b keeps b with probability {@code threshold[b]} and
 * otherwise yields {@code alias[b]}; a draw picks a bucket uniformly ({@link Draws#below}) and then
 * flips the bucket's coin ({@code nextDouble()}), so P(i) = (threshold[i] + Σ_{b: alias[b] = i} (1
 * − threshold[b])) / n = w_i / Σw.
 *
 * <pre>
 *   weights   [3, 0, 1]          n = 3, scaled n·w/Σw = [2.25, 0, 0.75]
 *   threshold [1, 0, 0.75]       bucket 1 always yields its alias, bucket 2 does 1/4 of the time
 *   alias     [0, 0, 0]          P(0) = (1 + 1 + 0.25)/3 = 3/4, P(1) = 0, P(2) = 0.75/3 = 1/4
 * </pre>
 *
 * <p>An index of weight 0 gets threshold 0 and an alias of positive weight, so it is never drawn
 * (nextDouble() is never below 0); its log-probability is −∞. {@link #probability} and {@link
 * #logProbability} are computed from the weights, not read back from the table, so they are exact
 * up to one rounding whatever rounding the build accumulated.
 *
 * <p>Immutable (the weights are copied) and safe to share between threads; a draw reads two flat
 * arrays and allocates nothing. All randomness comes from the caller's generator.
 */
public final class AliasTable {
  private final double[] weights;
  private final double total;
  private final double logTotal;
  private final double[] threshold;
  private final int[] alias;

  private AliasTable(double[] weights, double total, double[] threshold, int[] alias) {
    this.weights = weights;
    this.total = total;
    this.logTotal = Math.log(total);
    this.threshold = threshold;
    this.alias = alias;
  }

  /**
   * Builds the table for {@code weights} (copied; not normalised: any positive scale gives the same
   * distribution).
   *
   * @param weights one finite weight ≥ 0 per index; at least one positive, with a finite sum
   * @throws IllegalArgumentException if {@code weights} is null or empty, an entry is negative, NaN
   *     or infinite (the message names the index and the value), every entry is 0, or the sum
   *     overflows to infinity
   */
  public static AliasTable of(double[] weights) {
    if (weights == null) {
      throw new IllegalArgumentException("weights must not be null");
    }
    final int n = weights.length;
    if (n == 0) {
      throw new IllegalArgumentException("weights must not be empty");
    }
    double[] w = weights.clone();
    // Neumaier's compensated sum: the probabilities are w/total, so total should be as exact as
    // cheaply possible (a plain sum of 10^7 small weights drifts in the 9th digit).
    double sum = 0;
    double compensation = 0;
    int positive = 0;
    int largest = 0;
    for (int i = 0; i < n; i++) {
      double x = w[i];
      if (!(x >= 0) || Double.isInfinite(x)) { // written so that NaN fails
        throw new IllegalArgumentException("weights[" + i + "] must be finite and >= 0, got " + x);
      }
      if (x > 0) {
        positive++;
        if (x > w[largest]) {
          largest = i;
        }
      }
      double t = sum + x;
      compensation += Math.abs(sum) >= x ? (sum - t) + x : (x - t) + sum;
      sum = t;
    }
    if (positive == 0) {
      throw new IllegalArgumentException(
          "weights must have at least one entry > 0, got all " + n + " equal to 0");
    }
    double total = sum + compensation;
    if (!Double.isFinite(sum) || !Double.isFinite(total)) { // an overflowed sum leaves NaN in total
      throw new IllegalArgumentException(
          "weights must have a finite sum, got " + sum + " over " + n + " entries");
    }
    return build(w, total, largest);
  }

  /**
   * Vose's construction. {@code threshold} first holds each index's scaled weight n·w/Σw (mean 1);
   * indices below 1 ("small") are topped up from one at or above 1 ("large"), whose excess shrinks
   * by the amount given away and which then moves to the small list if it drops below 1. Each step
   * finalises one small bucket, so the build is O(n). Both lists live in one int array: small grows
   * up from 0, large down from n − 1 (their sizes never sum to more than n).
   */
  private static AliasTable build(double[] w, double total, int largest) {
    final int n = w.length;
    double[] threshold = new double[n];
    int[] alias = new int[n];
    int[] work = new int[n];
    int numSmall = 0;
    int numLarge = 0;
    for (int i = 0; i < n; i++) {
      double scaled = w[i] / total * n; // w/total ≤ 1 first: w·n could overflow
      threshold[i] = scaled;
      if (scaled >= 1) {
        work[n - 1 - numLarge++] = i;
      } else if (scaled > 0) {
        work[numSmall++] = i;
      }
    }
    // Zero weights go on top of the small stack so they are paired first, while a large index
    // certainly remains (their partner must have positive weight for them never to be drawn).
    for (int i = 0; i < n; i++) {
      if (w[i] == 0) {
        work[numSmall++] = i;
      }
    }
    while (numSmall > 0 && numLarge > 0) {
      int s = work[--numSmall];
      int l = work[n - numLarge];
      alias[s] = l; // threshold[s] already holds its scaled weight, now final
      // (l + s) − 1 rather than l − (1 − s): Vose's ordering, which loses less precision.
      double rest = (threshold[l] + threshold[s]) - 1;
      threshold[l] = rest;
      if (rest < 1) {
        numLarge--;
        work[numSmall++] = l;
      }
    }
    // Whatever is left is at 1 up to rounding: keep itself. A zero weight cannot be left over (the
    // others would have to sum to its share), but if rounding ever managed it, it still must not
    // be drawn: it then yields the heaviest index.
    while (numLarge > 0) {
      int l = work[n - numLarge--];
      threshold[l] = 1;
      alias[l] = l;
    }
    while (numSmall > 0) {
      int s = work[--numSmall];
      threshold[s] = w[s] > 0 ? 1 : 0;
      alias[s] = w[s] > 0 ? s : largest;
    }
    return new AliasTable(w, total, threshold, alias);
  }

  /** Number of indices (including those of weight 0). */
  public int size() {
    return weights.length;
  }

  /**
   * Draws an index with probability {@link #probability}: one uniform int below {@code size()} for
   * the bucket and one {@code rng.nextDouble()} for its coin. No allocation.
   */
  public int draw(RandomGenerator rng) {
    int bucket = Draws.below(rng, threshold.length);
    return rng.nextDouble() < threshold[bucket] ? bucket : alias[bucket];
  }

  /** w_i / Σw, exact from the weights (0 for a zero weight). */
  public double probability(int index) {
    return weights[index] / total;
  }

  /** log(w_i) − log(Σw), natural log, exact from the weights (−∞ for a zero weight). */
  public double logProbability(int index) {
    return Math.log(weights[index]) - logTotal;
  }

  /**
   * The distribution the table actually draws from, read back from the buckets in O(n): entry i is
   * (threshold[i] + Σ_{b: alias[b] = i} (1 − threshold[b])) / n. For tests of the build.
   */
  double[] tableProbabilities() {
    final int n = threshold.length;
    double[] p = new double[n];
    for (int b = 0; b < n; b++) {
      p[b] += threshold[b] / n;
      p[alias[b]] += (1 - threshold[b]) / n;
    }
    return p;
  }
}
