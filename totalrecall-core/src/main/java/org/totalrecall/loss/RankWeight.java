package org.totalrecall.loss;

import java.util.Locale;

/**
 * WARP's rank weight L(r): the penalty of a positive whose (estimated) rank is r, i.e. that r
 * negatives violate its margin. Rendle's survey (paper 001, sec. 4.2.3) names the choices, each
 * aligned with a ranking metric: "linearly increasing (as in AUC) or a step function for a metric
 * such as precision@k, or increase by the reciprocal of the position"; WSABIE writes them as L(r) =
 * Σ_{j≤r} α_j with α_j = 1/j (the reciprocal of the position: {@link Harmonic}, WARP's default),
 * α_j = 1/(N − 1) ({@link Auc}: the fraction of negatives ranked above the positive, the AUC's
 * pairwise error) and α_j = δ(j = K) ({@link Top}: zero while the positive is in the top K, 1 once
 * it is not: precision@K).
 *
 * <p>Immutable; spelled on the command line and in the model file as {@code harmonic}, {@code auc}
 * or {@code top:K} ({@link #parse}, {@link #spelling}).
 */
public sealed interface RankWeight permits RankWeight.Harmonic, RankWeight.Auc, RankWeight.Top {
  /**
   * L(r) for a positive with {@code rank} violating negatives out of {@code numItems} − 1.
   *
   * @param rank r ≥ 0
   * @param numItems N ≥ 1
   */
  double weight(int rank, int numItems);

  /** The spelling {@link #parse} reads back. */
  String spelling();

  /**
   * {@code harmonic}, {@code auc} or {@code top:K} (K ≥ 1).
   *
   * @throws IllegalArgumentException naming the accepted spellings
   */
  static RankWeight parse(String s) {
    String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    if (v.equals("harmonic")) {
      return new Harmonic();
    }
    if (v.equals("auc")) {
      return new Auc();
    }
    if (v.startsWith("top:")) {
      try {
        return new Top(Integer.parseInt(v.substring(4)));
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
    }
    throw new IllegalArgumentException(
        "--rank-weight must be harmonic, auc or top:K with K >= 1, got '" + s + "'");
  }

  /**
   * L(r) = H_r = Σ_{j=1..r} 1/j (WSABIE; favours precision at the top): {@link
   * WarpLoss#rankWeight}.
   */
  record Harmonic() implements RankWeight {
    @Override
    public double weight(int rank, int numItems) {
      return WarpLoss.rankWeight(rank);
    }

    @Override
    public String spelling() {
      return "harmonic";
    }
  }

  /**
   * L(r) = r / (N − 1), the fraction of negatives ranked above the positive (AUC); 0 when N = 1.
   */
  record Auc() implements RankWeight {
    @Override
    public double weight(int rank, int numItems) {
      if (rank < 0) {
        throw new IllegalArgumentException("rank must be >= 0, got " + rank);
      }
      return numItems <= 1 ? 0 : rank / (double) (numItems - 1);
    }

    @Override
    public String spelling() {
      return "auc";
    }
  }

  /** L(r) = 1 if r ≥ K (the positive is outside the top K), else 0 (precision@K). */
  record Top(int k) implements RankWeight {
    public Top {
      if (k < 1) {
        throw new IllegalArgumentException("--rank-weight top:K needs K >= 1, got " + k);
      }
    }

    @Override
    public double weight(int rank, int numItems) {
      if (rank < 0) {
        throw new IllegalArgumentException("rank must be >= 0, got " + rank);
      }
      return rank >= k ? 1 : 0;
    }

    @Override
    public String spelling() {
      return "top:" + k;
    }
  }
}
