package org.totalrecall.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.totalrecall.linalg.Exp;
import org.totalrecall.linalg.VectorOps;

/**
 * {@link VectorOps} on the Vector API ({@code jdk.incubator.vector}) with the preferred species of
 * the machine (16 float lanes with AVX-512). Results equal {@link
 * org.totalrecall.linalg.ScalarVectorOps} up to float rounding (sums are accumulated in another
 * order). Stateless apart from one per-thread scratch panel used by {@link #gemmAbt}; thread-safe.
 *
 * <p>Rules every kernel follows: the species is the {@code static final} {@link #F} used directly
 * (a species passed as a parameter defeats C2's intrinsics and was 10–30x slower here); a vector
 * loop only runs when {@code len >= 2 × lanes} (below that the setup and the horizontal reduction
 * cost more than they save); several independent accumulators hide the 4-cycle FMA latency; a
 * scalar loop finishes the tail.
 *
 * <p>Results do not depend on the execution mode: horizontal sums use a fixed tree of lane swaps
 * ({@link #sumLanes}) instead of {@code reduceLanes(ADD)}, whose order is unspecified (and differs
 * between the interpreted fallback and the compiled intrinsic), and the exponential is {@link
 * Exp}'s algorithm lane by lane instead of the {@code EXP} operator (SVML once compiled, {@code
 * Math.exp} before). With one thread a training run is therefore bitwise reproducible, whenever the
 * JIT compiles what.
 *
 * <p>The matrix kernels are register-blocked in the BLIS/GotoBLAS style (Goto &amp; van de Geijn
 * 2008, "Anatomy of high-performance matrix multiplication"): an {@code MR × NR} tile of C lives in
 * vector registers while k runs, each loaded B vector is reused for MR rows and each broadcast A
 * value for NR/lanes vectors, and no horizontal reduction is needed.
 */
public final class PanamaVectorOps implements VectorOps {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  /** Rows of A per gemm micro-tile. */
  private static final int MR = 4;

  /** Columns of C per gemmAbt micro-tile: two vectors. */
  private static final int NR = 2 * L;

  /**
   * Per-thread packing buffer for {@link #gemmAbt}: NR rows of B transposed (dim × NR floats),
   * grown on demand and kept for the thread's life (at most NR × the largest dim seen, e.g. 32 KiB
   * for dim 256). Allocated once per thread, never per call.
   */
  // Lane swaps for sumLanes: partner lane i ^ (L/2), i ^ (L/4), ... (each a static final
  // constant, so that C2 intrinsifies the rearrange; unused ones for narrow species are never
  // read).
  private static final VectorShuffle<Float> SWAP_1 = swap(L / 2);

  private static final VectorShuffle<Float> SWAP_2 = swap(L / 4);
  private static final VectorShuffle<Float> SWAP_3 = swap(L / 8);
  private static final VectorShuffle<Float> SWAP_4 = swap(L / 16);

  private static VectorShuffle<Float> swap(int bit) {
    return bit == 0 ? null : VectorShuffle.fromOp(F, i -> i ^ bit);
  }

  /**
   * The sum of the lanes of {@code v} in a fixed pairwise order (the same in every execution mode);
   * species of 2 to 16 float lanes.
   */
  static float sumLanes(FloatVector v) {
    v = v.add(v.rearrange(SWAP_1));
    if (L >= 4) {
      v = v.add(v.rearrange(SWAP_2));
    }
    if (L >= 8) {
      v = v.add(v.rearrange(SWAP_3));
    }
    if (L >= 16) {
      v = v.add(v.rearrange(SWAP_4));
    }
    return v.lane(0);
  }

  /** {@link Exp#exp} on every lane: the same IEEE operations, so the same bits. */
  static FloatVector exp(FloatVector x) {
    x = x.min(Exp.CLAMP_X); // NaN stays NaN; above, the two scale factors overflow to +inf
    FloatVector n = x.mul(Exp.LOG2E).add(Exp.ROUND_MAGIC).sub(Exp.ROUND_MAGIC);
    FloatVector r = n.fma(FloatVector.broadcast(F, -Exp.LN2_HI), x);
    r = n.fma(FloatVector.broadcast(F, -Exp.LN2_LO), r);
    FloatVector p = FloatVector.broadcast(F, Exp.P0).fma(r, FloatVector.broadcast(F, Exp.P1));
    p = p.fma(r, FloatVector.broadcast(F, Exp.P2));
    p = p.fma(r, FloatVector.broadcast(F, Exp.P3));
    p = p.fma(r, FloatVector.broadcast(F, Exp.P4));
    p = p.fma(r, FloatVector.broadcast(F, Exp.P5));
    FloatVector y = p.fma(r.mul(r), r).add(1f);
    IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
    IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
    IntVector n2 = ni.sub(n1);
    FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return y.mul(s1).mul(s2).blend(0f, x.compare(VectorOperators.LT, Exp.MIN_X));
  }

