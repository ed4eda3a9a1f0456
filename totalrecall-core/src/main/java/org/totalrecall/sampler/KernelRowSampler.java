package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.util.Checks;

/**
 * Kernel-based sampling with the quadratic kernel (Blanc &amp; Rendle 2018, "Adaptive sampled
 * softmax with kernel based sampling", ICML; Rendle's survey, paper 001, sec. 4.3.1, eq. 20), for
 * dot-product models: the negative items of user u are drawn with
 *
 * <pre>
 *   q(j|u) = (α·⟨u, h_j⟩² + 1) / Σ_l (α·⟨u, h_l⟩² + 1) = (α·⟨u, h_j⟩² + 1) / (α·uᵀ Z u + N),   Z = Σ_l h_l h_lᵀ
 * </pre>
 *
 * a kernel ⟨π(u), π(h)⟩ with π(x) = (√α·x ⊗ x, 1) that approximates exp(⟨u, h⟩) and whose partition
 * function needs only Z. The divide-and-conquer sampler: the items are split into a balanced binary
 * tree of contiguous ranges down to leaves of at most {@code leafSize} items; each node stores
 * Z_node = Σ_{l∈node} h_l h_lᵀ, so its mass α·uᵀZ_node u + |node| = α·⟨vec Z_node, vec(u ⊗ u)⟩ +
 * |node| is one dot product of length d² (u ⊗ u formed once per row). A draw descends from the root
 * choosing the left child with probability mass(left)/mass(node) (the right child's mass is the
 * parent's less the left's: one d² product per level), then draws within the leaf by the items' own
 * kernels: O(d²·log(N/leaf) + leaf·d) per draw, and the log Q it reports is exact for the
 * distribution drawn from.
 *
 * <p>The tree is built from a snapshot of the item table at each epoch's start ({@link
 * #beginEpoch}; Blanc &amp; Rendle update it as items change, at O(d² log N) per update), and the
 * user vector is read live. Accidental hits are drawn again as by {@link StaticRowSampler}, which
 * the reported log Q (of the kernel distribution over all items) does not account for. The tree and
 * snapshot are shared by the workers and rebuilt by the first worker to begin an epoch; scratch is
 * per worker ({@link #forWorker()}). Memory: (2N/leaf)·d² floats of Z plus the snapshot.
 */
public final class KernelRowSampler implements RowSampler {
  private final Interactions train;
  private final EmbeddingTable users;
  private final EmbeddingTable items;
  private final int negatives;
  private final double alpha;
  private final int leafSize;
  private final VectorOps ops;
  private final Tree tree;
  // per worker
  private final double[] leafMass;

  /** u ⊗ u of the row being drawn for, so that uᵀ Z u is one dot product of length d². */
  private final float[] outer;

  /**
   * The shared tree: node ranges, children and Z (row-major d × d per node), over a snapshot of the
   * items.
   */
  private static final class Tree {
    final int n;
    final int d;
    final float[] snapshot;
    final int[] lo;
    final int[] hi;
    final int[] left; // −1 for a leaf
    final int[] right;
    final float[] z;
    int nodes;
    volatile int builtEpoch;

    Tree(int n, int d, int leafSize) {
      this.n = n;
      this.d = d;
      int leaves = (n + leafSize - 1) / leafSize;
      int capacity = 2 * Math.max(1, leaves);
      this.snapshot = new float[Math.multiplyExact(n, d)];
      this.lo = new int[capacity];
      this.hi = new int[capacity];
      this.left = new int[capacity];
      this.right = new int[capacity];
      this.z = new float[Math.multiplyExact(capacity, d * d)];
    }
  }

