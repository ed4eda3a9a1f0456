package org.totalrecall.model;

import java.util.Arrays;
import org.totalrecall.util.Checks;

/**
 * How a (user, item) pair is scored: {@code DOT}, φ(u,i) = ⟨u, i⟩; {@code COSINE}, φ(u,i) = ⟨u, i⟩
 * / (τ‖u‖‖i‖) (TotalRecall eq. 2; CLRec eq. 4); or {@code GMF}, the generalised matrix
 * factorisation of NCF, φ(u,i) = hᵀ(u ⊙ i) = Σ_k h_k u_k i_k with a learned weight vector h
 * (TotalRecall eq. 2's GMF variant; He et al. 2017, eq. 9 with an identity activation). Retrieval
 * ranks by φ with plain inner products: for cosine it uses row-normalised copies of the tables (the
 * 1/τ factor does not change a ranking), for GMF it folds h into the user side (⟨h ⊙ u, i⟩ = φ), so
 * exact and approximate search work unchanged in both directions.
 *
 * @param kind dot, cosine or gmf
 * @param temperature τ > 0; 1 for dot and gmf
 * @param weights h for gmf (one per dimension, finite; the record keeps its own copy), null
 *     otherwise
 */
@SuppressWarnings("ArrayRecordComponent") // equals and hashCode below compare h by value
public record Scorer(Kind kind, float temperature, float[] weights) {

  /** The scoring functions. */
  public enum Kind {
    DOT,
    COSINE,
    GMF
  }

  public Scorer {
    Checks.notNull("kind", kind);
    Checks.positive("temperature", temperature);
    if ((kind == Kind.GMF) != (weights != null)) {
      throw new IllegalArgumentException(
          kind == Kind.GMF
              ? "the gmf scorer needs its weight vector h"
              : "only the gmf scorer has weights, not " + kind);
    }
    if (weights != null) {
      if (weights.length == 0) {
        throw new IllegalArgumentException("the gmf weight vector h is empty");
      }
      for (int k = 0; k < weights.length; k++) {
        if (!Float.isFinite(weights[k])) {
          throw new IllegalArgumentException("the gmf weight h[" + k + "] is " + weights[k]);
        }
      }
      weights = weights.clone();
    }
  }

  /** A dot or cosine scorer (no weights). */
  public Scorer(Kind kind, float temperature) {
    this(kind, temperature, null);
  }

  public static Scorer dot() {
    return new Scorer(Kind.DOT, 1f);
  }

  public static Scorer cosine(float temperature) {
    return new Scorer(Kind.COSINE, temperature);
  }

  /** GMF with weight vector {@code h} (copied). */
  public static Scorer gmf(float[] h) {
    Checks.notNull("h", h);
    return new Scorer(Kind.GMF, 1f, h);
  }

  public boolean isCosine() {
    return kind == Kind.COSINE;
  }

  public boolean isGmf() {
    return kind == Kind.GMF;
  }

  /** A copy of h for gmf, null otherwise. */
  @Override
  public float[] weights() {
    return weights == null ? null : weights.clone();
  }

  /** h[k] without copying; only for gmf. */
  public float weight(int k) {
    return weights[k];
  }

  /** Length of h (0 unless gmf). */
  public int numWeights() {
    return weights == null ? 0 : weights.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scorer s
        && s.kind == kind
        && Float.compare(s.temperature, temperature) == 0
        && Arrays.equals(s.weights, weights);
  }

  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + Float.hashCode(temperature)) * 31 + Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case DOT -> "dot";
      case COSINE -> "cosine(τ=" + temperature + ")";
      case GMF -> "gmf(h=" + Arrays.toString(weights) + ")";
    };
  }
}
