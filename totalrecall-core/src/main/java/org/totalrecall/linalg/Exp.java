package org.totalrecall.linalg;

/**
 * A float exponential that gives the same bits in every execution mode: interpreted, C1, C2 and
 * lane by lane in the Vector API kernels, which perform exactly these IEEE operations. The Vector
 * API's own {@code EXP} is an SVML call once compiled and a per-lane {@code Math.exp} before, and
 * the two differ in the last bit, which made one-thread training depend on when the JIT kicked in.
 *
 * <p>Algorithm (Cephes {@code expf}, Moshier 1984): n = round(x·log₂e) by the 1.5·2²³ trick, r = x
 * − n·ln 2 in two FMA steps (ln 2 split into a high and a low part), e^r by a degree-6 polynomial
 * on |r| ≤ ln2/2 in Horner form with FMAs, times 2ⁿ built from the exponent bits (as two factors,
 * so that n in [−126, 128] never leaves the normal range). Within 2 ulp of {@link Math#exp} on
 * [−87.3, 88.7]; results below 2⁻¹²⁶ are flushed to 0, above {@link Float#MAX_VALUE} overflow to
 * +∞, NaN stays NaN.
 */
public final class Exp {
  private Exp() {}

  /** log₂ e. */
  public static final float LOG2E = 1.442695f; // 1.44269504088896341 rounded to float

  /**
   * 1.5·2²³: adding and subtracting it rounds a float of magnitude below 2²² to the nearest
   * integer.
   */
  public static final float ROUND_MAGIC = 12582912f;

  /** ln 2, high part (exact in float, few significant bits). */
  public static final float LN2_HI = 0.6933594f; // = 0.693359375 exactly

  /** ln 2 − LN2_HI. */
  public static final float LN2_LO = -2.1219444e-4f; // Cephes -2.12194440e-4, as a float

  /** Below this, e^x is under 2⁻¹²⁶: the result is 0. */
  public static final float MIN_X = -87.33654f;

  /** Above this, e^x overflows float: the result is +∞. */
  public static final float MAX_X = 88.72283f;

  /**
   * Inputs are first clamped to at most this: n ≤ 129 keeps both scale factors 2^⌊n/2⌋ and 2^⌈n/2⌉
   * representable, and their product with y overflows to +∞ as it should.
   */
  public static final float CLAMP_X = 89f;

  // Cephes expf's polynomial (1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2,
  // 1.6666665459e-1, 5.0000001201e-1), each written as the float it rounds to.
  public static final float P0 = 1.9875691e-4f;
  public static final float P1 = 0.0013981999f;
  public static final float P2 = 0.008333452f;
  public static final float P3 = 0.041665796f;
  public static final float P4 = 0.16666666f;
  public static final float P5 = 0.5f;

  /** e^x, deterministic to the bit; see the class Javadoc. */
  public static float exp(float x) {
    x = Math.min(x, CLAMP_X); // the same steps as the SIMD lanes, so the same bits
    if (!(x >= MIN_X)) {
      return Float.isNaN(x) ? x : 0f; // NaN stays NaN; underflow (and −∞) gives 0
    }
    float n = (x * LOG2E + ROUND_MAGIC) - ROUND_MAGIC;
    float r = Math.fma(n, -LN2_HI, x);
    r = Math.fma(n, -LN2_LO, r);
    float p = Math.fma(P0, r, P1);
    p = Math.fma(p, r, P2);
    p = Math.fma(p, r, P3);
    p = Math.fma(p, r, P4);
    p = Math.fma(p, r, P5);
    float y = Math.fma(p, r * r, r) + 1f;
    int ni = (int) n;
    int n1 = ni >> 1;
    int n2 = ni - n1;
    return y * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
  }
}
