package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.util.Checks;

/**
 * Adaptive oversampling for BPR (AOBPR; Rendle &amp; Freudenthaler 2014, WSDM; Rendle's survey,
 * paper 001, sec. 4.2.4), for dot-product models: to draw a negative item for user u, draw a rank r
 * with probability ∝ exp(−r/λ) (r = 0..N−1), a factor f with probability ∝ |u_f|·σ_f (σ_f the
 * standard deviation of the items' f-th coordinate), and take the item at rank r of the items
 * sorted by their f-th coordinate, descending if u_f &gt; 0 and ascending otherwise: items that
 * score high for u through a strong factor. The sorted lists and σ are those of the item table at
 * the last refresh: at each epoch's start and every {@code refreshEvery} draws of the worker within
 * it (the paper refreshes every |I|·log|I| draws), so a run resumed from an epoch's checkpoint
 * draws what the uninterrupted one draws. Accidental hits are drawn again as in {@link
 * StaticRowSampler}.
 *
 * <p>The reported log Q is the uniform proposal's −log N (the draw's probability depends on the
 * model): not for objectives that correct by log Q. Each worker has its own lists ({@link
 * #forWorker()}); between refreshes a draw is O(d) and allocates nothing.
 */
public final class AdaptiveOversamplingRowSampler implements RowSampler {
  private final Interactions train;
  private final EmbeddingTable users;
  private final EmbeddingTable items;
  private final int negatives;
  private final double lambda;
  private final long refreshEvery;
  private final float logQ;
  // per-worker state
  private int[][] order;
  private float[] sigma;
  private float[] factorWeight;
  private long sinceRefresh;

  /**
   * @param negatives negative items per positive, ≥ 1
   * @param lambda λ &gt; 0, the scale of the rank distribution exp(−r/λ)
   * @param refreshEvery draws between two refreshes of the sorted lists, ≥ 1
   */
  public AdaptiveOversamplingRowSampler(
      Interactions train,
      EmbeddingTable users,
      EmbeddingTable items,
      int negatives,
      double lambda,
      long refreshEvery) {
    this.train = Checks.notNull("train", train);
    this.users = Checks.notNull("users", users);
    this.items = Checks.notNull("items", items);
    this.negatives = Checks.positive("negatives", negatives);
    if (!(lambda > 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda must be positive and finite, got " + lambda);
    }
    this.lambda = lambda;
    if (refreshEvery < 1) {
      throw new IllegalArgumentException("refreshEvery must be >= 1, got " + refreshEvery);
    }
    this.refreshEvery = refreshEvery;
    if (items.rows() != train.numItems() || users.rows() != train.numUsers()) {
      throw new IllegalArgumentException(
          "the tables do not match train (" + train.numUsers() + " x " + train.numItems() + ")");
    }
    this.logQ = (float) -Math.log(train.numItems());
  }

  /** The paper's refresh interval: |I|·⌈log₂|I|⌉ draws. */
  public static long defaultRefresh(int numItems) {
    return (long) numItems
        * Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, numItems - 1)));
  }

  @Override
  public int width() {
    return 1 + negatives;
  }

  /** A fresh instance with its own sorted lists. */
  @Override
  public RowSampler forWorker() {
    return new AdaptiveOversamplingRowSampler(train, users, items, negatives, lambda, refreshEvery);
  }

  /**
   * The lists are rebuilt at each epoch's start (and every {@code refreshEvery} draws within it).
   */
  @Override
  public void beginEpoch(int epoch) {
    refresh();
  }

  @Override
  public void sample(
      int[] us,
      int[] is,
      float[] weights,
      int from,
      int size,
      RandomGenerator rng,
      RowCandidates out) {
    final int w = width();
    out.checkCall(w, us, is, weights, from, size);
    for (int r = 0; r < size; r++) {
      int user = us[from + r];
      int base = r * w;
      out.users()[base] = user;
      out.items()[base] = is[from + r];
      out.logQ()[base] = 0f;
      out.weights()[r] = weights == null ? 1f : weights[from + r];
      for (int k = 1; k < w; k++) {
        int j = draw(user, rng);
        for (int t = 1; t < StaticRowSampler.MAX_TRIES && train.contains(user, j); t++) {
          j = draw(user, rng);
        }
        out.users()[base + k] = user;
        out.items()[base + k] = j;
        out.logQ()[base + k] = logQ;
      }
    }
    out.setRows(size);
  }

  /** One draw for {@code user} (no rejection). */
  int draw(int user, RandomGenerator rng) {
    if (order == null || sinceRefresh >= refreshEvery) {
      refresh();
    }
    sinceRefresh++;
    final int n = items.rows();
    final int d = items.dim();
    // rank r ∝ exp(−r/λ), truncated to [0, n): inverse transform of the truncated exponential
    double tail = 1 - Math.exp(-n / lambda);
    int r = (int) Math.floor(-lambda * Math.log1p(-rng.nextDouble() * tail));
    r = Math.min(n - 1, Math.max(0, r));
    // factor f ∝ |u_f|·σ_f
    final float[] ud = users.data();
    final int uo = users.offset(user);
    double total = 0;
    for (int f = 0; f < d; f++) {
      factorWeight[f] = Math.abs(ud[uo + f]) * sigma[f];
      total += factorWeight[f];
    }
    int f = 0;
    if (total > 0) {
      double x = rng.nextDouble() * total;
      while (f < d - 1 && (x -= factorWeight[f]) >= 0) {
        f++;
      }
    } else {
      f = rng.nextInt(d);
    }
    return ud[uo + f] > 0 ? order[f][r] : order[f][n - 1 - r];
  }

  /**
   * Sorts the items by each coordinate (descending) and takes each coordinate's standard deviation.
   */
  void refresh() {
    final int n = items.rows();
    final int d = items.dim();
    if (order == null) {
      order = new int[d][n];
      sigma = new float[d];
      factorWeight = new float[d];
    }
    final float[] id = items.data();
    long[] keyed = new long[n];
    for (int f = 0; f < d; f++) {
      double sum = 0;
      double sq = 0;
      for (int j = 0; j < n; j++) {
        float v = id[items.offset(j) + f];
        sum += v;
        sq += (double) v * v;
        int bits = Float.floatToIntBits(v);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        keyed[j] =
            ((long) ~sortable << 32) | j; // ascending keys = descending values, ties by index
      }
      java.util.Arrays.sort(keyed);
      for (int k = 0; k < n; k++) {
        order[f][k] = (int) keyed[k];
      }
      double mean = sum / n;
      sigma[f] = (float) Math.sqrt(Math.max(0, sq / n - mean * mean));
    }
    sinceRefresh = 0;
  }

  @Override
  public String toString() {
    return "AOBPR (rank scale "
        + lambda
        + ", refresh every "
        + refreshEvery
        + " draws, "
        + negatives
        + " per positive)";
  }
}
