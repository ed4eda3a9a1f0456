package org.totalrecall.testkit;

import java.util.SplittableRandom;
import org.totalrecall.data.Interactions;

/** Shared test fixtures: checkerboards, random vectors. Seeded and deterministic. */
public final class Fixtures {
  private Fixtures() {}

  /**
   * implicit's checkerboard with the diagonal withheld: user u likes every item with u's parity
   * except item u itself (n users × n items). A model that learns the two parity classes must rank
   * item u first for user u once u's training items are excluded.
   */
  public static Interactions checkerboardWithoutDiagonal(int n) {
    int[] users = new int[n * n];
    int[] items = new int[n * n];
    int count = 0;
    for (int u = 0; u < n; u++) {
      for (int i = 0; i < n; i++) {
        if (i != u && (i % 2) == (u % 2)) {
          users[count] = u;
          items[count] = i;
          count++;
        }
      }
    }
    return Interactions.fromPairs(n, n, users, items, null, null, count);
  }

  /** {@code n} floats uniform in [-1, 1). */
  public static float[] randomFloats(SplittableRandom rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return a;
  }
}
