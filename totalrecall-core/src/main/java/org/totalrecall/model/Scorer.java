package org.totalrecall.model;

import org.totalrecall.util.Checks;

/**
 * How a (user, item) pair is scored: {@code DOT}, φ(u,i) = ⟨u, i⟩, or {@code COSINE},
 * φ(u,i) = ⟨u, i⟩ / (τ‖u‖‖i‖) (TotalRecall eq. 2; CLRec eq. 4). Retrieval ranks by φ: for cosine
 * it uses row-normalised copies of the tables, so that exact and approximate search are plain
 * inner products (the 1/τ factor does not change a ranking).
 *
 * @param kind dot or cosine
 * @param temperature τ > 0; 1 for dot
 */
public record Scorer(Kind kind, float temperature) {
  /** The two scoring functions. */
  public enum Kind {
    DOT,
    COSINE
  }

  public Scorer {
    Checks.notNull("kind", kind);
    Checks.positive("temperature", temperature);
  }

  public static Scorer dot() {
    return new Scorer(Kind.DOT, 1f);
  }

  public static Scorer cosine(float temperature) {
    return new Scorer(Kind.COSINE, temperature);
  }

  public boolean isCosine() {
    return kind == Kind.COSINE;
  }
}
