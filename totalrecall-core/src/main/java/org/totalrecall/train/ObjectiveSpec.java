package org.totalrecall.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.loss.BatchObjective;
import org.totalrecall.loss.RowObjective;
import org.totalrecall.model.Scorer;
import org.totalrecall.sampler.CandidateLayout;

/**
 * The objective of a training run, chosen by name ({@code --objective}) with its own parameters.
 * Each implementation is a record that validates its parameters (messages name the flag), builds
 * its per-worker component, states the candidate layouts it accepts and the sampler it takes by
 * default, and round-trips through the model file's metadata ({@link #toMap}, {@link #fromMap}).
 * Adding an objective is one record here (and its line in {@link Registry}) and its loss class;
 * nothing else switches over names.
 */
public sealed interface ObjectiveSpec
    permits InfoNceSpec,
        FullSoftmaxSpec,
        SampledSoftmaxSpec,
        PairwiseSpec,
        ImportanceBprSpec,
        PointwiseSpec,
        CclSpec,
        GramianObjective {
  /** Every objective kind, in the order of {@code --help}. */
  static List<SpecType<ObjectiveSpec>> types() {
    return Registry.ALL;
  }

  /**
   * The list of kinds, in a holder class so that it is built on first use, after the interface
   * (which the records' initialisation initialises first, for its default methods).
   */
  final class Registry {
    private Registry() {}

    static final List<SpecType<ObjectiveSpec>> ALL;

    static {
      List<SpecType<ObjectiveSpec>> all = new ArrayList<>();
      all.addAll(InfoNceSpec.TYPES);
      all.add(FullSoftmaxSpec.TYPE);
      all.add(SampledSoftmaxSpec.TYPE);
      all.add(PairwiseSpec.BPR);
      all.add(PairwiseSpec.WARP);
      all.add(ImportanceBprSpec.TYPE);
      all.addAll(PointwiseSpec.TYPES);
      all.add(CclSpec.TYPE);
      all.add(IalsSpec.TYPE);
      all.add(IalsSpec.ICD_TYPE);
      all.add(GramianSgdSpec.TYPE);
      all.add(PairwiseSquareSpec.TYPE);
      ALL = List.copyOf(all);
    }
  }

  /** The name on the command line and in metadata. */
  String name();

  /** The parameter values by parameter name, for metadata and reports. */
  Map<String, Object> parameters();

  /** The candidate layouts this objective can train on. */
  Set<CandidateLayout> layouts();

  /** The sampler used when none is named (a {@link SamplerSpec#types()} name). */
  String defaultSampler();

  /**
   * Parameter values of the default sampler that this objective sets unless the user does (e.g.
   * {@code mfb}'s ratio 4:4), by parameter name.
   */
  default Map<String, String> defaultSamplerValues() {
    return Map.of();
  }

  /** The default sampler with this objective's values for it. */
  default SamplerSpec defaultSamplerSpec() {
    return SamplerSpec.parse(defaultSampler(), Params.of(defaultSamplerValues()));
  }

  /**
   * What is wrong with training this objective on {@code model}, or null: e.g. CCL needs raw cosine
   * scores (cosine scorer, τ = 1).
   */
  default String modelProblem(ModelSpec model) {
    return null;
  }

  /** What is wrong with training this objective under update policy {@code update}, or null. */
  default String updateProblem(UpdateSpec update) {
    return null;
  }

  /**
   * The scorer a run of this objective uses unless one is named: cosine, or dot for the square-loss
   * solvers.
   */
  default Scorer.Kind preferredScorer() {
    return Scorer.Kind.COSINE;
  }

  /**
   * Whether the objective scores extra user candidates (an i2u term): shared samplers draw them
   * only then.
   */
  default boolean scoresUserCandidates() {
    return true;
  }

  /** Whether the objective scores extra item candidates (a u2i term). */
  default boolean scoresItemCandidates() {
    return true;
  }

  /**
   * The strength α of the log Q correction the trainer applies (the objective sees s − α·log Q of
   * each candidate); 0 for no correction.
   */
  default float correctionWeight() {
    return 0f;
  }

  /**
   * A new objective over {@link CandidateLayout#SHARED} blocks (it holds per-worker scratch: one
   * per worker).
   *
   * @throws IllegalStateException if this objective does not accept the shared layout
   */
  default BatchObjective create(VectorOps ops) {
    throw new IllegalStateException(
        "--objective " + name() + " does not train on SHARED candidates");
  }

  /**
   * A new objective over {@link CandidateLayout#PER_ROW} blocks (one per worker).
   *
   * @throws IllegalStateException if this objective does not accept the per-row layout
   */
  default RowObjective createRow(int numUsers, int numItems) {
    throw new IllegalStateException(
        "--objective " + name() + " does not train on PER_ROW candidates");
  }

  /**
   * The solver that trains this objective on {@code train}: by default the one the sampler's
   * candidate layout calls for (mini-batch for shared candidates, per-example Hogwild for per-row,
   * the exact full softmax for full); an objective with its own algorithm (an alternating solver)
   * returns it instead.
   */
  default Solver createSolver(
      Interactions train,
      TrainConfig config,
      EmbeddingTable users,
      EmbeddingTable items,
      VectorOps ops) {
    return switch (config.sampler().layout()) {
      case SHARED -> new MiniBatchSolver(train, config, users, items, ops);
      case PER_ROW -> new PerRowSolver(train, config, users, items, ops);
      case FULL -> new FullSoftmaxSolver(train, config, users, items, ops);
    };
  }

  /** {@code {"name": ..., parameters...}}: the metadata form. */
  default Map<String, Object> toMap() {
    return Specs.toMap(name(), parameters());
  }

  /**
   * Parses {@code --objective NAME} with its parameter values.
   *
   * @throws IllegalArgumentException for an unknown name, a bad value (naming its flag), or a value
   *     for a parameter this objective does not take
   */
  static ObjectiveSpec parse(String name, Params values) {
    return SpecType.find(types(), name, "--objective").parse(values, "--objective");
  }

  /** The spec written by {@link #toMap}. */
  static ObjectiveSpec fromMap(Map<String, ?> map) {
    return Specs.fromMap(types(), map, "--objective");
  }
}