  /**
   * @param negatives negative items per positive, ≥ 1
   * @param alpha α &gt; 0 of the kernel α·o² + 1
   * @param leafSize the most items in a leaf, ≥ 1
   */
  public KernelRowSampler(
      Interactions train,
      EmbeddingTable users,
      EmbeddingTable items,
      int negatives,
      double alpha,
      int leafSize,
      VectorOps ops) {
    this.train = Checks.notNull("train", train);
    this.users = Checks.notNull("users", users);
    this.items = Checks.notNull("items", items);
    this.negatives = Checks.positive("negatives", negatives);
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be positive and finite, got " + alpha);
    }
    this.alpha = alpha;
    this.leafSize = Checks.positive("leafSize", leafSize);
    this.ops = Checks.notNull("ops", ops);
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
    this.tree = new Tree(items.rows(), items.dim(), leafSize);
    this.leafMass = new double[leafSize];
    this.outer = new float[items.dim() * items.dim()];
  }

  private KernelRowSampler(KernelRowSampler shared) {
    this.train = shared.train;
    this.users = shared.users;
    this.items = shared.items;
    this.negatives = shared.negatives;
    this.alpha = shared.alpha;
    this.leafSize = shared.leafSize;
    this.ops = shared.ops;
    this.tree = shared.tree;
    this.leafMass = new double[leafSize];
    this.outer = new float[tree.d * tree.d];
  }

  @Override
  public int width() {
    return 1 + negatives;
  }

  /** The same tree, the worker's own scratch. */
  @Override
  public RowSampler forWorker() {
    return new KernelRowSampler(this);
  }

  /**
   * Rebuilds the tree from the item table as it is now, once per epoch (the first worker to begin
   * it does).
   */
  @Override
  public void beginEpoch(int epoch) {
    synchronized (tree) {
      if (tree.builtEpoch != epoch) {
        build();
        tree.builtEpoch = epoch;
      }
    }
  }

  private void build() {
    final Tree t = tree;
    System.arraycopy(items.data(), 0, t.snapshot, 0, t.snapshot.length);
    t.nodes = 0;
    node(0, t.n);
  }

  /** Builds the node over items [lo, hi) and its subtree; returns its index. */
  private int node(int lo, int hi) {
    final Tree t = tree;
    final int d = t.d;
    final int id = t.nodes++;
    t.lo[id] = lo;
    t.hi[id] = hi;
    final int zo = id * d * d;
    if (hi - lo <= leafSize) {
      t.left[id] = -1;
      t.right[id] = -1;
      java.util.Arrays.fill(t.z, zo, zo + d * d, 0f);
      for (int j = lo; j < hi; j++) {
        int jo = j * d;
        for (int a = 0; a < d; a++) {
          ops.axpy(
              t.snapshot[jo + a], t.snapshot, jo, t.z, zo + a * d, d); // row a of h hᵀ is h_a·h
        }
      }
      return id;
    }
    int mid = lo + leafAligned((hi - lo) / 2);
    int l = node(lo, mid);
    int r = node(mid, hi);
    t.left[id] = l;
    t.right[id] = r;
    System.arraycopy(t.z, l * d * d, t.z, zo, d * d);
    ops.axpy(1f, t.z, r * d * d, t.z, zo, d * d);
    return id;
  }

  /** half rounded up to whole leaves, so that leaves stay full. */
  private int leafAligned(int half) {
    return Math.max(leafSize, (half + leafSize - 1) / leafSize * leafSize);
  }

  /** Sets {@link #outer} to u ⊗ u for the user row at {@code uo}. */
  private void setOuter(float[] ud, int uo) {
    final int d = tree.d;
    for (int a = 0; a < d; a++) {
      System.arraycopy(ud, uo, outer, a * d, d);
      ops.scale(ud[uo + a], outer, a * d, d);
    }
  }

  /**
   * α·uᵀ Z_node u + |node| = α·⟨vec Z_node, vec(u ⊗ u)⟩ + |node|, for the u of {@link #setOuter}.
   */
  private double mass(int node) {
    final Tree t = tree;
    final int dd = t.d * t.d;
    double q = ops.dot(t.z, node * dd, outer, 0, dd);
    return alpha * Math.max(0, q) + (t.hi[node] - t.lo[node]);
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
    if (tree.builtEpoch == 0) {
      beginEpoch(1);
    }
    final int[] outUsers = out.users();
    final int[] outItems = out.items();
    final float[] outLogQ = out.logQ();
    final float[] outWeights = out.weights();
    final float[] ud = users.data();
    for (int r = 0; r < size; r++) {
      int user = us[from + r];
      int base = r * w;
      outUsers[base] = user;
      outItems[base] = is[from + r];
      outLogQ[base] = 0f;
      outWeights[r] = weights == null ? 1f : weights[from + r];
      int uo = users.offset(user);
      setOuter(ud, uo);
      double total = mass(0);
      double logTotal = Math.log(total);
      for (int k = 1; k < w; k++) {
        int j = draw(ud, uo, total, rng);
        for (int t = 1; t < StaticRowSampler.MAX_TRIES && train.contains(user, j); t++) {
          j = draw(ud, uo, total, rng);
        }
        outUsers[base + k] = user;
        outItems[base + k] = j;
        outLogQ[base + k] = (float) (Math.log(kernel(j, ud, uo)) - logTotal);
      }
    }
    out.setRows(size);
  }

  /** One item from q(·|u), descending from the root (whose mass is {@code rootMass}). */
  private int draw(float[] ud, int uo, double rootMass, RandomGenerator rng) {
    final Tree t = tree;
    int node = 0;
    double m = rootMass;
    while (t.left[node] >= 0) {
      int l = t.left[node];
      double ml = Math.min(m, mass(l));
      if (rng.nextDouble() * m < ml) {
        node = l;
        m = ml;
      } else {
        node = t.right[node];
        m = m - ml;
      }
    }
    int lo = t.lo[node];
    int hi = t.hi[node];
    double sum = 0;
    for (int j = lo; j < hi; j++) {
      sum += kernel(j, ud, uo);
      leafMass[j - lo] = sum;
    }
    double x = rng.nextDouble() * sum;
    for (int j = lo; j < hi - 1; j++) {
      if (x < leafMass[j - lo]) {
        return j;
      }
    }
    return hi - 1;
  }

  /** α·⟨u, h_j⟩² + 1 with h_j from the snapshot. */
  private double kernel(int j, float[] ud, int uo) {
    double o = ops.dot(tree.snapshot, j * tree.d, ud, uo, tree.d);
    return alpha * o * o + 1;
  }

  /**
   * q(j|u) of the current tree, exactly as {@link #sample} draws it (before redrawing hits): for
   * tests.
   */
  double probability(int user, int j) {
    int uo = users.offset(user);
    setOuter(users.data(), uo);
    return kernel(j, users.data(), uo) / mass(0);
  }

  @Override
  public String toString() {
    return "kernel (alpha "
        + alpha
        + ", leaves of "
        + leafSize
        + ", "
        + negatives
        + " per positive)";
  }
}
