package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.util.Checks;

/**
 * A static proposal over the items (or the users) from which negatives are drawn: the uniform
 * distribution q(j) = 1/N, or popularity sampling q(j) ∝ count(j)^β (Rendle, "Item Recommendation
 * from Implicit Feedback", sec. 4.1: q(j|c) ∝ |C_j|^β with a squashing exponent β; word2vec's
 * unigram^0.75 table, Mikolov et al. 2013), drawn in O(1) with an {@link AliasTable}.
 *
 * <p><b>Popularity.</b> count(j) is the number of training pairs of index j (the column counts of
 * the training matrix for items, the row counts for users; weights are not used: each stored pair
 * counts once). The weight is count^β for count &gt; 0 and 0 for count = 0, for every β ≥ 0:
 * indices without training pairs are never drawn. So β = 1 is the empirical marginal, β = 0.75
 * word2vec's squashing, and β = 0 is uniform over the indices <em>with</em> training pairs (the
 * limit of count^β as β → 0 on the support); the uniform distribution over all N indices, including
 * those without pairs, is {@link #uniform}.
 *
 * <p>Immutable and safe to share between threads; draws allocate nothing. Indices are dense.
 */
public final class NegativeDistribution {
  private final int size;
  private final AliasTable table; // null for the uniform distribution
  private final float[] logQ; // per index for a table; null for the uniform distribution
  private final float uniformLogQ;
  private final String description;

  private NegativeDistribution(int size, AliasTable table, float[] logQ, String description) {
    this.size = size;
    this.table = table;
    this.logQ = logQ;
    this.uniformLogQ = (float) -Math.log(size);
    this.description = description;
  }

  /** The uniform distribution over {@code size} indices: q = 1/size each. */
  public static NegativeDistribution uniform(int size) {
    Checks.positive("size", size);
    return new NegativeDistribution(size, null, null, "uniform over " + size);
  }

  /**
   * Popularity sampling: q(j) = count(j)^β / Σ_k count(k)^β over the indices with count &gt; 0;
   * q(j) = 0 where count(j) = 0 (see the class comment).
   *
   * @param counts training pairs per index (read, not kept); each ≥ 0, at least one &gt; 0
   * @param exponent β, finite and ≥ 0
   * @throws IllegalArgumentException for a bad exponent, a negative count or all counts 0
   */
  public static NegativeDistribution popularity(long[] counts, double exponent) {
    Checks.notNull("counts", counts);
    Checks.nonNegative("exponent", exponent);
    long max = 0;
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] < 0) {
        throw new IllegalArgumentException("counts[" + j + "] must be >= 0, got " + counts[j]);
      }
      max = Math.max(max, counts[j]);
    }
    if (max == 0) {
      throw new IllegalArgumentException(
          "counts must have at least one entry > 0 for popularity sampling, got all "
              + counts.length
              + " equal to 0");
    }
    double[] weights = new double[counts.length];
    for (int j = 0; j < counts.length; j++) {
      // (count / max)^β is count^β up to a common factor, which cannot overflow for any β.
      weights[j] = counts[j] == 0 ? 0 : Math.pow((double) counts[j] / max, exponent);
    }
    AliasTable table = AliasTable.of(weights);
    float[] logQ = new float[counts.length];
    for (int j = 0; j < counts.length; j++) {
      logQ[j] = (float) table.logProbability(j);
    }
    return new NegativeDistribution(
        counts.length, table, logQ, "popularity^" + exponent + " over " + counts.length);
  }

  /**
   * Log-popularity: q(j) = log(1 + count(j)) / Σ_k log(1 + count(k)), the popularity proposal of
   * PRIS and AdaSIR (paper 002, sec. 4.3); q(j) = 0 where count(j) = 0.
   *
   * @param counts training pairs per index (read, not kept); each ≥ 0, at least one &gt; 0
   * @throws IllegalArgumentException for a negative count or all counts 0
   */
  public static NegativeDistribution logPopularity(long[] counts) {
    Checks.notNull("counts", counts);
    double[] weights = new double[counts.length];
    boolean any = false;
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] < 0) {
        throw new IllegalArgumentException("counts[" + j + "] must be >= 0, got " + counts[j]);
      }
      weights[j] = Math.log1p((double) counts[j]);
      any |= counts[j] > 0;
    }
    if (!any) {
      throw new IllegalArgumentException(
          "counts must have at least one entry > 0 for popularity sampling, got all "
              + counts.length
              + " equal to 0");
    }
    AliasTable table = AliasTable.of(weights);
    float[] logQ = new float[counts.length];
    for (int j = 0; j < counts.length; j++) {
      logQ[j] = (float) table.logProbability(j);
    }
    return new NegativeDistribution(
        counts.length, table, logQ, "log(1+count) over " + counts.length);
  }

  /** Uniform over all items of {@code train} (users × items), with or without training pairs. */
  public static NegativeDistribution uniformItems(Interactions train) {
    Checks.notNull("train", train);
    return uniform(train.numItems());
  }

  /** Uniform over all users of {@code train} (users × items), with or without training pairs. */
  public static NegativeDistribution uniformUsers(Interactions train) {
    Checks.notNull("train", train);
    return uniform(train.numUsers());
  }

  /** Items ∝ (training pairs of the item)^β: {@link #popularity} of the column counts. */
  public static NegativeDistribution itemPopularity(Interactions train, double exponent) {
    Checks.notNull("train", train);
    return popularity(train.colCounts(), exponent);
  }

  /** Users ∝ (training pairs of the user)^β: {@link #popularity} of the row counts. */
  public static NegativeDistribution userPopularity(Interactions train, double exponent) {
    Checks.notNull("train", train);
    return popularity(train.rowCounts(), exponent);
  }

  /** Whether every index has the same probability 1/size. */
  public boolean isUniform() {
    return table == null;
  }

  /** Number of indices the distribution is over. */
  public int size() {
    return size;
  }

  /** Draws a dense index with probability {@link #probability}; no allocation. */
  public int draw(RandomGenerator rng) {
    return table == null ? Draws.below(rng, size) : table.draw(rng);
  }

  /** log q(index), natural log, as a float (−∞ for an index that is never drawn). */
  public float logQ(int index) {
    assert index >= 0 && index < size : index;
    return logQ == null ? uniformLogQ : logQ[index];
  }

  /** q(index), exact (double) from the counts. */
  public double probability(int index) {
    Checks.index("index", index, size);
    return table == null ? 1.0 / size : table.probability(index);
  }

  /** For example "popularity^0.75 over 1000" or "uniform over 1000". */
  @Override
  public String toString() {
    return description;
  }
}
