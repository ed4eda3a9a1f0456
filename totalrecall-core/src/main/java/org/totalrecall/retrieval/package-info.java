/**
 * Exact top-K retrieval by inner product, in both directions (u2i and i2u) from one code path, and
 * the {@link org.totalrecall.retrieval.Recommender} façade over a trained model.
 *
 * <ul>
 *   <li>{@link org.totalrecall.retrieval.TopK}: a bounded min-heap of packed {@code long}s (score's
 *       sortable bits high, complemented index low), after Lucene's {@code NeighborQueue}: no
 *       objects per candidate, deterministic ties to the smaller index.
 *   <li>{@link org.totalrecall.retrieval.ExactRetriever}: blocked scoring, a block of queries
 *       against a block of candidates through one register-blocked gemm into a reused score block
 *       (Spark ALS's {@code blockify} / {@code recommendForAll}, implicit's batched {@code topk}),
 *       exclusion by walking sorted CSR rows, threshold-pruned heap updates, a fixed set of
 *       platform threads over query blocks; batch results as {@link
 *       org.totalrecall.retrieval.Neighbors} or streamed to a {@link
 *       org.totalrecall.retrieval.TopKConsumer}.
 *   <li>{@link org.totalrecall.retrieval.Aggregation}: group scores for potential users of a set of
 *       items (TotalRecall, appendix A.7.2).
 * </ul>
 *
 * Indices are dense throughout; external ids belong to {@code data.IdIndex} and the CLI.
 */
package org.totalrecall.retrieval;
