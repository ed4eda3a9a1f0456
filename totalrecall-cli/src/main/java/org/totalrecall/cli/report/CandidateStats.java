package org.totalrecall.cli.report;

import java.util.Arrays;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.retrieval.Retriever;

/**
 * Popularity and diversity of the candidates a model generates (TotalRecall Fig. 4's Distinct
 * items@N, and where the candidates sit in the popularity distribution): every query's top-k
 * (training interactions excluded), and for the candidate side:
 *
 * <ul>
 *   <li>{@link #distinct()}: distinct candidates over all top-k lists; {@link #coverage()} as a
 *       share of the catalogue (items for u2i, users for i2u);
 *   <li>{@link #meanPopularity()}: mean training count of the candidates in all lists, beside
 *       {@link #trainMeanPopularity()}, the same mean over the training interactions (the
 *       popularity of a random training pair's candidate, Σc²/Σc) and {@link
 *       #catalogueMeanPopularity()} over the catalogue (Σc/n);
 *   <li>{@link #trainShare()} and {@link #candidateShare()}: the catalogue sorted by training count
 *       (most popular first, ties by index) and cut into {@value #BINS} bins of equal size; each
 *       bin's share of the training interactions and of the top-k slots.
 * </ul>
 *
 * @param direction "u2i" or "i2u"
 * @param k list length
 * @param queries queries with a list (users, or items)
 * @param slots list entries over all queries
 */
@SuppressWarnings("ArrayRecordComponent") // the bins of a report, never compared or hashed
public record CandidateStats(
    String direction,
    int k,
    int queries,
    long slots,
    int distinct,
    double coverage,
    double meanPopularity,
    double trainMeanPopularity,
    double catalogueMeanPopularity,
    double[] trainShare,
    double[] candidateShare) {

  /** Bins of the popularity distribution. */
  public static final int BINS = 10;

  /**
   * Computes the statistics of every query's top-k from {@code retriever}.
   *
   * @param queries the query table (users for u2i, items for i2u)
   * @param exclude queries × candidates training interactions, left out of the lists
   * @param counts training count of each candidate
   */
  public static CandidateStats of(
      String direction,
      Retriever retriever,
      EmbeddingTable queries,
      Interactions exclude,
      long[] counts,
      int k) {
    int n = counts.length;
    long[] hits = new long[n];
    long[] slots = new long[1];
    int[] withList = new int[1];
    int chunk = 4096;
    for (int from = 0; from < queries.rows(); from += chunk) {
      int to = Math.min(queries.rows(), from + chunk);
      retriever.forEachTopK(
          queries,
          from,
          to,
          k,
          exclude,
          (q, idx, sc, count) -> {
            synchronized (hits) {
              for (int r = 0; r < count; r++) {
                hits[idx[r]]++;
              }
              slots[0] += count;
              if (count > 0) {
                withList[0]++;
              }
            }
          });
    }
    int distinct = 0;
    double popSum = 0;
    double total = 0;
    double squares = 0;
    for (int c = 0; c < n; c++) {
      if (hits[c] > 0) {
        distinct++;
      }
      popSum += (double) hits[c] * counts[c];
      total += counts[c];
      squares += (double) counts[c] * counts[c];
    }
    Integer[] order = new Integer[n];
    for (int c = 0; c < n; c++) {
      order[c] = c;
    }
    Arrays.sort(
        order,
        (a, b) ->
            counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b));
    double[] trainShare = new double[BINS];
    double[] candShare = new double[BINS];
    for (int r = 0; r < n; r++) {
      int bin = (int) ((long) r * BINS / n);
      trainShare[bin] += counts[order[r]];
      candShare[bin] += hits[order[r]];
    }
    for (int b = 0; b < BINS; b++) {
      trainShare[b] = total == 0 ? 0 : trainShare[b] / total;
      candShare[b] = slots[0] == 0 ? 0 : candShare[b] / slots[0];
    }
    return new CandidateStats(
        direction,
        k,
        withList[0],
        slots[0],
        distinct,
        n == 0 ? 0 : (double) distinct / n,
        slots[0] == 0 ? 0 : popSum / slots[0],
        total == 0 ? 0 : squares / total,
        n == 0 ? 0 : total / n,
        trainShare,
        candShare);
  }
}
