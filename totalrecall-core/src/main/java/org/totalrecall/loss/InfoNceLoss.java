package org.totalrecall.loss;

import org.totalrecall.linalg.VectorOps;
import org.totalrecall.util.Checks;

/**
 * InfoNCE over a batch score matrix, in one or both directions (TotalRecall, paper 000, eq. 3; the
 * Uni-InfoNCE losses of its sec. 3.4.2; CLRec's contrastive loss when the correction is off).
 *
 * <p>With positives (u_b, i_b) on the diagonal (see {@link BatchObjective}), q the empirical
 * marginals, and j over the candidates:
 *
 * <pre>
 *   u2i term:  L_u2i = (1/B) Σ_b −log softmax_j( s(u_b, i_j) − log q(i_j) )[b]     (row softmax)
 *   i2u term:  L_i2u = (1/B) Σ_b −log softmax_j( s(u_j, i_b) − log q(u_j) )[b]     (column softmax)
 *   Bi-InfoNCE = L_u2i + L_i2u
 * </pre>
 *
 * Each term is the mean over the B positives, exactly as PyTorch's {@code cross_entropy} with mean
 * reduction, so the bi-directional loss is the sum of two means (as the peer reference).
 * Subtracting log q is the sampling-bias correction of Yi et al. 2019 (RecSys, "Sampling-bias-
 * corrected neural modeling"): in-batch negatives are drawn ∝ q, so the corrected softmax estimates
 * the full softmax; at the optimum φ → log p(i|u), log p(u|i), or log p(u,i) + C for the
 * bi-directional sum (TotalRecall App. A.3). Without the correction (null log q arrays) the loss is
 * CLRec's uncorrected in-batch contrastive loss (Zhou et al. 2021).
 *
 * <p>Gradient: dL/ds_bj = (p_bj − [j = b]) / B for each term, with p the softmax probabilities.
 * Softmaxes are computed stably (shift by the row maximum) with {@link VectorOps#max} and {@link
 * VectorOps#expShiftSum}; the only scalar transcendental is one log per row.
 *
 * <p>Both directions share one exponential ({@link #fused}): with E = exp(S − max S), exp(s − log
 * q(i)) = E·(1/q(i)) and exp(s − log q(u)) = E·(1/q(u)) up to constant factors, so the row softmax
 * and the column softmax are E weighted by per-column and per-row factors. That halves the
 * exponentials and needs no transpose. It is used only when it is exact to float precision for the
 * batch at hand (every positive's weighted term stays above 1e-30, see {@link #FUSED_MAX_SPREAD});
 * otherwise, e.g. for dot scores of very different magnitude, each softmax is shifted by its own
 * maximum.
 *
 * <p>Holds scratch (a row, and a transposed copy for the column softmax) that grows to the largest
 * batch seen and is then reused: not thread-safe, one instance per worker.
 */
public final class InfoNceLoss implements BatchObjective {
  /** Which softmax terms the loss includes. */
  public enum Direction {
    /** Softmax over item candidates for each user (first term of eq. 3): φ → log p(i|u). */
    U2I,
    /** Softmax over user candidates for each item (second term of eq. 3): φ → log p(u|i). */
    I2U,
    /** Both terms (Bi-InfoNCE, eq. 3): φ → log p(u,i) + C. */
    BOTH
  }

  private final Direction direction;
  private final VectorOps ops;
  private float[] work;
  private float[] transposed;
  private float[] colWeight = new float[0];
  private float[] rowWeight = new float[0];
  private float[] colSum = new float[0];
  private float[] rowSum = new float[0];

  /**
   * The largest log-spread, max S − s_bb plus the spread of the log q weights, for which the fused
   * path is used: e^-69 ≈ 1e-30, so every positive term and hence every softmax denominator stays a
   * normal float far above the 1.2e-38 limit, and the entries that underflow to 0 are below 1e-8 of
   * their denominator.
   */
  static final float FUSED_MAX_SPREAD = 69f;

  /**
   * @param direction the terms to include
   * @param ops the kernels to use (normally {@link VectorOps#best()})
   */
  public InfoNceLoss(Direction direction, VectorOps ops) {
    this.direction = Checks.notNull("direction", direction);
    this.ops = Checks.notNull("ops", ops);
    this.work = new float[0];
    this.transposed = new float[0];
  }