  private static final ThreadLocal<float[][]> PANEL =
      ThreadLocal.withInitial(() -> new float[1][0]);

  /** Public no-argument constructor: {@code VectorOpsProvider} loads this class reflectively. */
  public PanamaVectorOps() {}

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
    int i = 0;
    float sum = 0f;
    if (len >= 2 * L) {
      // Four accumulators: dim 64 is exactly four vectors, and four chains hide FMA latency.
      FloatVector acc0 = FloatVector.zero(F);
      FloatVector acc1 = FloatVector.zero(F);
      FloatVector acc2 = FloatVector.zero(F);
      FloatVector acc3 = FloatVector.zero(F);
      for (int last = len - 4 * L; i <= last; i += 4 * L) {
        acc0 =
            FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
        acc1 =
            FloatVector.fromArray(F, a, aOff + i + L)
                .fma(FloatVector.fromArray(F, b, bOff + i + L), acc1);
        acc2 =
            FloatVector.fromArray(F, a, aOff + i + 2 * L)
                .fma(FloatVector.fromArray(F, b, bOff + i + 2 * L), acc2);
        acc3 =
            FloatVector.fromArray(F, a, aOff + i + 3 * L)
                .fma(FloatVector.fromArray(F, b, bOff + i + 3 * L), acc3);
      }
      for (int last = len - L; i <= last; i += L) {
        acc0 =
            FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
      }
      sum = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
    }
    for (; i < len; i++) { // scalar tail
      sum += a[aOff + i] * b[bOff + i];
    }
    return sum;
  }

  @Override
  public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
    int i = 0;
    if (len >= 2 * L) {
      FloatVector av = FloatVector.broadcast(F, alpha);
      // Two independent load-FMA-store streams per iteration; y is read and written once.
      for (int last = len - 2 * L; i <= last; i += 2 * L) {
        FloatVector y0 = FloatVector.fromArray(F, y, yOff + i);
        FloatVector y1 = FloatVector.fromArray(F, y, yOff + i + L);
        av.fma(FloatVector.fromArray(F, x, xOff + i), y0).intoArray(y, yOff + i);
        av.fma(FloatVector.fromArray(F, x, xOff + i + L), y1).intoArray(y, yOff + i + L);
      }
      for (int last = len - L; i <= last; i += L) {
        av.fma(FloatVector.fromArray(F, x, xOff + i), FloatVector.fromArray(F, y, yOff + i))
            .intoArray(y, yOff + i);
      }
    }
    for (; i < len; i++) { // scalar tail
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public void scale(float alpha, float[] x, int xOff, int len) {
    int i = 0;
    if (len >= 2 * L) {
      FloatVector av = FloatVector.broadcast(F, alpha);
      for (int last = len - L; i <= last; i += L) {
        FloatVector.fromArray(F, x, xOff + i).mul(av).intoArray(x, xOff + i);
      }
    }
    for (; i < len; i++) { // scalar tail
      x[xOff + i] *= alpha;
    }
  }

  /**
   * C = A · Bᵀ by packed broadcast-FMA micro-kernels.
   *
   * <pre>
   *   for each panel of NR = 2·lanes rows of B (j0 .. j0+NR):
   *     pack Bᵀ: panel[k·NR + jj] = b[(j0 + jj)·dim + k]       (zero-padded past n)
   *     for each group of MR = 4 rows of A (i .. i+3):
   *       acc[r][v] (4 × 2 vectors) += broadcast(a[i+r, k]) × panel[k·NR + v·lanes ..]   for k in [0, dim)
   *       store acc into C[i+r, j0 ..]  (masked on the last panel)
   * </pre>
   *
   * Each panel is packed once (n·dim scalar copies per call) and then read from L1 by every row
   * group, so the packing costs about lanes·2/m of the arithmetic. With fewer than MR rows of A the
   * packing would not pay, and the call falls back to one {@link #dot} per entry.
   *
   * <p>Why this variant (measured at 512 × 512 × 64, one thread, CPU time, on the project's AVX-512
   * machine while shared with other jobs): about 150 GFLOP/s, against about 62 GFLOP/s for a 4 × 4
   * tile of dot products (16 accumulators along k, each A and B load reused four times), which pays
   * 16 horizontal reductions per tile, as many instructions as its FMAs at dim 64. An 8 × NR tile
   * (16 accumulators) measured the same as 4 × NR, so the smaller one stays. Every entry of C is
   * one FMA chain over k in a single lane, whichever tile computes it, so results do not depend on
   * m's blocking (only the m &lt; MR fallback sums in another order).
   */
  @Override
  public void gemmAbt(
      float[] a,
      int aOff,
      int m,
      float[] b,
      int bOff,
      int n,
      int dim,
      float[] c,
      int cOff,
      int ldc) {
    if (m < MR) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          c[cOff + i * ldc + j] = dot(a, aOff + i * dim, b, bOff + j * dim, dim);
        }
      }
      return;
    }
    float[] panel = panel(NR * dim);
    for (int j0 = 0; j0 < n; j0 += NR) {
      int cols = Math.min(NR, n - j0);
      packTransposed(b, bOff + j0 * dim, cols, dim, panel);
      int i = 0;
      if (cols == NR) {
        for (; i <= m - MR; i += MR) {
          tile4x2(a, aOff + i * dim, dim, panel, 0, NR, c, cOff + i * ldc + j0, ldc);
        }
        for (; i < m; i++) {
          abtTile1(a, aOff + i * dim, dim, panel, c, cOff + i * ldc + j0);
        }
      } else {
        for (; i < m; i++) {
          abtTile1Masked(a, aOff + i * dim, dim, panel, c, cOff + i * ldc + j0, cols);
        }
      }
    }
  }

  private static float[] panel(int size) {
    float[][] holder = PANEL.get();
    if (holder[0].length < size) {
      holder[0] = new float[size];
    }
    return holder[0];
  }

  /** panel[k·NR + jj] = b[bOff + jj·dim + k] for jj < cols, 0 for cols ≤ jj < NR. */
  private static void packTransposed(float[] b, int bOff, int cols, int dim, float[] panel) {
    for (int jj = 0; jj < cols; jj++) {
      int src = bOff + jj * dim;
      for (int k = 0, dst = jj; k < dim; k++, dst += NR) {
        panel[dst] = b[src + k];
      }
    }
    for (int jj = cols; jj < NR; jj++) {
      for (int k = 0, dst = jj; k < dim; k++, dst += NR) {
        panel[dst] = 0f;
      }
    }
  }

  /**
   * The 4 × NR micro-kernel shared by both products: 8 accumulators, 2 vector loads of B and 4
   * broadcasts of A per 8 FMAs. C[cRow + r·ldc + (0..NR)] = Σ_k A[aRow + r·depth + k] · B[bStart +
   * k·bStride + (0..NR)] for r in 0..3: rows of A are {@code depth} apart, and consecutive k
   * advance B by {@code bStride} (NR in a packed panel for A·Bᵀ, n for A·B).
   */
  private static void tile4x2(
      float[] a,
      int aRow,
      int depth,
      float[] b,
      int bStart,
      int bStride,
      float[] c,
      int cRow,
      int ldc) {
    FloatVector c00 = FloatVector.zero(F);
    FloatVector c01 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F);
    FloatVector c11 = FloatVector.zero(F);
    FloatVector c20 = FloatVector.zero(F);
    FloatVector c21 = FloatVector.zero(F);
    FloatVector c30 = FloatVector.zero(F);
    FloatVector c31 = FloatVector.zero(F);
    int a0 = aRow;
    int a1 = aRow + depth;
    int a2 = aRow + 2 * depth;
    int a3 = aRow + 3 * depth;
    for (int k = 0, p = bStart; k < depth; k++, p += bStride) {
      FloatVector b0 = FloatVector.fromArray(F, b, p);
      FloatVector b1 = FloatVector.fromArray(F, b, p + L);
      FloatVector x = FloatVector.broadcast(F, a[a0 + k]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(F, a[a1 + k]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(F, a[a2 + k]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(F, a[a3 + k]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(c, cRow);
    c01.intoArray(c, cRow + L);
    c10.intoArray(c, cRow + ldc);
    c11.intoArray(c, cRow + ldc + L);
    c20.intoArray(c, cRow + 2 * ldc);
    c21.intoArray(c, cRow + 2 * ldc + L);
    c30.intoArray(c, cRow + 3 * ldc);
    c31.intoArray(c, cRow + 3 * ldc + L);
  }

  /** One row of A against a full panel. */
  private static void abtTile1(float[] a, int aRow, int dim, float[] panel, float[] c, int cRow) {
    FloatVector c0 = FloatVector.zero(F);
    FloatVector c1 = FloatVector.zero(F);
    for (int k = 0, p = 0; k < dim; k++, p += NR) {
      FloatVector x = FloatVector.broadcast(F, a[aRow + k]);
      c0 = x.fma(FloatVector.fromArray(F, panel, p), c0);
      c1 = x.fma(FloatVector.fromArray(F, panel, p + L), c1);
    }
    c0.intoArray(c, cRow);
    c1.intoArray(c, cRow + L);
  }

  /**
   * One row of A against the last, partial panel: only the first {@code cols} entries are stored.
   */
  private static void abtTile1Masked(
      float[] a, int aRow, int dim, float[] panel, float[] c, int cRow, int cols) {
    FloatVector c0 = FloatVector.zero(F);
    FloatVector c1 = FloatVector.zero(F);
    for (int k = 0, p = 0; k < dim; k++, p += NR) {
      FloatVector x = FloatVector.broadcast(F, a[aRow + k]);
      c0 = x.fma(FloatVector.fromArray(F, panel, p), c0);
      c1 = x.fma(FloatVector.fromArray(F, panel, p + L), c1);
    }
    VectorMask<Float> m0 = F.indexInRange(0, cols);
    VectorMask<Float> m1 = F.indexInRange(L, cols);
    c0.intoArray(c, cRow, m0);
    c1.intoArray(c, cRow + L, m1);
  }

  /**
   * C = A · B by broadcast-FMA over rows of B, which are already contiguous along j: for a group of
   * 4 rows of C and 2 vectors of columns, {@code C[i+r, j..] += a[i+r, k] × B[k, j..]} over k with
   * 8 accumulators, so each B load serves 4 rows. Columns left over after the 2-vector chunks go
   * one vector at a time, and the last {@code n mod lanes} columns in scalar.
   */
  @Override
  public void gemmAb(
      float[] a, int aOff, int m, int inner, float[] b, int bOff, int n, float[] c, int cOff) {
    int i = 0;
    for (; i <= m - MR; i += MR) {
      int aRow = aOff + i * inner;
      int cRow = cOff + i * n;
      int j = 0;
      for (; j <= n - 2 * L; j += 2 * L) {
        tile4x2(a, aRow, inner, b, bOff + j, n, c, cRow + j, n);
      }
      for (; j <= n - L; j += L) {
        abTile4x1(a, aRow, inner, b, bOff + j, n, c, cRow + j);
      }
      for (int r = 0; r < MR; r++) {
        abScalarColumns(a, aRow + r * inner, inner, b, bOff, n, c, cRow + r * n, j);
      }
    }
    for (; i < m; i++) {
      int aRow = aOff + i * inner;
      int cRow = cOff + i * n;
      int j = 0;
      for (; j <= n - L; j += L) {
        FloatVector acc = FloatVector.zero(F);
        for (int k = 0, p = bOff + j; k < inner; k++, p += n) {
          acc = FloatVector.broadcast(F, a[aRow + k]).fma(FloatVector.fromArray(F, b, p), acc);
        }
        acc.intoArray(c, cRow + j);
      }
      abScalarColumns(a, aRow, inner, b, bOff, n, c, cRow, j);
    }
  }

  private static void abTile4x1(
      float[] a, int aRow, int inner, float[] b, int bCol, int n, float[] c, int cRow) {
    FloatVector c0 = FloatVector.zero(F);
    FloatVector c1 = FloatVector.zero(F);
    FloatVector c2 = FloatVector.zero(F);
    FloatVector c3 = FloatVector.zero(F);
    for (int k = 0, p = bCol; k < inner; k++, p += n) {
      FloatVector bv = FloatVector.fromArray(F, b, p);
      c0 = FloatVector.broadcast(F, a[aRow + k]).fma(bv, c0);
      c1 = FloatVector.broadcast(F, a[aRow + inner + k]).fma(bv, c1);
      c2 = FloatVector.broadcast(F, a[aRow + 2 * inner + k]).fma(bv, c2);
      c3 = FloatVector.broadcast(F, a[aRow + 3 * inner + k]).fma(bv, c3);
    }
    c0.intoArray(c, cRow);
    c1.intoArray(c, cRow + n);
    c2.intoArray(c, cRow + 2 * n);
    c3.intoArray(c, cRow + 3 * n);
  }

  /** c[cRow + j] = Σ_k a[aRow + k] · b[bOff + k·n + j] for j in [from, n): the column tail. */
  private static void abScalarColumns(
      float[] a, int aRow, int inner, float[] b, int bOff, int n, float[] c, int cRow, int from) {
    for (int j = from; j < n; j++) {
      float s = 0f;
      for (int k = 0; k < inner; k++) {
        s += a[aRow + k] * b[bOff + k * n + j];
      }
      c[cRow + j] = s;
    }
  }

  @Override
  public float max(float[] x, int xOff, int len) {
    if (len <= 0) {
      throw new IllegalArgumentException("len must be > 0, got " + len);
    }
    int i = 0;
    float m = x[xOff];
    if (len >= 2 * L) {
      FloatVector m0 = FloatVector.fromArray(F, x, xOff);
      FloatVector m1 = FloatVector.fromArray(F, x, xOff + L);
      i = 2 * L;
      for (int last = len - 2 * L; i <= last; i += 2 * L) {
        m0 = m0.max(FloatVector.fromArray(F, x, xOff + i));
        m1 = m1.max(FloatVector.fromArray(F, x, xOff + i + L));
      }
      m = m0.max(m1).reduceLanes(VectorOperators.MAX);
    }
    for (; i < len; i++) { // scalar tail
      m = Math.max(m, x[xOff + i]);
    }
    return m;
  }

  /**
   * One {@code compare(GE)} per vector and the popcount of its mask ({@code trueCount}), four
   * vectors per iteration so the counts add in independent chains. Comparisons are IEEE (NaN
   * compares false), as in the scalar loop, so the count is exact and identical.
   */
  @Override
  public int countAtLeast(float[] x, int xOff, int len, float threshold) {
    int i = 0;
    int c0 = 0;
    int c1 = 0;
    int c2 = 0;
    int c3 = 0;
    if (len >= 2 * L) {
      FloatVector t = FloatVector.broadcast(F, threshold);
      for (int last = len - 4 * L; i <= last; i += 4 * L) {
        c0 += FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.GE, t).trueCount();
        c1 += FloatVector.fromArray(F, x, xOff + i + L).compare(VectorOperators.GE, t).trueCount();
        c2 +=
            FloatVector.fromArray(F, x, xOff + i + 2 * L)
                .compare(VectorOperators.GE, t)
                .trueCount();
        c3 +=
            FloatVector.fromArray(F, x, xOff + i + 3 * L)
                .compare(VectorOperators.GE, t)
                .trueCount();
      }
      for (int last = len - L; i <= last; i += L) {
        c0 += FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.GE, t).trueCount();
      }
    }
    int count = (c0 + c1) + (c2 + c3);
    for (; i < len; i++) { // scalar tail
      if (x[xOff + i] >= threshold) {
        count++;
      }
    }
    return count;
  }

  /**
   * {@link Exp}'s exponential lane by lane (within 2 ulp of {@link Math#exp}, the same bits as the
   * scalar kernel), two accumulators and a fixed-order tree for the sum.
   */
  @Override
  public float expShiftSum(float[] x, int xOff, int len, float shift) {
    int i = 0;
    float sum = 0f;
    if (len >= 2 * L) {
      FloatVector s = FloatVector.broadcast(F, shift);
      FloatVector acc0 = FloatVector.zero(F);
      FloatVector acc1 = FloatVector.zero(F);
      for (int last = len - 2 * L; i <= last; i += 2 * L) {
        FloatVector e0 = exp(FloatVector.fromArray(F, x, xOff + i).sub(s));
        FloatVector e1 = exp(FloatVector.fromArray(F, x, xOff + i + L).sub(s));
        e0.intoArray(x, xOff + i);
        e1.intoArray(x, xOff + i + L);
        acc0 = acc0.add(e0);
        acc1 = acc1.add(e1);
      }
      for (int last = len - L; i <= last; i += L) {
        FloatVector e0 = exp(FloatVector.fromArray(F, x, xOff + i).sub(s));
        e0.intoArray(x, xOff + i);
        acc0 = acc0.add(e0);
      }
      if (i < len) {
        // masked tail: the same lanewise steps as the loop, so a partial batch takes no scalar
        // path that the JIT has never seen (its first run deoptimised the softmax's caller)
        VectorMask<Float> m = F.indexInRange(i, len);
        FloatVector e0 = exp(FloatVector.fromArray(F, x, xOff + i, m).sub(s));
        e0.intoArray(x, xOff + i, m);
        acc1 = acc1.add(e0, m);
        i = len;
      }
      sum = sumLanes(acc0.add(acc1));
    }
    for (; i < len; i++) { // scalar tail
      float e = Exp.exp(x[xOff + i] - shift);
      x[xOff + i] = e;
      sum += e;
    }
    return sum;
  }

  @Override
  public String name() {
    return "panama(" + L + " lanes, " + F.vectorBitSize() + "-bit)";
  }
}
