package org.totalrecall.ann;

import java.util.SplittableRandom;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.util.Checks;

/**
 * A seeded synthetic catalogue for retrieval benchmarks at scale, with planted clusters as trained
 * embeddings have them: {@code clusters} random unit centres; each user is its cluster's centre
 * plus Gaussian noise of scale {@code noise}, normalised; each item likewise, then scaled by a
 * log-normal norm (σ 0.5, median 1), so that inner-product search is not plain cosine search
 * (popular items have larger norms in dot-product models). User u is in cluster u mod clusters and
 * item i in cluster i mod clusters. The same arguments give the same tables.
 */
public final class SyntheticVectors {
  private SyntheticVectors() {}

  /** The user table (rows unit-norm). */
  public static EmbeddingTable users(int users, int dim, int clusters, float noise, long seed) {
    return table(users, dim, clusters, noise, seed, false);
  }

  /** The item table (log-normal norms). */
  public static EmbeddingTable items(int items, int dim, int clusters, float noise, long seed) {
    return table(items, dim, clusters, noise, seed, true);
  }

  private static EmbeddingTable table(
      int rows, int dim, int clusters, float noise, long seed, boolean scaled) {
    Checks.positive("dim", dim);
    Checks.positive("clusters", clusters);
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }
    float[][] centres = centres(clusters, dim, seed);
    SplittableRandom rng = new SplittableRandom(seed * 31 + (scaled ? 2 : 1));
    EmbeddingTable t = new EmbeddingTable(rows, dim);
    float[] data = t.data();
    for (int r = 0; r < rows; r++) {
      float[] c = centres[r % clusters];
      int off = t.offset(r);
      double norm = 0;
      for (int k = 0; k < dim; k++) {
        float v = c[k] + noise * (float) rng.nextGaussian() / (float) Math.sqrt(dim);
        data[off + k] = v;
        norm += (double) v * v;
      }
      double scale =
          (scaled ? Math.exp(0.5 * rng.nextGaussian()) : 1.0) / Math.max(1e-12, Math.sqrt(norm));
      for (int k = 0; k < dim; k++) {
        data[off + k] = (float) (data[off + k] * scale);
      }
    }
    return t;
  }

  private static float[][] centres(int clusters, int dim, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[][] c = new float[clusters][dim];
    for (float[] row : c) {
      double norm = 0;
      for (int k = 0; k < dim; k++) {
        row[k] = (float) rng.nextGaussian();
        norm += (double) row[k] * row[k];
      }
      for (int k = 0; k < dim; k++) {
        row[k] = (float) (row[k] / Math.sqrt(norm));
      }
    }
    return c;
  }
}