  /** The terms this loss includes. */
  public Direction direction() {
    return direction;
  }

  @Override
  public boolean usesRowCorrection() {
    return direction != Direction.U2I;
  }

  @Override
  public boolean usesColumnCorrection() {
    return direction != Direction.I2U;
  }

  @Override
  public float lossAndGradient(
      float[] scores,
      int numPositives,
      int rows,
      int cols,
      float[] rowLogQ,
      float[] colLogQ,
      float[] grad) {
    prepare(numPositives, rows, cols, grad);
    final float invB = 1f / numPositives;
    if ((direction == Direction.BOTH && (rowLogQ == null) == (colLogQ == null))
        || direction == Direction.I2U) {
      // I2U alone takes the same path without the row term: no transpose, one exponential pass
      double fused =
          fused(
              scores,
              numPositives,
              rows,
              cols,
              rowLogQ,
              colLogQ,
              grad,
              invB,
              direction == Direction.BOTH);
      if (!Double.isNaN(fused)) {
        return (float) fused;
      }
    }
    double loss = 0;
    if (direction != Direction.I2U) {
      loss += rowTerm(scores, numPositives, cols, colLogQ, null, grad, invB);
    }
    if (direction != Direction.U2I) {
      loss += columnTerm(scores, numPositives, rows, cols, rowLogQ, grad, invB);
    }
    return (float) loss;
  }

  /**
   * The loss with each positive row's u2i softmax over a multiset of its candidates: row b's logits
   * are s_bj − log q(i_j) + log m_bj (see {@link BatchObjective}); the i2u term, if any, is the
   * plain column softmax. Always the per-softmax path (the multiplicities are per row, so the fused
   * pass does not apply).
   */
  @Override
  public float lossAndGradient(
      float[] scores,
      int numPositives,
      int rows,
      int cols,
      float[] rowLogQ,
      float[] colLogQ,
      float[] u2iLogMultiplicity,
      float[] grad) {
    if (u2iLogMultiplicity == null) {
      return lossAndGradient(scores, numPositives, rows, cols, rowLogQ, colLogQ, grad);
    }
    if (direction == Direction.I2U) {
      throw new UnsupportedOperationException("infonce-i2u has no u2i softmax to resample");
    }
    prepare(numPositives, rows, cols, grad);
    final float invB = 1f / numPositives;
    double loss = rowTerm(scores, numPositives, cols, colLogQ, u2iLogMultiplicity, grad, invB);
    if (direction == Direction.BOTH) {
      loss += columnTerm(scores, numPositives, rows, cols, rowLogQ, grad, invB);
    }
    return (float) loss;
  }

  /** Checks the counts, grows the scratch and zeroes the gradient rows no term writes. */
  private void prepare(int numPositives, int rows, int cols, float[] grad) {
    if (numPositives <= 0 || numPositives > rows || numPositives > cols) {
      throw new IllegalArgumentException(
          "numPositives must be in [1, min(rows, cols)] = [1, "
              + Math.min(rows, cols)
              + "], got "
              + numPositives);
    }
    int size = rows * cols;
    if (work.length < cols) {
      work = new float[cols]; // grows to the largest batch seen, then stays
    }
    if (direction != Direction.U2I && transposed.length < numPositives * rows) {
      transposed = new float[numPositives * rows];
    }
    if (direction == Direction.I2U) {
      java.util.Arrays.fill(grad, 0, size, 0f);
    } else if (rows > numPositives) {
      // the row term overwrites the positives' rows; extra user rows start from zero
      java.util.Arrays.fill(grad, numPositives * cols, size, 0f);
    }
  }

  /**
   * u2i: for each positive row b, softmax over the cols item candidates (each counted with its
   * multiplicity when {@code logM} is given); writes its gradient row.
   */
  private double rowTerm(
      float[] scores,
      int numPositives,
      int cols,
      float[] colLogQ,
      float[] logM,
      float[] grad,
      float invB) {
    final float[] w = work;
    double loss = 0;
    for (int b = 0; b < numPositives; b++) {
      int off = b * cols;
      if (colLogQ != null) {
        for (int j = 0; j < cols; j++) {
          w[j] = scores[off + j] - colLogQ[j];
        }
      } else {
        System.arraycopy(scores, off, w, 0, cols);
      }
      if (logM != null) {
        for (int j = 0; j < cols; j++) {
          w[j] += logM[off + j];
        }
      }
      float positive = w[b];
      float max = ops.max(w, 0, cols);
      float sum = ops.expShiftSum(w, 0, cols, max);
      loss += Math.log(sum) + max - positive;
      // grad row = p / B, then −1/B at the positive
      final float scale = invB / sum;
      for (int j = 0; j < cols; j++) {
        grad[off + j] = scale * w[j];
      }
      grad[off + b] -= invB;
    }
    return loss * invB;
  }

