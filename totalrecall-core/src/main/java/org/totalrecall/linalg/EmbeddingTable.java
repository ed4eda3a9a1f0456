package org.totalrecall.linalg;

import java.util.SplittableRandom;

/**
 * A table of {@code rows} embedding vectors of width {@code dim}, stored flat and row-major: row r
 * occupies {@code data[r * dim, (r + 1) * dim)}. This class owns that offset arithmetic; nothing
 * else computes {@code row * dim}.
 *
 * <p>Mutable: trainers write rows in place (without locks, see the trainers' Javadoc). The array
 * from {@link #data()} is the live storage, shared for speed.
 */
public final class EmbeddingTable {
  private final int rows;
  private final int dim;
  private final float[] data;

  public EmbeddingTable(int rows, int dim) {
    this(rows, dim, new float[checkedSize(rows, dim)]);
  }

  /** Wraps {@code data} (not copied); its length must be rows × dim. */
  public EmbeddingTable(int rows, int dim, float[] data) {
    if (data.length != checkedSize(rows, dim)) {
      throw new IllegalArgumentException(
          "data has " + data.length + " floats, expected rows × dim = " + rows + " × " + dim);
    }
    this.rows = rows;
    this.dim = dim;
    this.data = data;
  }

  private static int checkedSize(int rows, int dim) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }
    if (dim <= 0) {
      throw new IllegalArgumentException("dim must be > 0, got " + dim);
    }
    long size = (long) rows * dim;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "table of " + rows + " × " + dim + " floats exceeds one Java array (2^31 - 8)");
    }
    return (int) size;
  }

  /** A table with every entry drawn from N(0, std²), from {@code rng}. */
  public static EmbeddingTable gaussian(int rows, int dim, float std, SplittableRandom rng) {
    EmbeddingTable t = new EmbeddingTable(rows, dim);
    float[] d = t.data;
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (gaussian(rng) * std);
    }
    return t;
  }

  private static double gaussian(SplittableRandom rng) {
    // Marsaglia polar method; SplittableRandom has no nextGaussian of its own before JDK 17's
    // RandomGenerator default, which we avoid so that the stream is the same on every JDK.
    double u;
    double v;
    double s;
    do {
      u = rng.nextDouble() * 2 - 1;
      v = rng.nextDouble() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }

  public int rows() {
    return rows;
  }

  public int dim() {
    return dim;
  }

  /** Offset of row {@code row} in {@link #data()}. */
  public int offset(int row) {
    return row * dim;
  }

  /** The live storage, row-major; shared, not copied. */
  public float[] data() {
    return data;
  }

  /** Returns entry (row, k). */
  public float get(int row, int k) {
    return data[row * dim + k];
  }

  /** A copy of row {@code row}. */
  public float[] row(int row) {
    float[] out = new float[dim];
    System.arraycopy(data, row * dim, out, 0, dim);
    return out;
  }

  /** A deep copy. */
  public EmbeddingTable copy() {
    return new EmbeddingTable(rows, dim, data.clone());
  }

  /**
   * A copy with column k of every row multiplied by {@code scale[k]} (row r becomes scale ⊙ row r).
   */
  public EmbeddingTable columnScaledCopy(float[] scale) {
    if (scale.length != dim) {
      throw new IllegalArgumentException("scale has " + scale.length + " entries for dim " + dim);
    }
    float[] out = data.clone();
    for (int off = 0; off < out.length; off += dim) {
      for (int k = 0; k < dim; k++) {
        out[off + k] *= scale[k];
      }
    }
    return new EmbeddingTable(rows, dim, out);
  }

  /** A copy with every row scaled to unit Euclidean norm (zero rows stay zero). */
  public EmbeddingTable normalizedCopy() {
    float[] out = data.clone();
    for (int r = 0; r < rows; r++) {
      int off = r * dim;
      double sq = 0;
      for (int k = 0; k < dim; k++) {
        sq += (double) out[off + k] * out[off + k];
      }
      if (sq > 0) {
        float inv = (float) (1.0 / Math.sqrt(sq));
        for (int k = 0; k < dim; k++) {
          out[off + k] *= inv;
        }
      }
    }
    return new EmbeddingTable(rows, dim, out);
  }

  /** Returns the index of the first non-finite entry, or -1 if every entry is finite. */
  public long firstNonFinite() {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        return i;
      }
    }
    return -1;
  }
}
