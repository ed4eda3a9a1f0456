package org.totalrecall.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.totalrecall.linalg.EmbeddingTable;

/**
 * The update policy of a run, chosen by name ({@code --update}): which tables receive gradients,
 * and what happens after each step. Two-sided backpropagation is the default; One Backpropagation
 * (Chen &amp; Wang, paper 004: gradients update item vectors only, then u ← β·u + (1 − β)·i_pos) is
 * one more record ({@link OneBpUpdateSpec}). Every solver consults it, so a policy needs no edit of
 * the trainers.
 */
public sealed interface UpdateSpec permits SidedUpdateSpec, OneBpUpdateSpec, UserOnlyBpUpdateSpec {
  /** Every update policy, in the order of {@code --help}. */
  static List<SpecType<UpdateSpec>> types() {
    return Registry.ALL;
  }

  /**
   * The list of kinds, in a holder class so that it is built on first use (see {@link
   * ObjectiveSpec.Registry}).
   */
  final class Registry {
    private Registry() {}

    static final List<SpecType<UpdateSpec>> ALL;

    static {
      List<SpecType<UpdateSpec>> all = new ArrayList<>();
      all.addAll(SidedUpdateSpec.TYPES);
      all.add(OneBpUpdateSpec.TYPE);
      all.add(UserOnlyBpUpdateSpec.TYPE);
      ALL = List.copyOf(all);
    }
  }

  /** The name on the command line and in metadata. */
  String name();

  /** The parameter values by parameter name. */
  Map<String, Object> parameters();

  /** Whether the user table receives its gradients. */
  boolean updatesUsers();

  /** Whether the item table receives its gradients. */
  boolean updatesItems();

  /**
   * Called by a worker after it applied the updates of positives {@code users[from + b]}, {@code
   * items[from + b]}, b &lt; size (a mini-batch or one example); a no-op by default.
   */
  default void afterStep(
      int[] users,
      int[] items,
      int from,
      int size,
      EmbeddingTable userTable,
      EmbeddingTable itemTable) {}

  /** {@code {"name": ..., parameters...}}: the metadata form. */
  default Map<String, Object> toMap() {
    return Specs.toMap(name(), parameters());
  }

  /** Parses {@code --update NAME} with its parameter values. */
  static UpdateSpec parse(String name, Params values) {
    return SpecType.find(types(), name, "--update").parse(values, "--update");
  }

  /** The spec written by {@link #toMap}. */
  static UpdateSpec fromMap(Map<String, ?> map) {
    return Specs.fromMap(types(), map, "--update");
  }
}