  /**
   * i2u: for each positive column b, softmax over the rows user candidates; adds its gradient. The
   * matrix is transposed in 16 × 16 tiles into scratch first, so that every softmax runs over a
   * contiguous vector (a strided column walk misses cache on every row at B = 512).
   */
  private double columnTerm(
      float[] scores,
      int numPositives,
      int rows,
      int cols,
      float[] rowLogQ,
      float[] grad,
      float invB) {
    final float[] t = transposed;
    transpose(scores, rows, cols, numPositives, t); // t is numPositives × rows
    double loss = 0;
    for (int b = 0; b < numPositives; b++) {
      int off = b * rows;
      if (rowLogQ != null) {
        for (int r = 0; r < rows; r++) {
          t[off + r] -= rowLogQ[r];
        }
      }
      float positive = t[off + b];
      float max = ops.max(t, off, rows);
      float sum = ops.expShiftSum(t, off, rows, max);
      loss += Math.log(sum) + max - positive;
      ops.scale(invB / sum, t, off, rows);
      t[off + b] -= invB;
    }
    addTransposed(t, numPositives, rows, grad, cols);
    return loss * invB;
  }

  /**
   * Both terms from one exponential pass (see the class Javadoc). With α_c = e^{−log q(i_c) − A} (A
   * = max over c of −log q(i_c), so α ≤ 1), β_r likewise for users, and E = exp(S − M), M = max S:
   *
   * <pre>
   *   rowSum_b = Σ_c E_bc α_c        L_u2i = (1/B) Σ_b [log rowSum_b − log(E_bb α_b)]
   *   colSum_b = Σ_r E_rb β_r        L_i2u = (1/B) Σ_b [log colSum_b − log(E_bb β_b)]
   *   dL/dS_rc = E_rc (α_c [r &lt; B] / (B rowSum_r) + β_r [c &lt; B] / (B colSum_c)) − 2/B [r = c &lt; B]
   * </pre>
   *
   * With {@code withRowTerm} false only the i2u term is computed (L_u2i and its part of the
   * gradient are dropped, α is unused), which spares the i2u objective the transposes of the
   * per-softmax path.
   *
   * <p>Returns NaN, having written nothing that matters, when the batch's spread is too wide for
   * this to be exact ({@link #FUSED_MAX_SPREAD}); the caller then takes the per-softmax path.
   */
  private double fused(
      float[] scores,
      int numPositives,
      int rows,
      int cols,
      float[] rowLogQ,
      float[] colLogQ,
      float[] grad,
      float invB,
      boolean withRowTerm) {
    if (colWeight.length < cols) {
      colWeight = new float[cols];
      colSum = new float[cols];
    }
    if (rowWeight.length < rows) {
      rowWeight = new float[rows];
      rowSum = new float[rows];
    }
    final float[] alpha = colWeight;
    final float[] beta = rowWeight;
    float colShift = weights(withRowTerm ? colLogQ : null, cols, alpha);
    float rowShift = weights(rowLogQ, rows, beta);
    int size = rows * cols;
    float m = ops.max(scores, 0, size);
    // Guard: every positive's weighted term must stay far above float underflow in each softmax
    // used.
    for (int b = 0; b < numPositives; b++) {
      float s = m - scores[b * cols + b];
      float a = !withRowTerm || colLogQ == null ? 0f : colLogQ[b] + colShift; // −log α_b >= 0
      float u = rowLogQ == null ? 0f : rowLogQ[b] + rowShift; // −log β_b >= 0
      if (!(s + a < FUSED_MAX_SPREAD && s + u < FUSED_MAX_SPREAD)) {
        return Double.NaN;
      }
    }
    final float[] e = grad; // E is built in place of the gradient, then rescaled row by row
    System.arraycopy(scores, 0, e, 0, size);
    ops.expShiftSum(e, 0, size, m);
    final float[] cs = colSum;
    java.util.Arrays.fill(cs, 0, numPositives, 0f);
    final float[] rs = rowSum;
    for (int r = 0; r < rows; r++) {
      int off = r * cols;
      if (withRowTerm && r < numPositives) {
        rs[r] = ops.dot(e, off, alpha, 0, cols);
      }
      ops.axpy(beta[r], e, off, cs, 0, numPositives);
    }
    double loss = 0;
    for (int b = 0; b < numPositives; b++) {
      // log(E_bb α_b) = (S_bb − M) + log α_b, computed from the scores, not from E, for accuracy
      float logTerm = scores[b * cols + b] - m;
      if (withRowTerm) {
        float logAlpha = colLogQ == null ? 0f : -(colLogQ[b] + colShift);
        loss += Math.log(rs[b]) - (logTerm + logAlpha);
      }
      float logBeta = rowLogQ == null ? 0f : -(rowLogQ[b] + rowShift);
      loss += Math.log(cs[b]) - (logTerm + logBeta);
    }
    // γ_c = 1 / (B colSum_c) for positive columns, 0 for extra item candidates
    for (int c = 0; c < numPositives; c++) {
      cs[c] = invB / cs[c];
    }
    final float[] w = work;
    for (int r = 0; r < rows; r++) {
      int off = r * cols;
      float rowScale = withRowTerm && r < numPositives ? invB / rs[r] : 0f;
      float colScale = beta[r];
      for (int c = 0; c < numPositives; c++) {
        w[c] = rowScale * alpha[c] + colScale * cs[c];
      }
      for (int c = numPositives; c < cols; c++) {
        w[c] = rowScale * alpha[c];
      }
      for (int c = 0; c < cols; c++) {
        e[off + c] *= w[c];
      }
      if (r < numPositives) {
        e[off + r] -= withRowTerm ? 2 * invB : invB;
      }
    }
    return loss * invB;
  }

