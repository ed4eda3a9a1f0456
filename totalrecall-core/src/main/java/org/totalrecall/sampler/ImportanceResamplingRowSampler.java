package org.totalrecall.sampler;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntToDoubleFunction;
import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.util.Checks;

/**
 * AdaSIR, adaptive sampling by importance resampling (Chen, Lian, Jin, Zheng &amp; Chen 2022, paper
 * 002, Algorithm 1), for item negatives of a user (u2i; the text below) or, with the roles swapped,
 * user negatives of an item (i2u: each item keeps a pool of users). Each user c keeps a pool R_c of
 * P items with their resampling weights. Once per epoch, at the user's first positive of the epoch:
 *
 * <ol>
 *   <li>draw K_c: P items from the proposal Q (uniform, or the log-popularity of sec. 4.3), drawing
 *       again an item the user has in training (up to {@link StaticRowSampler#MAX_TRIES} draws, as
 *       the static samplers do) — line 4;
 *   <li>w_i = exp(r_ci − log Q(i)) / Σ_{j∈K_c} exp(r_cj − log Q(j)) with r the current model's
 *       score (the dot product, or the cosine over τ) — line 5;
 *   <li>R'_c: P draws from K_c with replacement by w — line 6;
 *   <li>the first time R_c = R'_c; afterwards R_c is P entries drawn uniformly without replacement
 *       from the 2P entries of the old R_c and R'_c, each entry keeping the weight it was resampled
 *       with — lines 7–10 (sec. 3.2: hard items, which appear several times, survive the merge more
 *       often).
 * </ol>
 *
 * A positive's negatives are then drawn uniformly from R_c (line 12), each reported with log w(j|c)
 * as its log Q: the self-normalised weights ŵ ∝ exp(r̂ − log w) of eq. 1 are formed by {@code
 * ImportanceBprLoss} (package loss). With a rank weight J (AdaSIR-W: J(rank) = Σ_{k≤rank} 1/k) each
 * positive's row weight is multiplied by J(rank), rank estimated from K_c by eq. 2: ⌊(N − 1)·#{j ∈
 * K_c: r̂_cj &gt; r̂_ci}/|K_c|⌋ + 1 (uniform proposal only: the estimate assumes uniform draws),
 * which is eq. 3.
 *
 * <p>Pools are built lazily at a user's first positive after {@link #beginEpoch} (Algorithm 1
 * builds them all at the epoch's start; here each is built from the model as it is when the user is
 * first reached, which for one worker is the same sequence of operations every run). A user's pool
 * stream is seeded by (seed, epoch, user), so one-thread runs are reproducible. The pools are not
 * part of a checkpoint: a resumed run starts from empty pools. Memory: P·(4 + 4) bytes per user,
 * plus 4P with rank weighting.
 *
 * <p>The pools are shared by the workers ({@link #forWorker()} gives each its scratch); a user's
 * pool is built by one worker while any other that needs it waits, and a built pool is only read
 * until the next epoch. A draw is O(1) and allocates nothing; a pool build is O(P·d).
 */
public final class ImportanceResamplingRowSampler implements RowSampler {
  private static final int BUILDING = -1;

  /** The pairs by context: train (u2i), or its transpose (i2u: items are the contexts). */
  private final Interactions train;

  private final EmbeddingTable users; // the contexts' table: users (u2i) or items (i2u)
  private final EmbeddingTable items; // the candidates' table: items (u2i) or users (i2u)
  private final boolean i2u;
  private final int negatives;
  private final int poolSize;
  private final NegativeDistribution proposal;
  private final boolean rankWeighted;
  private final IntToDoubleFunction rankWeight;
  private final boolean cosine;
  private final float scale;
  private final long seed;
  private final VectorOps ops;
  private final Pools pools;
  // per-worker scratch
  private final int[] drawn;
  private final double[] logWeight;
  private final double[] cumulative;
  private final int[] mergedItems;
  private final float[] mergedLogW;
  private final ReseedableRandom poolRng = new ReseedableRandom();

