package org.totalrecall.eval;

/**
 * The per-query ranking metrics of PROTOCOLS.md, as pure static functions. Libraries disagree on
 * these definitions, so each method states its formula.
 *
 * <p><b>Ranks.</b> For a query with candidate set C (distinct ids) and relevant set R ⊆ C, the rank
 * of a relevant candidate r is pessimistic: {@code rank(r) = 1 + #{c ∈ C, c ≠ r : score(c) ≥
 * score(r)}}. Ties count against r, so a model that scores everything equally cannot look good; r
 * is never its own competitor. Other relevant candidates do compete (the formula ranges over all of
 * C), so two relevant candidates with equal scores share the worse rank.
 *
 * <p><b>Rank lists.</b> Every metric below takes the ranks of a query's relevant candidates as
 * {@code ranks[off .. off + numRelevant)}, sorted ascending (best first). "top-N ∩ R" means {r ∈ R
 * : rank(r) ≤ N}; with pessimistic ranks it has at most N members (the worst-scored of k relevant
 * candidates ranked ≤ N has the other k − 1 at or above its score, so k ≤ its rank ≤ N).
 *
 * <p>Stateless and thread-safe; the arrays passed in are only read.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /**
   * The pessimistic rank of candidate {@code relevant} among {@code scores[off .. off + len)}:
   * {@code 1 + #{c ≠ relevant : scores[c] ≥ scores[relevant]}}, positions relative to {@code off}.
   * Scores of {@code -Infinity} mark excluded candidates and never count as competitors (the
   * relevant candidate's own score must be finite). O(len).
   */
  public static int pessimisticRank(float[] scores, int off, int len, int relevant) {
    float s = scores[off + relevant];
    if (!Float.isFinite(s)) {
      throw new IllegalArgumentException(
          "score of the relevant candidate " + relevant + " must be finite, got " + s);
    }
    int rank = 1;
    for (int c = 0; c < len; c++) {
      if (c != relevant && scores[off + c] >= s) {
        rank++;
      }
    }
    return rank;
  }

  /** Number of relevant candidates with rank ≤ n: {@code |top-N ∩ R|}. */
  public static int hits(int[] ranks, int off, int numRelevant, int n) {
    int h = 0;
    while (h < numRelevant && ranks[off + h] <= n) {
      h++;
    }
    return h;
  }

  /** HR@N = 1 if any relevant candidate has rank ≤ N, else 0. */
  public static double hitRate(int[] ranks, int off, int numRelevant, int n) {
    return numRelevant > 0 && ranks[off] <= n ? 1.0 : 0.0;
  }

  /** Recall@N = |top-N ∩ R| / |R|. */
  public static double recall(int[] ranks, int off, int numRelevant, int n) {
    return (double) hits(ranks, off, numRelevant, n) / numRelevant;
  }

  /** Precision@N = |top-N ∩ R| / N (over N, not min(N, |R|)). */
  public static double precision(int[] ranks, int off, int numRelevant, int n) {
    return (double) hits(ranks, off, numRelevant, n) / n;
  }

  /** F1 = 2·P·R / (P + R), and 0 when P + R = 0. */
  public static double f1(double precision, double recall) {
    double sum = precision + recall;
    return sum > 0 ? 2 * precision * recall / sum : 0.0;
  }

  /**
   * NDCG@N = DCG / IDCG with DCG = Σ_{r ∈ R, rank(r) ≤ N} 1 / log2(rank(r) + 1) and IDCG =
   * Σ_{k=1..min(|R|, N)} 1 / log2(k + 1). With one relevant candidate: 1 / log2(rank + 1) if rank ≤
   * N, else 0.
   */
  public static double ndcg(int[] ranks, int off, int numRelevant, int n) {
    double dcg = 0;
    for (int j = 0; j < numRelevant && ranks[off + j] <= n; j++) {
      dcg += 1.0 / log2(ranks[off + j] + 1);
    }
    return dcg == 0 ? 0.0 : dcg / idealDcg(Math.min(numRelevant, n));
  }

  /** IDCG of k relevant candidates at ranks 1..k: Σ_{j=1..k} 1 / log2(j + 1). */
  public static double idealDcg(int k) {
    double idcg = 0;
    for (int j = 1; j <= k; j++) {
      idcg += 1.0 / log2(j + 1);
    }
    return idcg;
  }

  /**
   * AP@N = (1 / min(|R|, N)) · Σ_{r ∈ R, rank(r) ≤ N} Precision@rank(r), where Precision@k = |{r' ∈
   * R : rank(r') ≤ k}| / k. When ranks are distinct this is PROTOCOLS.md's (1 / min(|R|, N)) ·
   * Σ_{k=1..N} [candidate at k is relevant] · Precision@k; MAP is its mean over queries. Example:
   * |R| = 3 at ranks 1, 3, 7 and N = 5: (1/1 + 2/3) / min(3, 5) = 5/9.
   */
  public static double averagePrecision(int[] ranks, int off, int numRelevant, int n) {
    double sum = 0;
    int j = 0;
    while (j < numRelevant && ranks[off + j] <= n) {
      int rank = ranks[off + j];
      int atOrAbove = j + 1;
      while (atOrAbove < numRelevant && ranks[off + atOrAbove] == rank) {
        atOrAbove++; // relevant candidates sharing this (pessimistic) rank are all within top-rank
      }
      sum += (atOrAbove - j) * ((double) atOrAbove / rank);
      j = atOrAbove;
    }
    return sum / Math.min(numRelevant, n);
  }

  /** MRR@N term: 1 / (rank of the best-ranked relevant candidate) if it is ≤ N, else 0. */
  public static double reciprocalRank(int[] ranks, int off, int numRelevant, int n) {
    return numRelevant > 0 && ranks[off] <= n ? 1.0 / ranks[off] : 0.0;
  }

  /**
   * AUC = fraction of (relevant, irrelevant) pairs ordered correctly, ties counting 1/2: (below +
   * tied / 2) / (|R| · (|C| − |R|)), where {@code below} = Σ_{r ∈ R} #{irrelevant c : score(c) <
   * score(r)} and {@code tied} = Σ_{r ∈ R} #{irrelevant c : score(c) = score(r)}. Passed here as
   * {@code twiceCorrect = 2·below + tied} so that it stays an exact integer. Undefined (NaN) when
   * there is no pair.
   */
  public static double auc(long twiceCorrect, int numRelevant, int numCandidates) {
    long pairs = (long) numRelevant * (numCandidates - numRelevant);
    return pairs > 0 ? twiceCorrect / (2.0 * pairs) : Double.NaN;
  }

  /**
   * AUC directly from scores (reference form, O(|R|·|C|)): {@code relevant[k]} flags candidate k of
   * {@code scores[0 .. len)} as relevant. Same formula as {@link #auc(long, int, int)}.
   */
  public static double auc(float[] scores, boolean[] relevant, int len) {
    long twice = 0;
    int numRelevant = 0;
    for (int r = 0; r < len; r++) {
      if (!relevant[r]) {
        continue;
      }
      numRelevant++;
      for (int c = 0; c < len; c++) {
        if (!relevant[c]) {
          twice += scores[c] < scores[r] ? 2 : scores[c] == scores[r] ? 1 : 0;
        }
      }
    }
    return auc(twice, numRelevant, len);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
