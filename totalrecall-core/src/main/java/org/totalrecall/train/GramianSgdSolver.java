package org.totalrecall.train;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * SGD with the Gramian trick ({@link GramianSgdSpec}; Rendle's survey Algorithm 5): every step
 * is a chunk of {@link #CHUNK} positives visited one by one (Hogwild over workers, like
 * {@link PerRowSolver}). For a positive (u, i) with confidence c and e = ⟨w_u, h_i⟩ − 1, the
 * gradient of eq. 33 (plus the run's per-example L2 λ) is
 *
 * <pre>
 *   g_u = 2c·e·h_i + (α0/|I_u|)·Ĝ_items w_u + λ w_u        g_i = 2c·e·w_u + (α0/|U_i|)·Ĝ_users h_i + λ h_i
 * </pre>
 *
 * (eq. 34), both computed from the rows before either moves, then one optimizer step per row.
 * The Gramian estimates start exact and follow eq. 41 with the chunk's own positives as the
 * samples of Algorithm 5's lines 4–6: a worker sums the chunk's updates locally, to first order
 * in η (Ĝ ← Ĝ·(1 − η·Σ 1/|I_u|) + η·Σ (|U|/|I_u|)·w_u w_uᵀ, the decay clamped at 0), and applies
 * them to the shared estimates at the end of the chunk under a lock, so that two workers do not
 * write d² entries per example into the same lines. Reads of Ĝ are lock-free (Hogwild).
 */
final class GramianSgdSolver extends PairSolver {
  /** Positives per step (the unit of work, of records accounting and of the schedule). */
  static final int CHUNK = 256;

  private final GramianSgdSpec spec;
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

  GramianSgdSolver(Interactions train, TrainConfig config, GramianSgdSpec spec, EmbeddingTable users,
      EmbeddingTable items, VectorOps ops) {
    super(train, config, users, items, CHUNK);
    this.spec = spec;
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
    this.gramUsers = gramian(users);
    this.gramItems = gramian(items);
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
  }

  /**
   * Eq. 33 for one positive, l = c·e² + ½(s_u·wᵀĜ_items w + s_i·hᵀĜ_users h) with e = w·h − 1,
   * s_u = α0/|I_u|, s_i = α0/|U_i|, and its gradients (eq. 34) plus λ·w and λ·h into gu and gi.
   * Reads the rows only.
   */
  static double lossAndGradient(float[] ud, int uo, float[] id, int io, float c, float su, float si,
      float[] gramUsers, float[] gramItems, float l2, float[] gu, float[] gi, VectorOps ops, int d) {
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
      double loss = 0;
      for (int p = from; p < from + size; p++) {
        final int u = pu[p];
        final int i = pi[p];
        final int uo = users.offset(u);
        final int io = items.offset(i);
        final float c = spec.confidence(pw == null ? 1f : pw[p]);
        loss += lossAndGradient(ud, uo, id, io, c, a0 / userCount[u], a0 / itemCount[i], gramUsers, gramItems, l2,
            gu, gi, ops, d);
        // the chunk's Gramian samples (eq. 41), from the rows before they move
        float wu = eta / userCount[u];
        float wi = eta / itemCount[i];
        decayUsers += wu;
        decayItems += wi;
        for (int a = 0; a < d; a++) {
          ops.axpy(wu * numUsers * ud[uo + a], ud, uo, deltaUsers, a * d, d);
          ops.axpy(wi * numItems * id[io + a], id, io, deltaItems, a * d, d);
        }
        if (!Double.isFinite(loss)) {
          return Float.NaN;
        }
        if (update.updatesUsers()) {
          userOptimizer.step(ud, uo, gu, 0, u, step);
        }
        if (update.updatesItems()) {
          itemOptimizer.step(id, io, gi, 0, i, step);
        }
        update.afterStep(pu, pi, p, 1, users, items);
      }
      synchronized (GramianSgdSolver.this) {
        apply(gramUsers, deltaUsers, decayUsers);
        apply(gramItems, deltaItems, decayItems);
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
