package org.totalrecall.train;

import java.util.List;
import java.util.Map;
import org.totalrecall.linalg.EmbeddingTable;

/**
 * The mirror of One Backpropagation, the "only users" strategy of paper 004's Table 4 (sec. 5): the
 * loss's gradients update the user tower only, and after each step every positive pair (u, v) of
 * the step moves its item towards the just-updated user by the moving aggregation v ← β·v + (1 −
 * β)·u ("items' encodings are updated based on the users' encodings"). 004 finds it worse than both
 * OneBP and two-sided training; it is here to reproduce that ablation. Same contract as {@link
 * OneBpUpdateSpec} with the roles of the tables exchanged.
 *
 * @param beta β in [0, 1): the weight of the item's previous vector
 */
public record UserOnlyBpUpdateSpec(float beta) implements UpdateSpec {
  static final SpecType<UpdateSpec> TYPE =
      new SpecType<>(
          "user-only",
          "The mirror of One Backpropagation (paper 004, Table 4's 'only users'): gradients update users only;"
              + " each item follows v <- beta*v + (1-beta)*u_pos after the step.",
          List.of(OneBpUpdateSpec.BETA),
          p -> new UserOnlyBpUpdateSpec(p.getFloat("beta", 0.99f)));

  public UserOnlyBpUpdateSpec {
    if (!(beta >= 0f && beta < 1f)) {
      throw new IllegalArgumentException(
          "--beta of --update user-only must be in [0, 1), got " + beta);
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
    return true;
  }

  @Override
  public boolean updatesItems() {
    return false;
  }

  /** v ← β·v + (1 − β)·u for every positive of the step, in order. */
  @Override
  public void afterStep(
      int[] users,
      int[] items,
      int from,
      int size,
      EmbeddingTable userTable,
      EmbeddingTable itemTable) {
    OneBpUpdateSpec.follow(items, users, from, size, itemTable, userTable, beta);
  }
}
