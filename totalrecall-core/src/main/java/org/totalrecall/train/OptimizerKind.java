package org.totalrecall.train;

import java.util.Locale;

/** The per-row optimizers; see {@link RowOptimizer} and its implementations. */
public enum OptimizerKind {
  /** Adam (Kingma &amp; Ba 2015) with lazy per-row moments; see {@link AdamOptimizer}. */
  ADAM,
  /** Adagrad (Duchi, Hazan &amp; Singer 2011), per coordinate; see {@link AdagradOptimizer}. */
  ADAGRAD,
  /** Plain SGD with a constant rate; see {@link SgdOptimizer}. */
  SGD;

  /** The lowercase name used on the command line and in metadata. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Builds the optimizer state for one table of {@code rows × dim} parameters. */
  public RowOptimizer create(int rows, int dim, OptimizerSpec spec, LearningRateSchedule schedule) {
    return switch (this) {
      case ADAM ->
          new AdamOptimizer(rows, dim, schedule, spec.beta1(), spec.beta2(), spec.epsilon());
      case ADAGRAD -> new AdagradOptimizer(rows, dim, schedule, spec.epsilon());
      case SGD -> new SgdOptimizer(dim, schedule);
    };
  }

  /**
   * Parses {@code adam}, {@code adagrad} or {@code sgd} (case insensitive).
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static OptimizerKind parse(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      for (OptimizerKind k : values()) {
        if (k.cliName().equals(n)) {
          return k;
        }
      }
    }
    throw new IllegalArgumentException(
        "optimizer must be one of adam, adagrad, sgd; got \"" + name + "\"");
  }
}
