package org.totalrecall.retrieval;

import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.util.Checks;

/** The argument checks every {@link Retriever} makes, with one wording. */
public final class RetrievalArgs {
  private RetrievalArgs() {}

  /** The checks of {@link Retriever#search}. */
  public static void checkQuery(
      EmbeddingTable candidates,
      float[] query,
      int queryOff,
      int k,
      int[] exclude,
      int exFrom,
      int exTo) {
    Checks.notNull("query", query);
    Checks.positive("k", k);
    int dim = candidates.dim();
    if (queryOff < 0 || queryOff + dim > query.length) {
      throw new IndexOutOfBoundsException(
          "query["
              + queryOff
              + ", "
              + (queryOff + dim)
              + ") is outside an array of "
              + query.length);
    }
    if (exclude != null && (exFrom < 0 || exTo > exclude.length || exFrom > exTo)) {
      throw new IndexOutOfBoundsException(
          "exclude range [" + exFrom + ", " + exTo + ") is outside an array of " + exclude.length);
    }
  }

  /** The checks of {@link Retriever#forEachTopK}. */
  public static void checkBatch(
      EmbeddingTable candidates,
      EmbeddingTable queries,
      int from,
      int to,
      int k,
      Interactions exclude,
      TopKConsumer consumer) {
    Checks.notNull("queries", queries);
    Checks.notNull("consumer", consumer);
    Checks.positive("k", k);
    if (queries.dim() != candidates.dim()) {
      throw new IllegalArgumentException(
          "queries have dim " + queries.dim() + " but candidates have dim " + candidates.dim());
    }
    if (from < 0 || to > queries.rows() || from > to) {
      throw new IndexOutOfBoundsException(
          "query range [" + from + ", " + to + ") is outside [0, " + queries.rows() + ")");
    }
    if (exclude != null && (exclude.numRows() < to || exclude.numCols() != candidates.rows())) {
      throw new IllegalArgumentException(
          "exclude is "
              + exclude.numRows()
              + " x "
              + exclude.numCols()
              + " but must have a row per query (>= "
              + to
              + ") and a column per candidate ("
              + candidates.rows()
              + ")");
    }
  }
}