  /**
   * The state every worker shares: the pools, their weights, K_c (rank weighting) and build stamps.
   */
  private static final class Pools {
    final int[] items;
    final float[] logW;
    final int[] proposals; // K_c, for the rank estimate; null without rank weighting
    final AtomicIntegerArray
        builtEpoch; // 0 never built, BUILDING while one worker builds, else the epoch
    volatile int epoch = 1;

    Pools(int contexts, int poolSize, boolean rankWeighted) {
      int n = Math.multiplyExact(contexts, poolSize);
      this.items = new int[n];
      this.logW = new float[n];
      this.proposals = rankWeighted ? new int[n] : null;
      this.builtEpoch = new AtomicIntegerArray(contexts);
    }
  }

  /**
   * @param negatives item negatives per positive, ≥ 1
   * @param poolSize P = |K_c| = |R_c|, ≥ 1
   * @param proposal Q over the items of {@code train}
   * @param rankWeight AdaSIR-W: J, the weight of a positive of estimated rank r ≥ 1 (eq. 2–3; the
   *     paper's is the harmonic number H_r), or null for none; needs a uniform proposal
   * @param cosine score by cosine (the inner product over both norms) times {@code scale}
   * @param scale the factor of the score: 1/τ for cosine, 1 for dot
   * @param seed the run's seed (pool streams derive from it)
   */
  public ImportanceResamplingRowSampler(
      Interactions train,
      EmbeddingTable users,
      EmbeddingTable items,
      int negatives,
      int poolSize,
      NegativeDistribution proposal,
      IntToDoubleFunction rankWeight,
      boolean cosine,
      float scale,
      long seed,
      VectorOps ops) {
    this(
        train,
        users,
        items,
        false,
        negatives,
        poolSize,
        proposal,
        rankWeight,
        cosine,
        scale,
        seed,
        ops);
  }

  /**
   * The sampler in either direction: with {@code i2u} the contexts are the items, each with a pool
   * of users, and a row's negatives are other users for its item (the proposal is over the users).
   */
  public ImportanceResamplingRowSampler(
      Interactions train,
      EmbeddingTable users,
      EmbeddingTable items,
      boolean i2u,
      int negatives,
      int poolSize,
      NegativeDistribution proposal,
      IntToDoubleFunction rankWeight,
      boolean cosine,
      float scale,
      long seed,
      VectorOps ops) {
    final boolean rankWeighted = rankWeight != null;
    Checks.notNull("train", train);
    Checks.notNull("users", users);
    Checks.notNull("items", items);
    if (items.rows() != train.numItems() || users.rows() != train.numUsers()) {
      throw new IllegalArgumentException(
          "the tables ("
              + users.rows()
              + " users, "
              + items.rows()
              + " items) do not match train ("
              + train.numUsers()
              + " x "
              + train.numItems()
              + ")");
    }
    this.i2u = i2u;
    this.train = i2u ? train.transpose() : train;
    this.users = i2u ? items : users;
    this.items = i2u ? users : items;
    this.negatives = Checks.positive("negatives", negatives);
    this.poolSize = Checks.positive("poolSize", poolSize);
    this.proposal = Checks.notNull("proposal", proposal);
    this.ops = Checks.notNull("ops", ops);
    if (proposal.size() != this.items.rows()) {
      throw new IllegalArgumentException(
          "proposal must be over the "
              + this.items.rows()
              + (i2u ? " users" : " items")
              + ", got "
              + proposal);
    }
    if (rankWeighted && !proposal.isUniform()) {
      throw new IllegalArgumentException(
          "the rank estimate of AdaSIR-W (eq. 2) needs a uniform proposal, got " + proposal);
    }
    if (!(scale > 0f) || Float.isInfinite(scale)) {
      throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
    }
    this.rankWeighted = rankWeighted;
    this.rankWeight = rankWeight;
    this.cosine = cosine;
    this.scale = scale;
    this.seed = seed;
    this.pools = new Pools(this.users.rows(), poolSize, rankWeighted);
    this.drawn = new int[poolSize];
    this.logWeight = new double[poolSize];
    this.cumulative = new double[poolSize];
    this.mergedItems = new int[2 * poolSize];
    this.mergedLogW = new float[2 * poolSize];
  }

