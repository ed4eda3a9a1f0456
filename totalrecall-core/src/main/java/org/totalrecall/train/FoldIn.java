package org.totalrecall.train;

import java.util.Arrays;
import java.util.Map;
import org.totalrecall.linalg.Cholesky;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import org.totalrecall.util.Checks;

/**
 * The vector of a user from a list of items, without retraining: a user the model has never seen,
 * or a known user with recent items added (Rendle's survey, paper 001, sec. 6.3: with the item
 * table fixed, a user's vector is the solution of the user's part of the training problem). How
 * depends on how the model was trained, read from its metadata's {@code config}:
 *
 * <ul>
 *   <li>square-loss models ({@code ials}, {@code icd}, {@code gramian-sgd}): the closed form of one
 *       ALS user step against the trained item table, A w = b with A = α0·G + Σ c h hᵀ + λ_u I and
 *       b = Σ c h over the items (for {@code gramian-sgd}, the fixed point of its SGD: α0/2 and
 *       λ·n/2, see {@link GramianSgdSpec}); {@code pairwise-square}: its ALS user step, with the z
 *       term of eq. 44 (or its SGD's fixed point);
 *   <li>One Backpropagation models ({@code --update onebp}): the moving aggregation of eq. 6, u ←
 *       β·u + (1 − β)·v, over the items in order, from the known user's vector or from 0;
 *   <li>every other model: {@value #STEPS} steps of gradient descent on the user's exact softmax
 *       loss over the whole catalogue, −(1/n) Σ log softmax(φ(u, ·))_i with the items frozen, from
 *       the known user's vector or from the mean of the items' vectors (normalised rows for
 *       cosine), step size {@value #STEP_SIZE} in the scorer's units (φ is divided by τ for cosine,
 *       which the step accounts for).
 * </ul>
 *
 * The result is a raw user vector (the space of {@link FactorModel#userTable()}): score it as the
 * model scores its own users. Stateless; thread-safe.
 */
public final class FoldIn {
  /** Gradient steps of the generic fold-in. */
  static final int STEPS = 50;

  /** Step size of the generic fold-in (on the softmax loss in φ units). */
  static final float STEP_SIZE = 0.5f;

  private FoldIn() {}

  /** What a fold-in computed and how. */
  @SuppressWarnings("ArrayRecordComponent") // a carrier of flat arrays, never compared or hashed
  public record Result(float[] vector, String method) {}

  /**
   * The vector of a user with {@code items} (dense item indices, in time order; weights 1).
   *
   * @param known the user's dense index to start from and whose training items count too, or −1 for
   *     a new user
   * @throws IllegalArgumentException if items is empty and the user is new, an index is out of
   *     range, or the model has no training configuration in its metadata
   */
  public static Result user(FactorModel model, int[] items, int known) {
    Checks.notNull("model", model);
    Checks.notNull("items", items);
    for (int i : items) {
      Checks.index("item", i, model.numItems());
    }
    if (known >= 0) {
      Checks.index("user", known, model.numUsers());
    } else if (items.length == 0) {
      throw new IllegalArgumentException("a new user needs at least one item to fold in");
    }
    TrainConfig config = config(model);
    int[] all = items;
    if (known >= 0 && model.seen() != null) {
      int[] seen =
          Arrays.copyOfRange(
              model.seen().cols(), model.seen().start(known), model.seen().end(known));
      all = Arrays.copyOf(seen, seen.length + items.length);
      System.arraycopy(items, 0, all, seen.length, items.length);
    }
    float[] start =
        known >= 0
            ? Arrays.copyOfRange(
                model.userTable().data(),
                model.userTable().offset(known),
                model.userTable().offset(known) + model.dim())
            : null;
    if (config.objective() instanceof IalsSpec ials) {
      return new Result(
          leastSquares(
              model,
              all,
              ials.unobservedWeight(),
              lambda(
                  config.l2(),
                  ials.l2Exponent(),
                  ials.unobservedWeight(),
                  all.length,
                  model.numItems()),
              ials::confidence),
          ials.name() + ": closed-form least squares against the item table");
    }
    if (config.objective() instanceof GramianSgdSpec g) {
      return new Result(
          leastSquares(
              model, all, g.unobservedWeight() / 2, config.l2() * all.length / 2f, g::confidence),
          g.name() + ": closed-form least squares at its SGD's fixed point");
    }
    if (config.objective() instanceof PairwiseSquareSpec pw) {
      int n = all.length;
      float numItems = model.numItems();
      boolean sgd = pw.solver() == PairwiseSquareSpec.Method.SGD;
      return new Result(
          pairwiseLeastSquares(
              model,
              all,
              sgd ? n / (2f * numItems) : n / numItems,
              sgd ? config.l2() * n / (2f * numItems) : config.l2() * Math.max(1, n)),
          pw.name()
              + (sgd
                  ? ": closed-form least squares at its SGD's fixed point"
                  : ": closed-form least squares against the item table (its ALS user step)"));
    }
    if (config.update() instanceof OneBpUpdateSpec onebp) {
      float[] u = start == null ? new float[model.dim()] : start;
      EmbeddingTable it = model.itemTable();
      for (int i : items) {
        for (int k = 0; k < u.length; k++) {
          u[k] = onebp.beta() * u[k] + (1 - onebp.beta()) * it.get(i, k);
        }
      }
      return new Result(u, "onebp: moving aggregation u <- beta*u + (1-beta)*v over the items");
    }
    return new Result(
        softmaxSteps(model, all, start), "gradient steps on the exact softmax over the catalogue");
  }

