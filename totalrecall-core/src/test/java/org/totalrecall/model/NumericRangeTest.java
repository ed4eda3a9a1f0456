package org.totalrecall.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.totalrecall.linalg.EmbeddingTable;

/** The score-range check against hand-computed norms. */
class NumericRangeTest {
  private static EmbeddingTable table(int rows, int dim, float... values) {
    return new EmbeddingTable(rows, dim, values);
  }

  @Test
  void maxNormIsTheLargestRowNormInDouble() {
    assertEquals(5.0, NumericRange.maxNorm(table(2, 2, 3, 4, 1, 1)), 0);
    // squares overflow float but not double
    assertEquals(
        Math.sqrt(2) * (double) 3e30f, NumericRange.maxNorm(table(1, 2, 3e30f, 3e30f)), 1e16);
  }

  @Test
  void finiteModestTablesPass() {
    EmbeddingTable u = table(2, 2, 1, 2, 3, 4);
    EmbeddingTable i = table(1, 2, -1, 0.5f);
    assertNull(NumericRange.problem(u, i, Scorer.dot()));
    assertNull(NumericRange.problem(u, i, Scorer.cosine(0.1f)));
  }

  @Test
  void nonFiniteEntriesAreNamedByTableRowAndColumn() {
    EmbeddingTable u = table(2, 2, 1, 2, 3, Float.NaN);
    EmbeddingTable i = table(2, 2, 1, 2, Float.NEGATIVE_INFINITY, 0);
    assertEquals(
        "the user table holds NaN in row 1, column 1",
        NumericRange.problem(u, i, Scorer.cosine(1f)));
    assertEquals(
        "the item table holds -Infinity in row 1, column 0",
        NumericRange.problem(table(1, 2, 0, 0), i, Scorer.dot()));
  }

  @Test
  void dotScoresThatCanOverflowFloatAreRefusedCosineOnesNot() {
    // ‖u‖ = 1e20, ‖i‖ = 1e19: the product 1e39 exceeds Float.MAX_VALUE (3.4e38)
    EmbeddingTable u = table(1, 1, 1e20f);
    EmbeddingTable i = table(1, 1, 1e19f);
    String p = NumericRange.problem(u, i, Scorer.dot());
    assertTrue(p != null && p.startsWith("dot scores overflow float: max ‖u‖·‖i‖ = 1.0"), p);
    assertNull(
        NumericRange.problem(table(1, 1, 1e18f), i, Scorer.cosine(0.05f)),
        "cosine scores are bounded by 1/τ");
    String c = NumericRange.problem(u, i, Scorer.cosine(0.05f));
    assertTrue(c != null && c.startsWith("cosine row norms overflow float: max ‖w‖ = 1.0"), c);
    assertNull(NumericRange.problem(u, table(1, 1, 1e18f), Scorer.dot()), "1e38 still fits");
  }
}