  /** A worker's view: the same pools, its own scratch. */
  private ImportanceResamplingRowSampler(ImportanceResamplingRowSampler shared) {
    this.train = shared.train;
    this.users = shared.users;
    this.items = shared.items;
    this.i2u = shared.i2u;
    this.negatives = shared.negatives;
    this.poolSize = shared.poolSize;
    this.proposal = shared.proposal;
    this.rankWeighted = shared.rankWeighted;
    this.rankWeight = shared.rankWeight;
    this.cosine = shared.cosine;
    this.scale = shared.scale;
    this.seed = shared.seed;
    this.ops = shared.ops;
    this.pools = shared.pools;
    this.drawn = new int[poolSize];
    this.logWeight = new double[poolSize];
    this.cumulative = new double[poolSize];
    this.mergedItems = new int[2 * poolSize];
    this.mergedLogW = new float[2 * poolSize];
  }

  @Override
  public int width() {
    return 1 + negatives;
  }

  @Override
  public RowSampler forWorker() {
    return new ImportanceResamplingRowSampler(this);
  }

  /**
   * Marks every pool stale: each is rebuilt (and merged with its predecessor) at its user's next
   * positive.
   */
  @Override
  public void beginEpoch(int epoch) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
    }
    pools.epoch = epoch;
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
    final int[] outUsers = out.users();
    final int[] outItems = out.items();
    final float[] outLogQ = out.logQ();
    final float[] outWeights = out.weights();
    final int epoch = pools.epoch;
    for (int r = 0; r < size; r++) {
      int user = us[from + r];
      int item = is[from + r];
      int context = i2u ? item : user;
      ensurePool(context, epoch);
      int base = r * w;
      outUsers[base] = user;
      outItems[base] = item;
      outLogQ[base] = 0f;
      float weight = weights == null ? 1f : weights[from + r];
      outWeights[r] =
          rankWeighted
              ? (float)
                  (weight * rankWeight.applyAsDouble(estimatedRank(context, i2u ? user : item)))
              : weight;
      int poolBase = context * poolSize;
      for (int k = 1; k < w; k++) {
        int slot = poolBase + rng.nextInt(poolSize);
        outUsers[base + k] = i2u ? pools.items[slot] : user;
        outItems[base + k] = i2u ? item : pools.items[slot];
        outLogQ[base + k] = pools.logW[slot];
      }
    }
    out.setRows(size);
  }

  /**
   * Builds {@code user}'s pool for {@code epoch} unless it is built; waits while another worker
   * builds it.
   */
  private void ensurePool(int user, int epoch) {
    AtomicIntegerArray stamps = pools.builtEpoch;
    int stamp = stamps.get(user);
    while (stamp != epoch) {
      if (stamp != BUILDING && stamps.compareAndSet(user, stamp, BUILDING)) {
        try {
          rebuild(user, epoch, stamp == 0);
        } finally {
          stamps.set(user, epoch);
        }
        return;
      }
      Thread.onSpinWait();
      stamp = stamps.get(user);
    }
  }

  /** Algorithm 1, lines 4–10, for one user. */
  private void rebuild(int user, int epoch, boolean first) {
    final ReseedableRandom rng = poolRng;
    rng.reseed(seed, epoch, user);
    final int p = poolSize;
    final float[] ud = users.data();
    final float[] id = items.data();
    final int d = users.dim();
    final int uo = users.offset(user);
    final double userNorm = cosine ? Math.sqrt(ops.dot(ud, uo, ud, uo, d)) : 1;
    // line 4: K_c from Q; line 5: log of the unnormalised resampling weights r − log Q
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < p; t++) {
      int j = proposal.draw(rng);
      for (int tries = 1; tries < StaticRowSampler.MAX_TRIES && train.contains(user, j); tries++) {
        j = proposal.draw(rng);
      }
      drawn[t] = j;
      double lw = score(ud, uo, userNorm, id, items.offset(j), d) - proposal.logQ(j);
      logWeight[t] = lw;
      max = Math.max(max, lw);
    }
    double total = 0;
    for (int t = 0; t < p; t++) {
      total += Math.exp(logWeight[t] - max);
      cumulative[t] = total;
    }
    final double logZ = max + Math.log(total);
    // line 6: R'_c, P draws from K_c by w with replacement (inverse CDF by binary search)
    final int fresh = first ? 0 : p; // where R'_c goes in the merge buffer
    final int base = user * p;
    for (int t = 0; t < p; t++) {
      double x = rng.nextDouble() * total;
      int lo = 0;
      int hi = p - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] > x) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      mergedItems[fresh + t] = drawn[lo];
      mergedLogW[fresh + t] = (float) (logWeight[lo] - logZ);
    }
    if (!first) {
      // lines 9–10: P of the 2P entries of R_c ∪ R'_c, uniformly without replacement (partial
      // Fisher–Yates)
      System.arraycopy(pools.items, base, mergedItems, 0, p);
      System.arraycopy(pools.logW, base, mergedLogW, 0, p);
      for (int t = 0; t < p; t++) {
        int pick = t + rng.nextInt(2 * p - t);
        int item = mergedItems[pick];
        float lw = mergedLogW[pick];
        mergedItems[pick] = mergedItems[t];
        mergedLogW[pick] = mergedLogW[t];
        mergedItems[t] = item;
        mergedLogW[t] = lw;
      }
    }
    System.arraycopy(mergedItems, 0, pools.items, base, p);
    System.arraycopy(mergedLogW, 0, pools.logW, base, p);
    if (rankWeighted) {
      System.arraycopy(drawn, 0, pools.proposals, base, p);
    }
  }

  /**
   * Eq. 2: the estimated rank of {@code item} among all items for {@code user}, from the count of
   * the user's K_c that the current model scores above it (i2u: of a user among all users for an
   * item).
   */
  int estimatedRank(int user, int item) {
    final float[] ud = users.data();
    final float[] id = items.data();
    final int d = users.dim();
    final int uo = users.offset(user);
    final double userNorm = cosine ? Math.sqrt(ops.dot(ud, uo, ud, uo, d)) : 1;
    final double positive = score(ud, uo, userNorm, id, items.offset(item), d);
    final int base = user * poolSize;
    int above = 0;
    for (int t = 0; t < poolSize; t++) {
      if (score(ud, uo, userNorm, id, items.offset(pools.proposals[base + t]), d) > positive) {
        above++;
      }
    }
    return (int) ((long) (items.rows() - 1) * above / poolSize) + 1;
  }

  /** The model's score r_cj: the dot product, or the cosine, times the scale. */
  private double score(float[] ud, int uo, double userNorm, float[] id, int io, int d) {
    double s = ops.dot(ud, uo, id, io, d);
    if (cosine) {
      double norm = userNorm * Math.sqrt(ops.dot(id, io, id, io, d));
      s = norm > 0 ? s / norm : 0;
    }
    return scale * s;
  }

  /** A copy of {@code user}'s pool (its items and their log w), for tests and diagnostics. */
  int[] poolItems(int user) {
    return java.util.Arrays.copyOfRange(pools.items, user * poolSize, (user + 1) * poolSize);
  }

  /** A copy of {@code user}'s pool weights log w. */
  float[] poolLogWeights(int user) {
    return java.util.Arrays.copyOfRange(pools.logW, user * poolSize, (user + 1) * poolSize);
  }

  /** A copy of {@code user}'s K_c (kept for the rank estimate of AdaSIR-W). */
  int[] poolProposals(int user) {
    return java.util.Arrays.copyOfRange(pools.proposals, user * poolSize, (user + 1) * poolSize);
  }

  @Override
  public String toString() {
    return (rankWeighted ? "AdaSIR-W" : "AdaSIR")
        + (i2u ? " i2u" : "")
        + " (pools of "
        + poolSize
        + " from "
        + proposal
        + ", "
        + negatives
        + " per positive)";
  }
}