  /** The model's training configuration, from its metadata. */
  @SuppressWarnings("unchecked")
  static TrainConfig config(FactorModel model) {
    Object c = model.metadata().get("config");
    if (!(c instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          "the model records no training configuration: fold-in needs one");
    }
    try {
      return TrainConfig.fromMap((Map<String, ?>) m);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "the model's training configuration cannot be read: " + e.getMessage(), e);
    }
  }

  private static float lambda(float l2, float nu, float a0, int n, int numItems) {
    return nu == 0f ? l2 : (float) (l2 * Math.pow(n + (double) a0 * numItems, nu));
  }

  private interface Confidence {
    float of(float r);
  }

  /**
   * argmin_w Σ_i c (w·h_i − 1)² + a0·wᵀGw + λ‖w‖², G the item Gramian: (a0·G + Σ c h hᵀ + λI) w = Σ
   * c h.
   */
  private static float[] leastSquares(
      FactorModel model, int[] items, float a0, float lambda, Confidence conf) {
    EmbeddingTable it = model.itemTable();
    int d = model.dim();
    double[] a = new double[d * d];
    for (int r = 0; r < it.rows(); r++) {
      for (int x = 0; x < d; x++) {
        double hx = it.get(r, x);
        for (int y = 0; y <= x; y++) {
          a[x * d + y] += a0 * hx * it.get(r, y);
        }
      }
    }
    double[] b = new double[d];
    for (int x = 0; x < d; x++) {
      a[x * d + x] += lambda;
    }
    float c = conf.of(1f);
    for (int i : items) {
      for (int x = 0; x < d; x++) {
        double hx = it.get(i, x);
        b[x] += c * hx;
        for (int y = 0; y <= x; y++) {
          a[x * d + y] += c * hx * it.get(i, y);
        }
      }
    }
    Cholesky.solveInPlace(a, b, d);
    float[] w = new float[d];
    for (int x = 0; x < d; x++) {
      w[x] = (float) b[x];
    }
    return w;
  }

  /**
   * The pairwise square loss's user step ({@link PairwiseSquareAlsSolver}): (Σ_i h_i h_iᵀ + g·G −
   * (s zᵀ + z sᵀ)/N + λI) w = s − (n/N)·z over the n items, s = Σ_i h_i, z = Σ_j h_j, G the item
   * Gramian; g = n/N for the ALS, n/(2N) for the fixed point of the SGD, whose Gramian estimate is
   * a constant in eq. 44's split (as {@code gramian-sgd}'s).
   */
  private static float[] pairwiseLeastSquares(
      FactorModel model, int[] items, float gramWeight, float lambda) {
    EmbeddingTable it = model.itemTable();
    int d = model.dim();
    double numItems = it.rows();
    double[] a = new double[d * d];
    double[] z = new double[d];
    for (int r = 0; r < it.rows(); r++) {
      for (int x = 0; x < d; x++) {
        double hx = it.get(r, x);
        z[x] += hx;
        for (int y = 0; y <= x; y++) {
          a[x * d + y] += gramWeight * hx * it.get(r, y);
        }
      }
    }
    double[] s = new double[d];
    for (int i : items) {
      for (int x = 0; x < d; x++) {
        double hx = it.get(i, x);
        s[x] += hx;
        for (int y = 0; y <= x; y++) {
          a[x * d + y] += hx * it.get(i, y);
        }
      }
    }
    double[] b = new double[d];
    for (int x = 0; x < d; x++) {
      a[x * d + x] += lambda;
      for (int y = 0; y <= x; y++) {
        a[x * d + y] -= (s[x] * z[y] + z[x] * s[y]) / numItems;
      }
      b[x] = s[x] - items.length / numItems * z[x];
    }
    Cholesky.solveInPlace(a, b, d);
    float[] w = new float[d];
    for (int x = 0; x < d; x++) {
      w[x] = (float) b[x];
    }
    return w;
  }

  /**
   * Gradient descent on −(1/n) Σ_i log softmax(φ(u, ·))_i over every item, items frozen. For cosine
   * the step moves û on the sphere's tangent (the gradient through the normalisation).
   */
  private static float[] softmaxSteps(FactorModel model, int[] items, float[] start) {
    VectorOps ops = VectorOps.best();
    EmbeddingTable cand = model.retrievalItems();
    int d = model.dim();
    int n = cand.rows();
    boolean cosine = model.scorer().isCosine();
    float scale = cosine ? 1f / model.scorer().temperature() : 1f;
    float[] h = model.scorer().isGmf() ? model.scorer().weights() : null;
    float[] u = new float[d];
    if (start != null) {
      System.arraycopy(start, 0, u, 0, d);
    } else {
      for (int i : items) {
        ops.axpy(1f / items.length, cand.data(), cand.offset(i), u, 0, d);
      }
    }
    float[] q = new float[d];
    float[] scores = new float[n];
    float[] grad = new float[d];
    for (int step = 0; step < STEPS; step++) {
      // q: the retrieval-space query of u (normalised for cosine, h-folded for gmf)
      System.arraycopy(u, 0, q, 0, d);
      float norm = 1f;
      if (cosine) {
        norm = (float) Math.sqrt(ops.dot(u, 0, u, 0, d));
        if (norm == 0f) {
          break;
        }
        ops.scale(1f / norm, q, 0, d);
      } else if (h != null) {
        for (int k = 0; k < d; k++) {
          q[k] *= h[k];
        }
      }
      for (int i = 0; i < n; i++) {
        scores[i] = scale * ops.dot(q, 0, cand.data(), cand.offset(i), d);
      }
      float max = ops.max(scores, 0, n);
      float z = ops.expShiftSum(scores, 0, n, max); // scores now hold exp(s − max)
      // dL/dq = scale · (Σ_j p_j v_j − mean_i v_i)
      Arrays.fill(grad, 0f);
      for (int j = 0; j < n; j++) {
        float p = scores[j] / z;
        if (p > 1e-12f) {
          ops.axpy(p, cand.data(), cand.offset(j), grad, 0, d);
        }
      }
      for (int i : items) {
        ops.axpy(-1f / items.length, cand.data(), cand.offset(i), grad, 0, d);
      }
      ops.scale(scale, grad, 0, d);
      if (cosine) { // through q = u/‖u‖: (I − q qᵀ) g / ‖u‖
        float gq = ops.dot(grad, 0, q, 0, d);
        ops.axpy(-gq, q, 0, grad, 0, d);
        ops.scale(1f / norm, grad, 0, d);
      } else if (h != null) {
        for (int k = 0; k < d; k++) {
          grad[k] *= h[k];
        }
      }
      // for cosine the step is relative to ‖u‖ (the loss is scale-invariant in u)
      ops.axpy(-STEP_SIZE * (cosine ? norm * norm : 1f) / scale, grad, 0, u, 0, d);
    }
    return u;
  }
}
