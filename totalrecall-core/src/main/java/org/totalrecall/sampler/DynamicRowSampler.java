package org.totalrecall.sampler;

import java.util.random.RandomGenerator;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.util.Checks;

/**
 * Dynamic negative sampling (DNS; Zhang, Chen, Wang &amp; Yu 2013), the two-pass sampler of
 * Rendle's survey (paper 001, sec. 4.3.2): for each negative item of a positive (u, i), draw {@code
 * candidates} items uniformly (accidental hits redrawn as in {@link StaticRowSampler}), score each
 * with the current model and keep the best, i.e. the hardest negative of the draw. The score is the
 * live inner product ⟨u, h_j⟩, divided by ‖h_j‖ for a cosine model (its ranking for the user: ‖u‖
 * is the same for every candidate). Ties go to the earlier draw.
 *
 * <p>With M candidates over N items (hits aside), the kept item is the one of rank r among the
 * user's scores with probability ((N − r + 1)/N)^M − ((N − r)/N)^M, which the tests check. That
 * probability depends on the model, so the log Q this sampler reports is the uniform proposal's
 * −log N: objectives that correct by log Q (sampled softmax) must not be paired with it.
 *
 * <p>Reads the live tables (Hogwild reads; rows may change under it). Each worker has its own
 * instance ({@link #forWorker()}); a call allocates nothing.
 */
public final class DynamicRowSampler implements RowSampler {
  private final Interactions train;
  private final EmbeddingTable users;
  private final EmbeddingTable items;
  private final int negatives;
  private final int candidates;
  private final boolean cosine;
  private final VectorOps ops;
  private final float logQ;

  /**
   * @param negatives negative items per positive, ≥ 1
   * @param candidates M, uniform draws scored per negative, ≥ 1 (1 is uniform sampling)
   * @param cosine rank candidates by cosine (inner product over the candidate's norm)
   */
  public DynamicRowSampler(
      Interactions train,
      EmbeddingTable users,
      EmbeddingTable items,
      int negatives,
      int candidates,
      boolean cosine,
      VectorOps ops) {
    this.train = Checks.notNull("train", train);
    this.users = Checks.notNull("users", users);
    this.items = Checks.notNull("items", items);
    this.negatives = Checks.positive("negatives", negatives);
    this.candidates = Checks.positive("candidates", candidates);
    this.cosine = cosine;
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
    this.logQ = (float) -Math.log(train.numItems());
  }

  @Override
  public int width() {
    return 1 + negatives;
  }

  /** Stateless apart from the caller's generator: shared by the workers. */
  @Override
  public RowSampler forWorker() {
    return this;
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
    for (int r = 0; r < size; r++) {
      int user = us[from + r];
      int base = r * w;
      outUsers[base] = user;
      outItems[base] = is[from + r];
      outLogQ[base] = 0f;
      outWeights[r] = weights == null ? 1f : weights[from + r];
      for (int k = 1; k < w; k++) {
        outUsers[base + k] = user;
        outItems[base + k] = hardest(user, rng);
        outLogQ[base + k] = logQ;
      }
    }
    out.setRows(size);
  }

  /** The best-scored of M uniform draws for {@code user}. */
  int hardest(int user, RandomGenerator rng) {
    final int n = items.rows();
    final int d = items.dim();
    final float[] ud = users.data();
    final float[] id = items.data();
    final int uo = users.offset(user);
    int best = -1;
    float bestScore = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < candidates; c++) {
      int j = rng.nextInt(n);
      for (int t = 1; t < StaticRowSampler.MAX_TRIES && train.contains(user, j); t++) {
        j = rng.nextInt(n);
      }
      int jo = items.offset(j);
      float s = ops.dot(ud, uo, id, jo, d);
      if (cosine) {
        float norm = (float) Math.sqrt(ops.dot(id, jo, id, jo, d));
        s = norm > 0f ? s / norm : 0f;
      }
      if (best < 0 || s > bestScore) {
        best = j;
        bestScore = s;
      }
    }
    return best;
  }

  @Override
  public String toString() {
    return "DNS (best of "
        + candidates
        + " uniform items by the current "
        + (cosine ? "cosine" : "inner product")
        + ", "
        + negatives
        + " per positive)";
  }
}
