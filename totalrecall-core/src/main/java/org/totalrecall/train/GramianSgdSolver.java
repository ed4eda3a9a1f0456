package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * SGD with the Gramian trick ({@link GramianSgdSpec}; Rendle's survey Algorithm 5): every step is a
 * chunk of {@link #CHUNK} positives visited one by one (Hogwild over workers, like {@link
 * PerRowSolver}). For a positive (u, i) with confidence c and e = ⟨w_u, h_i⟩ − 1, the gradient of
 * eq. 33 (plus the run's per-example L2 λ) is
 *
 * <pre>
 *   g_u = 2c·e·h_i + (α0/|I_u|)·Ĝ_items w_u + λ w_u        g_i = 2c·e·w_u + (α0/|U_i|)·Ĝ_users h_i + λ h_i
 * </pre>
 *
 * (eq. 34), both computed from the rows before either moves, then one optimizer step per row. The
 * Gramian estimates start exact and follow eq. 41 with the chunk's own positives as the samples of
 * Algorithm 5's lines 4–6: a worker sums the chunk's updates locally, to first order in η (Ĝ ← Ĝ·(1
 * − η·Σ 1/|I_u|) + η·Σ (|U|/|I_u|)·w_u w_uᵀ, the decay clamped at 0), and applies them to the
 * shared estimates at the end of the chunk under a lock, so that two workers do not write d²
 * entries per example into the same lines. Reads of Ĝ are lock-free (Hogwild).
 */
final class GramianSgdSolver extends PairSolver {
  /** Positives per step (the unit of work, of records accounting and of the schedule). */
  static final int CHUNK = 256;

  private final GramianSgdSpec spec;

  /** The pairwise square loss (eq. 42–45) instead of the pointwise one. */
  private final boolean pairwise;

  /**
   * Pairwise only: the estimate of z = Σ_i h_i (eq. 45), kept current per chunk and recomputed each
   * epoch.
   */
  private final float[] z;

  private final float l2;
  private final int dim;
  private final VectorOps ops;
  private final float[] gramUsers;
  private final float[] gramItems;
  private final int[] userCount;
  private final int[] itemCount;
  private final LearningRateSchedule schedule;
  private final UpdateSpec update;
  private final Worker[] workers;

  GramianSgdSolver(
      Interactions train,
      TrainConfig config,
      GramianSgdSpec spec,
      EmbeddingTable users,
      EmbeddingTable items,
      VectorOps ops) {
    this(train, config, spec, false, users, items, ops);
  }

  /**
   * With {@code pairwise}, the pairwise square loss of {@link PairwiseSquareSpec} (spec gives no
   * parameters then).
   */
  GramianSgdSolver(
      Interactions train,
      TrainConfig config,
      GramianSgdSpec spec,
      boolean pairwise,
      EmbeddingTable users,
      EmbeddingTable items,
      VectorOps ops) {
    super(train, config, users, items, CHUNK);
    this.spec = spec;
    this.pairwise = pairwise;
    this.z = new float[config.dim()];
    this.update = config.update();
    this.l2 = config.l2();
    this.dim = config.dim();
    this.ops = ops;
    this.schedule = config.schedule().create((long) config.epochs() * numSteps);
    this.userCount = new int[train.numUsers()];
    this.itemCount = new int[train.numItems()];
    for (int u = 0; u < train.numUsers(); u++) {
      userCount[u] = train.rowLength(u);
    }
    for (int c : train.cols()) {
      itemCount[c]++;
    }
    this.gramUsers = pairwise ? weightedGramian(users, userCount) : gramian(users);
    this.gramItems = gramian(items);
    recomputeZ();
    this.workers = new Worker[config.threads()];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Worker();
    }
  }

  private float[] gramian(EmbeddingTable t) {
    int d = dim;
    float[] g = new float[d * d];
    for (int r = 0; r < t.rows(); r++) {
      int off = t.offset(r);
      for (int a = 0; a < d; a++) {
        ops.axpy(t.data()[off + a], t.data(), off, g, a * d, d);
      }
    }
    return g;
  }

  /** Σ_u n_u·w_u w_uᵀ, the user Gramian of the pairwise loss (eq. 45). */
  private float[] weightedGramian(EmbeddingTable t, int[] counts) {
    int d = dim;
    float[] g = new float[d * d];
    for (int r = 0; r < t.rows(); r++) {
      int off = t.offset(r);
      for (int a = 0; a < d; a++) {
        ops.axpy(counts[r] * t.data()[off + a], t.data(), off, g, a * d, d);
      }
    }
    return g;
  }

  private void recomputeZ() {
    java.util.Arrays.fill(z, 0f);
    for (int r = 0; r < items.rows(); r++) {
      ops.axpy(1f, items.data(), items.offset(r), z, 0, dim);
    }
  }

  @Override
  void reseed(int epoch) {
    if (pairwise) {
      recomputeZ(); // the chunks' Hogwild increments drift by rounding and races: start each epoch
      // exact
    }
  }

  @Override
  public int workers() {
    return workers.length;
  }

  @Override
  public float step(int worker, int epoch, int step, long globalStep) {
    return workers[worker].train(first(step), size(step), globalStep);
  }

  @Override
  void addState(java.util.Map<String, Object> state) {
    state.put("gramUsers", gramUsers);
    state.put("gramItems", gramItems);
    state.put("z", z);
  }

  /**
   * Eq. 33 for one positive, l = c·e² + ½(s_u·wᵀĜ_items w + s_i·hᵀĜ_users h) with e = w·h − 1, s_u
   * = α0/|I_u|, s_i = α0/|U_i|, and its gradients (eq. 34) plus λ·w and λ·h into gu and gi. Reads
   * the rows only.
   */
  static double lossAndGradient(
      float[] ud,
      int uo,
      float[] id,
      int io,
      float c,
      float su,
      float si,
      float[] gramUsers,
      float[] gramItems,
      float l2,
      float[] gu,
      float[] gi,
      VectorOps ops,
      int d) {
    final float e = ops.dot(ud, uo, id, io, d) - 1f;
    double quadU = 0;
    double quadI = 0;
    for (int a = 0; a < d; a++) {
      float gw = ops.dot(gramItems, a * d, ud, uo, d);
      float gh = ops.dot(gramUsers, a * d, id, io, d);
      quadU += gw * ud[uo + a];
      quadI += gh * id[io + a];
      gu[a] = 2 * c * e * id[io + a] + su * gw + l2 * ud[uo + a];
      gi[a] = 2 * c * e * ud[uo + a] + si * gh + l2 * id[io + a];
    }
    return c * (double) e * e + 0.5 * (su * quadU + si * quadI);
  }

  /**
   * The pairwise square loss (eq. 42) for one positive in the Gramian form of eq. 44, split as eq.
   * 31 splits the pointwise one, with N = |I|, e = w·h − 1 and the estimates Ĝ_items, Ĝ_users = Σ
   * n_u w wᵀ and ẑ = Σ h treated as constants: l = N e² + ½(wᵀĜ_items w + hᵀĜ_users h / |U_i|) −
   * 2e·(w·ẑ), with gradients g_u = 2N e h + Ĝ_items w − 2((w·ẑ) h + e ẑ) + λw and g_i = 2N e w +
   * Ĝ_users h / |U_i| − 2(w·ẑ) w + λh.
   */
  static double pairwiseLossAndGradient(
      float[] ud,
      int uo,
      float[] id,
      int io,
      float numItems,
      float si,
      float[] gramUsers,
      float[] gramItems,
      float[] z,
      float l2,
      float[] gu,
      float[] gi,
      VectorOps ops,
      int d) {
    final float e = ops.dot(ud, uo, id, io, d) - 1f;
    final float wz = ops.dot(ud, uo, z, 0, d);
    double quadU = 0;
    double quadI = 0;
    for (int a = 0; a < d; a++) {
      float gw = ops.dot(gramItems, a * d, ud, uo, d);
      float gh = ops.dot(gramUsers, a * d, id, io, d);
      quadU += gw * ud[uo + a];
      quadI += gh * id[io + a];
      gu[a] =
          2 * numItems * e * id[io + a] + gw - 2 * (wz * id[io + a] + e * z[a]) + l2 * ud[uo + a];
      gi[a] = 2 * numItems * e * ud[uo + a] + si * gh - 2 * wz * ud[uo + a] + l2 * id[io + a];
    }
    return numItems * (double) e * e + 0.5 * (quadU + si * quadI) - 2.0 * e * wz;
  }

  /** Both Gramian estimates, live (tests compare them with the exact Gramians). */
  float[][] gramianEstimates() {
    return new float[][] {gramUsers, gramItems};
  }

  /** One worker's scratch and its pending Gramian updates. */
  private final class Worker {
    private final float[] gu = new float[dim];
    private final float[] gi = new float[dim];
    private final float[] deltaUsers = new float[dim * dim];
    private final float[] deltaItems = new float[dim * dim];
    private final float[] deltaZ = new float[dim];
    private final float[] before = new float[dim];

    float train(int from, int size, long step) {
      final int d = dim;
      final int[] pu = pairs.users();
      final int[] pi = pairs.items();
      final float[] pw = pairs.weights();
      final float[] ud = users.data();
      final float[] id = items.data();
      final float a0 = spec.unobservedWeight();
      final float eta = schedule.rateAt(step);
      final int numUsers = users.rows();
      final int numItems = items.rows();
      double decayUsers = 0;
      double decayItems = 0;
      java.util.Arrays.fill(deltaUsers, 0f);
      java.util.Arrays.fill(deltaItems, 0f);
      java.util.Arrays.fill(deltaZ, 0f);
      final float meanUserCount = pairs.size() / (float) numUsers;
      double loss = 0;
      for (int p = from; p < from + size; p++) {
        final int u = pu[p];
        final int i = pi[p];
        final int uo = users.offset(u);
        final int io = items.offset(i);
        float wu;
        float targetUsers;
        if (pairwise) {
          loss +=
              pairwiseLossAndGradient(
                  ud,
                  uo,
                  id,
                  io,
                  numItems,
                  1f / itemCount[i],
                  gramUsers,
                  gramItems,
                  z,
                  l2,
                  gu,
                  gi,
                  ops,
                  d);
          // Ĝ_users estimates Σ_S w wᵀ: every positive weighs the same, target |S|·w wᵀ
          wu = eta / meanUserCount;
          targetUsers = pairs.size();
        } else {
          final float c = spec.confidence(pw == null ? 1f : pw[p]);
          loss +=
              lossAndGradient(
                  ud,
                  uo,
                  id,
                  io,
                  c,
                  a0 / userCount[u],
                  a0 / itemCount[i],
                  gramUsers,
                  gramItems,
                  l2,
                  gu,
                  gi,
                  ops,
                  d);
          wu = eta / userCount[u];
          targetUsers = numUsers;
        }
        // the chunk's Gramian samples (eq. 41), from the rows before they move
        float wi = eta / itemCount[i];
        decayUsers += wu;
        decayItems += wi;
        for (int a = 0; a < d; a++) {
          ops.axpy(wu * targetUsers * ud[uo + a], ud, uo, deltaUsers, a * d, d);
          ops.axpy(wi * numItems * id[io + a], id, io, deltaItems, a * d, d);
        }
        if (pairwise) {
          System.arraycopy(id, io, before, 0, d);
        }
        if (!Double.isFinite(loss)) {
          return Float.NaN;
        }
        if (update.updatesUsers()) {
          userOptimizer.step(ud, uo, gu, 0, u, step);
        }
        if (update.updatesItems()) {
          itemOptimizer.step(id, io, gi, 0, i, step);
          if (pairwise) { // z moves with the item: z += h_new − h_old
            ops.axpy(1f, id, io, deltaZ, 0, d);
            ops.axpy(-1f, before, 0, deltaZ, 0, d);
          }
        }
        update.afterStep(pu, pi, p, 1, users, items);
      }
      synchronized (GramianSgdSolver.this) {
        apply(gramUsers, deltaUsers, decayUsers);
        apply(gramItems, deltaItems, decayItems);
        if (pairwise) {
          ops.axpy(1f, deltaZ, 0, z, 0, dim);
        }
      }
      return (float) (loss / Math.max(1, size));
    }

    private void apply(float[] g, float[] delta, double decay) {
      float keep = (float) Math.max(0, 1 - decay);
      ops.scale(keep, g, 0, g.length);
      ops.axpy(1f, delta, 0, g, 0, g.length);
    }
  }
}
