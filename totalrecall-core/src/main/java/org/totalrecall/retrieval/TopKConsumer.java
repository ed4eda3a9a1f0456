package org.totalrecall.retrieval;

/**
 * Receives the top-K list of one query from {@link ExactRetriever#forEachTopK}, without a {@link
 * Neighbors} being built for it.
 *
 * <p>Called from the retriever's worker threads, possibly several at once (one call per query, in
 * no particular order across workers), so an implementation shared by more than one worker must be
 * thread-safe. The arrays belong to the calling worker and are overwritten after {@code accept}
 * returns: read or copy them, never keep or modify them.
 */
@FunctionalInterface
public interface TopKConsumer {
  /**
   * One query's results, best first.
   *
   * @param query the query's row in the query table (dense index)
   * @param indices candidate rows (dense indices) in {@code [0, count)}
   * @param scores their inner products in {@code [0, count)}
   * @param count number of results: k, or fewer when fewer candidates remain after exclusion
   */
  void accept(int query, int[] indices, float[] scores, int count);
}