  /**
   * Writes w[k] = exp(min logQ − logQ[k]), every weight in (0, 1], and returns the shift A = −min
   * logQ, so that −log w[k] = logQ[k] + A. All weights are 1 (and A = 0) when {@code logQ} is null.
   */
  private static float weights(float[] logQ, int n, float[] w) {
    if (logQ == null) {
      java.util.Arrays.fill(w, 0, n, 1f);
      return 0f;
    }
    float minLogQ = Float.POSITIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      minLogQ = Math.min(minLogQ, logQ[k]);
    }
    // −log q is largest where log q is smallest: A = −minLogQ, w = exp(−logQ + minLogQ)
    for (int k = 0; k < n; k++) {
      w[k] = (float) Math.exp(minLogQ - logQ[k]);
    }
    return -minLogQ;
  }

  private static final int TILE = 16;

  /** out[c·rows + r] = in[r·cols + c] for c in [0, numCols), r in [0, rows). */
  private static void transpose(float[] in, int rows, int cols, int numCols, float[] out) {
    for (int r0 = 0; r0 < rows; r0 += TILE) {
      int r1 = Math.min(rows, r0 + TILE);
      for (int c0 = 0; c0 < numCols; c0 += TILE) {
        int c1 = Math.min(numCols, c0 + TILE);
        for (int r = r0; r < r1; r++) {
          int inOff = r * cols;
          for (int c = c0; c < c1; c++) {
            out[c * rows + r] = in[inOff + c];
          }
        }
      }
    }
  }

  /** grad[r·cols + c] += t[c·rows + r] for c in [0, numCols), r in [0, rows). */
  private static void addTransposed(float[] t, int numCols, int rows, float[] grad, int cols) {
    for (int r0 = 0; r0 < rows; r0 += TILE) {
      int r1 = Math.min(rows, r0 + TILE);
      for (int c0 = 0; c0 < numCols; c0 += TILE) {
        int c1 = Math.min(numCols, c0 + TILE);
        for (int r = r0; r < r1; r++) {
          int gOff = r * cols;
          for (int c = c0; c < c1; c++) {
            grad[gOff + c] += t[c * rows + r];
          }
        }
      }
    }
  }
}
