package org.totalrecall.train;

import java.util.List;
import java.util.Map;

/**
 * Backpropagation into both towers ({@code two-sided}, the default), or into one only with the
 * other frozen at its initialisation ({@code items-only}, {@code users-only}: the ablations of One
 * Backpropagation's Table 4, paper 004, without its moving aggregation).
 *
 * @param users whether the user table is updated
 * @param items whether the item table is updated
 */
public record SidedUpdateSpec(boolean users, boolean items) implements UpdateSpec {
  static final List<SpecType<UpdateSpec>> TYPES =
      List.of(
          new SpecType<>(
              "two-sided",
              "Gradients update both the user and the item table (the default).",
              List.of(),
              p -> new SidedUpdateSpec(true, true)),
          new SpecType<>(
              "items-only",
              "Gradients update the item table only; users stay at their initialisation.",
              List.of(),
              p -> new SidedUpdateSpec(false, true)),
          new SpecType<>(
              "users-only",
              "Gradients update the user table only; items stay at their initialisation.",
              List.of(),
              p -> new SidedUpdateSpec(true, false)));

  public SidedUpdateSpec {
    if (!users && !items) {
      throw new IllegalArgumentException("--update must update at least one table");
    }
  }

  /** Both tables. */
  public static SidedUpdateSpec twoSided() {
    return new SidedUpdateSpec(true, true);
  }

  @Override
  public String name() {
    return users && items ? "two-sided" : items ? "items-only" : "users-only";
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of();
  }

  @Override
  public boolean updatesUsers() {
    return users;
  }

  @Override
  public boolean updatesItems() {
    return items;
  }
}
