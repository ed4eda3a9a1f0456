package org.totalrecall.model;

import org.totalrecall.linalg.EmbeddingTable;

/**
 * Whether a pair of tables can be scored in float without overflow: every entry finite and, for the
 * dot scorer, max‖u‖·max‖i‖ (computed in double) within {@link Float#MAX_VALUE} (for gmf,
 * max|h|·max‖u‖·max(1, max‖i‖), which also bounds the folded rows h ⊙ u), so that by Cauchy–Schwarz
 * no score, nor any partial sum of one, overflows; for cosine, every squared row norm within {@link
 * Float#MAX_VALUE} (training normalises rows in float), after which cosine scores are bounded by
 * 1/τ. The trainer checks this after every epoch and the model file refuses to write or read a
 * model that fails it. Stateless.
 */
public final class NumericRange {
  private NumericRange() {}

  /**
   * What is wrong with the tables, or null if they are usable.
   *
   * @return e.g. {@code "the user table holds NaN in row 3, column 1"} or {@code "dot scores
   *     overflow float: max ‖u‖·‖i‖ = 4.1E40"}
   */
  public static String problem(EmbeddingTable users, EmbeddingTable items, Scorer scorer) {
    String p = nonFinite("user", users);
    if (p == null) {
      p = nonFinite("item", items);
    }
    if (p == null && scorer.isGmf()) {
      // |Σ h_k u_k i_k| <= max|h|·‖u‖·‖i‖, and the folded rows h ⊙ u of retrieval stay finite
      double h = 0;
      for (int k = 0; k < scorer.numWeights(); k++) {
        h = Math.max(h, Math.abs(scorer.weight(k)));
      }
      double bound = h * maxNorm(users) * Math.max(1, maxNorm(items));
      if (!(bound <= Float.MAX_VALUE)) {
        p = "gmf scores overflow float: max|h|·max ‖u‖·max(1, ‖i‖) = " + bound;
      }
    } else if (p == null && !scorer.isCosine()) {
      double bound = maxNorm(users) * maxNorm(items);
      if (!(bound <= Float.MAX_VALUE)) {
        p = "dot scores overflow float: max ‖u‖·‖i‖ = " + bound;
      }
    }
    if (p == null && scorer.isCosine()) {
      // training normalises rows in float: a squared norm beyond Float.MAX_VALUE makes the row 0
      double bound = Math.max(maxNorm(users), maxNorm(items));
      if (!(bound * bound <= Float.MAX_VALUE)) {
        p = "cosine row norms overflow float: max ‖w‖ = " + bound;
      }
    }
    return p;
  }

  /** The description of the first non-finite entry of {@code table}, or null. */
  static String nonFinite(String kind, EmbeddingTable table) {
    long bad = table.firstNonFinite();
    if (bad < 0) {
      return null;
    }
    int dim = table.dim();
    return "the "
        + kind
        + " table holds "
        + table.data()[(int) bad]
        + " in row "
        + (bad / dim)
        + ", column "
        + (bad % dim);
  }

  /** The largest Euclidean row norm, in double. */
  public static double maxNorm(EmbeddingTable t) {
    float[] a = t.data();
    int dim = t.dim();
    double max = 0;
    for (int r = 0; r < t.rows(); r++) {
      double sq = 0;
      for (int k = r * dim, end = k + dim; k < end; k++) {
        sq += (double) a[k] * a[k];
      }
      max = Math.max(max, sq);
    }
    return Math.sqrt(max);
  }
}
