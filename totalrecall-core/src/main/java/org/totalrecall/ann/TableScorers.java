package org.totalrecall.ann;

import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;

/**
 * Lucene's vector scorers over an {@link EmbeddingTable}, by the project's SIMD dot product (no
 * copy of the vectors): the similarity is Lucene's {@code MAXIMUM_INNER_PRODUCT} scaling of the dot
 * product s, 1/(1 − s) for s &lt; 0 and 1 + s otherwise (positive and increasing in s, as Lucene's
 * HNSW expects).
 */
final class TableScorers {
  private TableScorers() {}

  /** The similarity HNSW sees for a dot product s. */
  static float scaled(float s) {
    return s < 0 ? 1 / (1 - s) : s + 1;
  }

  /** Scorers against one of the table's own rows, for the build. */
  static final class Supplier implements RandomVectorScorerSupplier {
    private final EmbeddingTable table;
    private final VectorOps ops;

    Supplier(EmbeddingTable table, VectorOps ops) {
      this.table = table;
      this.ops = ops;
    }

    @Override
    public UpdateableRandomVectorScorer scorer() {
      return new RowScorer();
    }

    @Override
    public RandomVectorScorerSupplier copy() {
      return this; // stateless: each scorer holds its own query row
    }

    private final class RowScorer implements UpdateableRandomVectorScorer {
      private int queryOff;

      @Override
      public void setScoringOrdinal(int node) {
        queryOff = table.offset(node);
      }

      @Override
      public float score(int node) {
        return scaled(
            ops.dot(table.data(), queryOff, table.data(), table.offset(node), table.dim()));
      }

      @Override
      public int maxOrd() {
        return table.rows();
      }
    }
  }

  /** A scorer against an outside query vector, for search. */
  static final class Query implements RandomVectorScorer {
    private final EmbeddingTable table;
    private final VectorOps ops;
    private final float[] query;
    private final int off;

    Query(EmbeddingTable table, VectorOps ops, float[] query, int off) {
      this.table = table;
      this.ops = ops;
      this.query = query;
      this.off = off;
    }

    @Override
    public float score(int node) {
      return scaled(ops.dot(query, off, table.data(), table.offset(node), table.dim()));
    }

    @Override
    public int maxOrd() {
      return table.rows();
    }
  }
}
