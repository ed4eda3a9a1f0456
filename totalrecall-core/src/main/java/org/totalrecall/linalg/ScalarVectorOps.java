package org.totalrecall.linalg;

/** Plain-Java reference kernels: the definition the SIMD kernels are tested against. */
public final class ScalarVectorOps implements VectorOps {
  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
    float sum = 0f;
    for (int i = 0; i < len; i++) {
      sum += a[aOff + i] * b[bOff + i];
    }
    return sum;
  }

  @Override
  public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
    for (int i = 0; i < len; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public void scale(float alpha, float[] x, int xOff, int len) {
    for (int i = 0; i < len; i++) {
      x[xOff + i] *= alpha;
    }
  }

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
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        c[cOff + i * ldc + j] = dot(a, aOff + i * dim, b, bOff + j * dim, dim);
      }
    }
  }

  @Override
  public void gemmAb(
      float[] a, int aOff, int m, int inner, float[] b, int bOff, int n, float[] c, int cOff) {
    for (int i = 0; i < m; i++) {
      int cRow = cOff + i * n;
      for (int j = 0; j < n; j++) {
        c[cRow + j] = 0f;
      }
      for (int k = 0; k < inner; k++) {
        axpy(a[aOff + i * inner + k], b, bOff + k * n, c, cRow, n);
      }
    }
  }

  @Override
  public float max(float[] x, int xOff, int len) {
    float m = x[xOff];
    for (int i = 1; i < len; i++) {
      m = Math.max(m, x[xOff + i]);
    }
    return m;
  }

  @Override
  public int countAtLeast(float[] x, int xOff, int len, float threshold) {
    int count = 0;
    for (int i = 0; i < len; i++) {
      if (x[xOff + i] >= threshold) {
        count++;
      }
    }
    return count;
  }

  @Override
  public float expShiftSum(float[] x, int xOff, int len, float shift) {
    float sum = 0f;
    for (int i = 0; i < len; i++) {
      float e = Exp.exp(x[xOff + i] - shift);
      x[xOff + i] = e;
      sum += e;
    }
    return sum;
  }

  @Override
  public String name() {
    return "scalar";
  }
}
