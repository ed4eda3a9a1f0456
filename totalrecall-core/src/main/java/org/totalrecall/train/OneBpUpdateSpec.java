package org.totalrecall.train;

import java.util.List;
import java.util.Map;
import org.totalrecall.linalg.EmbeddingTable;

/**
 * One Backpropagation (Chen &amp; Wang, paper 004, sec. 4.2): the loss's gradients update the item
 * tower only (eq. 5), and after each step every positive pair (u, v) of the step moves its user
 * towards the just-updated item by the moving aggregation u ← β·u + (1 − β)·v (eq. 6). Works with
 * every objective that backpropagates (InfoNCE, sampled and full softmax, BPR, WARP, pointwise
 * losses): the solvers skip the user gradient step ({@link #updatesUsers()} is false) and call
 * {@link #afterStep} with the step's positives. The aggregation is on the raw rows (with the cosine
 * scorer, the direction is what it moves). Races between workers on a user row are Hogwild's, as
 * for gradient steps.
 *
 * @param beta β in [0, 1): the weight of the user's previous vector (004 suggests 1 − β = 10⁻²)
 */
public record OneBpUpdateSpec(float beta) implements UpdateSpec {
  /**
   * {@code --beta}: one flag, one description, for the popularity sampler and both aggregations.
   */
  static final Param BETA =
      new Param(
          "beta",
          Param.Kind.FLOAT,
          "BETA",
          "Exponent of the popularity sampler (count^BETA, default 0.75), or the aggregation weight of --update onebp"
              + " (u <- BETA*u + (1-BETA)*v_pos) and user-only (v <- BETA*v + (1-BETA)*u_pos), default 0.99.");

  static final SpecType<UpdateSpec> TYPE =
      new SpecType<>(
          "onebp",
          "One Backpropagation (paper 004): gradients update items only; each user follows"
              + " u <- beta*u + (1-beta)*v_pos after the step (eq. 6).",
          List.of(BETA),
          p -> new OneBpUpdateSpec(p.getFloat("beta", 0.99f)));

  public OneBpUpdateSpec {
    if (!(beta >= 0f && beta < 1f)) {
      throw new IllegalArgumentException("--beta of --update onebp must be in [0, 1), got " + beta);
    }
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of("beta", MapValues.decimal(beta));
  }

  @Override
  public boolean updatesUsers() {
    return false;
  }

  @Override
  public boolean updatesItems() {
    return true;
  }

  /** Eq. 6 for every positive of the step, in order: u ← β·u + (1 − β)·v. */
  @Override
  public void afterStep(
      int[] users,
      int[] items,
      int from,
      int size,
      EmbeddingTable userTable,
      EmbeddingTable itemTable) {
    follow(users, items, from, size, userTable, itemTable, beta);
  }

  /**
   * The moving aggregation of 004 for pairs b in [from, from + size), in order: row {@code
   * moving[b]} of {@code movingTable} ← β·row + (1 − β)·row {@code toward[b]} of {@code
   * towardTable} (users towards items for OneBP, items towards users for its mirror).
   */
  static void follow(
      int[] moving,
      int[] toward,
      int from,
      int size,
      EmbeddingTable movingTable,
      EmbeddingTable towardTable,
      float beta) {
    final float[] md = movingTable.data();
    final float[] td = towardTable.data();
    final int d = movingTable.dim();
    final float keep = beta;
    final float take = 1f - beta;
    for (int b = from; b < from + size; b++) {
      int mo = movingTable.offset(moving[b]);
      int to = towardTable.offset(toward[b]);
      for (int k = 0; k < d; k++) {
        md[mo + k] = keep * md[mo + k] + take * td[to + k];
      }
    }
  }
}
