package org.totalrecall.train;

import java.util.Locale;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.loss.BatchObjective;
import org.totalrecall.loss.InfoNceLoss;

/** The batch objectives the trainer can optimise, with their command-line names. */
public enum ObjectiveKind {
  /** Bi-InfoNCE, TotalRecall eq. 3 (both softmax terms): φ → log p(u,i) + C. CLI name {@code bi-infonce}. */
  BI_INFONCE("bi-infonce", InfoNceLoss.Direction.BOTH),
  /** Uni-InfoNCE, first term of eq. 3 (softmax over items): φ → log p(i|u). CLI name {@code infonce-u2i}. */
  INFONCE_U2I("infonce-u2i", InfoNceLoss.Direction.U2I),
  /** Uni-InfoNCE, second term of eq. 3 (softmax over users): φ → log p(u|i). CLI name {@code infonce-i2u}. */
  INFONCE_I2U("infonce-i2u", InfoNceLoss.Direction.I2U);

  private final String cliName;
  private final InfoNceLoss.Direction direction;

  ObjectiveKind(String cliName, InfoNceLoss.Direction direction) {
    this.cliName = cliName;
    this.direction = direction;
  }

  /** The name used on the command line and in model metadata, e.g. {@code bi-infonce}. */
  public String cliName() {
    return cliName;
  }

  /** A new objective instance (it holds per-worker scratch: one per worker). */
  public BatchObjective create(VectorOps ops) {
    return new InfoNceLoss(direction, ops);
  }

  /**
   * Parses a CLI name ({@code bi-infonce}, {@code infonce-u2i}, {@code infonce-i2u}; case
   * insensitive; the enum constant names are accepted too).
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static ObjectiveKind parse(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      for (ObjectiveKind k : values()) {
        if (k.cliName.equals(n) || k.name().toLowerCase(Locale.ROOT).equals(n)) {
          return k;
        }
      }
    }
    throw new IllegalArgumentException(
        "objective must be one of bi-infonce, infonce-u2i, infonce-i2u; got \"" + name + "\"");
  }
}
