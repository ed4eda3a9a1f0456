package org.totalrecall.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.totalrecall.sampler.BatchSampler;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.RowSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * The negative sampler of a training run, chosen by name ({@code --sampler}) with its own
 * parameters. Each implementation is a record that validates its parameters (messages name the
 * flag), states the candidate layout it produces, builds the sampler for a run from a {@link
 * SamplerContext}, and round-trips through the model file's metadata. Adding a sampler is one
 * record here (and its line in {@link Registry}) and its sampler class.
 */
public sealed interface SamplerSpec
    permits InBatchSamplerSpec,
        MixedSamplerSpec,
        AllItemsSamplerSpec,
        StaticSamplerSpec,
        DnsSamplerSpec,
        AobprSamplerSpec,
        AdasirSamplerSpec,
        PrisSamplerSpec,
        QueueSamplerSpec,
        BirSamplerSpec,
        KernelSamplerSpec {
  /** Every sampler kind, in the order of {@code --help}. */
  static List<SpecType<SamplerSpec>> types() {
    return Registry.ALL;
  }

  /**
   * The list of kinds, in a holder class so that it is built on first use (see {@link
   * ObjectiveSpec.Registry}).
   */
  final class Registry {
    private Registry() {}

    static final List<SpecType<SamplerSpec>> ALL;

    static {
      List<SpecType<SamplerSpec>> all = new ArrayList<>();
      all.add(InBatchSamplerSpec.TYPE);
      all.add(MixedSamplerSpec.TYPE);
      all.add(QueueSamplerSpec.QUEUE_TYPE);
      all.add(QueueSamplerSpec.MOCO_TYPE);
      all.add(BirSamplerSpec.TYPE);
      all.add(StaticSamplerSpec.UNIFORM);
      all.add(StaticSamplerSpec.POPULARITY);
      all.add(DnsSamplerSpec.TYPE);
      all.add(AobprSamplerSpec.TYPE);
      all.add(AdasirSamplerSpec.TYPE);
      all.add(AdasirSamplerSpec.WEIGHTED);
      all.add(PrisSamplerSpec.TYPE);
      all.add(KernelSamplerSpec.TYPE);
      all.add(AllItemsSamplerSpec.TYPE);
      ALL = List.copyOf(all);
    }
  }

  /** The name on the command line and in metadata. */
  String name();

  /** The parameter values by parameter name, for metadata and reports. */
  Map<String, Object> parameters();

  /** The layout of the candidates this sampler produces. */
  CandidateLayout layout();

  /**
   * The most user and item candidates per step for a batch of {@code batchSize}: the size of the
   * score block the trainer allocates per worker.
   */
  int maxCandidates(int batchSize);

  /**
   * The most user candidates (rows of the score block) per step; {@link #maxCandidates} unless the
   * sampler's block is narrower on that side.
   */
  default int maxUserCandidates(int batchSize) {
    return maxCandidates(batchSize);
  }

  /**
   * The most item candidates (columns of the score block) per step; {@link #maxCandidates} unless
   * the sampler's block is narrower on that side.
   */
  default int maxItemCandidates(int batchSize) {
    return maxCandidates(batchSize);
  }

  /**
   * Builds the sampler of a {@link CandidateLayout#SHARED} layout for one run (shared by the
   * workers; see {@link BatchSampler#forWorker()}).
   *
   * @throws IllegalStateException if this sampler's layout is another
   */
  default BatchSampler create(SamplerContext context) {
    throw new IllegalStateException(
        "--sampler " + name() + " gives " + layout() + " candidates, not SHARED ones");
  }

  /**
   * Builds the sampler of a {@link CandidateLayout#PER_ROW} layout for one run (shared by the
   * workers; see {@link RowSampler#forWorker()}).
   *
   * @throws IllegalStateException if this sampler's layout is another
   */
  default RowSampler createRows(SamplerContext context) {
    throw new IllegalStateException(
        "--sampler " + name() + " gives " + layout() + " candidates, not PER_ROW ones");
  }

  /**
   * Why this sampler cannot work with {@code model} (a usage error naming the flags), or null if it
   * can.
   */
  default String modelProblem(ModelSpec model) {
    return null;
  }

  /**
   * Why this sampler cannot work with batches of {@code batchSize} (a usage error naming the
   * flags), or null.
   */
  default String batchProblem(int batchSize) {
    return null;
  }

  /**
   * Why this sampler cannot serve {@code objective} (a usage error naming the flags), or null if it
   * can.
   */
  default String objectiveProblem(ObjectiveSpec objective) {
    return null;
  }

  /** {@code {"name": ..., parameters...}}: the metadata form. */
  default Map<String, Object> toMap() {
    return Specs.toMap(name(), parameters());
  }

  /**
   * Parses {@code --sampler NAME} with its parameter values.
   *
   * @throws IllegalArgumentException for an unknown name, a bad value (naming its flag), or a value
   *     for a parameter this sampler does not take
   */
  static SamplerSpec parse(String name, Params values) {
    return SpecType.find(types(), name, "--sampler").parse(values, "--sampler");
  }

  /** The spec written by {@link #toMap}. */
  static SamplerSpec fromMap(Map<String, ?> map) {
    return Specs.fromMap(types(), map, "--sampler");
  }
}
