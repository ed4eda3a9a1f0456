package org.totalrecall.train;

import java.util.SplittableRandom;
import org.totalrecall.data.Interactions;

/**
 * The training pairs of a run (and their weights, if the data has any), laid out contiguously in a
 * fresh random order each epoch (Fisher–Yates with the run's seeded generator). Shared by the
 * solvers that visit every positive once per epoch. Not thread-safe: shuffled by the driver's
 * thread between epochs, read by the workers during one.
 */
final class EpochPairs {
  private final int size;
  private final int[] pairUsers;
  private final int[] pairItems;
  private final float[] pairWeights;
  private final int[] users;
  private final int[] items;
  private final float[] weights;

  EpochPairs(Interactions train) {
    this.size = train.size();
    this.pairUsers = new int[size];
    this.pairItems = new int[size];
    float[] w = train.weights();
    this.pairWeights = w == null ? null : w.clone();
    int[] cols = train.cols();
    for (int u = 0; u < train.numUsers(); u++) {
      for (int p = train.start(u); p < train.end(u); p++) {
        pairUsers[p] = u;
        pairItems[p] = cols[p];
      }
    }
    this.users = new int[size];
    this.items = new int[size];
    this.weights = w == null ? null : new float[size];
  }

  /** Lays the pairs out in a new random order. */
  void shuffle(SplittableRandom rng) {
    // users doubles as the permutation buffer: first indices, then resolved to users
    int[] idx = users;
    for (int p = 0; p < size; p++) {
      idx[p] = p;
    }
    for (int p = size - 1; p > 0; p--) {
      int q = rng.nextInt(p + 1);
      int t = idx[p];
      idx[p] = idx[q];
      idx[q] = t;
    }
    for (int p = 0; p < size; p++) {
      int pair = idx[p];
      items[p] = pairItems[pair];
      if (weights != null) {
        weights[p] = pairWeights[pair];
      }
      idx[p] = pairUsers[pair];
    }
  }

  int size() {
    return size;
  }

  /** Users of the epoch's pairs, in the epoch's order. */
  int[] users() {
    return users;
  }

  /** Items of the epoch's pairs. */
  int[] items() {
    return items;
  }

  /** Weights of the epoch's pairs, or null if the data has none (all 1). */
  float[] weights() {
    return weights;
  }
}
