package org.totalrecall.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.totalrecall.util.Checks;

/**
 * Implicit-feedback data with planted structure, for the demo and for tests that need a model to
 * learn something real. Users and items are split into {@code numClusters} taste clusters; a user's
 * interactions fall in its own cluster with probability {@code affinity} and anywhere otherwise,
 * and within the chosen range items are drawn with a Zipf-like popularity skew (p ∝ 1 / (rank +
 * 10)). Each user's last interaction (in generation order, which is also the timestamp order) is
 * held out as a test item that is never in its training set.
 *
 * <p>A well-trained model must therefore rank in-cluster items first for every user and in-cluster
 * users first for every item: the planted ground truth both directions can be checked against.
 * Deterministic for a given seed.
 */
public final class SyntheticData {
  private SyntheticData() {}

  /** Parameters of the generator; validated on construction. */
  public record Spec(
      int numUsers,
      int numItems,
      int numClusters,
      int interactionsPerUser,
      double affinity,
      long seed) {
    public Spec {
      Checks.positive("numUsers", numUsers);
      Checks.positive("numItems", numItems);
      Checks.positive("numClusters", numClusters);
      Checks.positive("interactionsPerUser", interactionsPerUser);
      if (numItems / numClusters < interactionsPerUser + 2) {
        throw new IllegalArgumentException(
            "each cluster needs more than interactionsPerUser + 1 items: "
                + "numItems / numClusters = "
                + (numItems / numClusters)
                + ", interactionsPerUser = "
                + interactionsPerUser);
      }
      if (!(affinity >= 0 && affinity <= 1)) {
        throw new IllegalArgumentException("affinity must be in [0, 1], got " + affinity);
      }
    }

    /** The demo's default: 2,000 users, 1,000 items, 10 clusters, 30 interactions each. */
    public static Spec demo() {
      return new Spec(2000, 1000, 10, 30, 0.9, 7L);
    }
  }

  /** Cluster of user {@code user} under {@code spec} (users are dealt round-robin). */
  public static int userCluster(Spec spec, int user) {
    return user % spec.numClusters();
  }

  /** Cluster of item {@code item} under {@code spec} (items are dealt round-robin). */
  public static int itemCluster(Spec spec, int item) {
    return item % spec.numClusters();
  }

  /**
   * Generates the data set. External ids are "u0".."u{n-1}" and "i0".."i{m-1}"; timestamps are the
   * generation order; {@code test} holds each user's last interaction.
   */
  public static Dataset generate(Spec spec) {
    SplittableRandom rng = new SplittableRandom(spec.seed());
    int n = spec.numUsers();
    int per = spec.interactionsPerUser();
    int c = spec.numClusters();
    IdIndex users = new IdIndex();
    IdIndex items = new IdIndex();
    for (int u = 0; u < n; u++) {
      users.getOrAdd("u" + u);
    }
    for (int i = 0; i < spec.numItems(); i++) {
      items.getOrAdd("i" + i);
    }
    int perCluster = spec.numItems() / c;
    int[] trainUsers = new int[n * (per - 1)];
    int[] trainItems = new int[n * (per - 1)];
    long[] trainTimes = new long[n * (per - 1)];
    int[] testUsers = new int[n];
    int[] testItems = new int[n];
    long[] testTimes = new long[n];
    int[] chosen = new int[per];
    long clock = 0;
    int t = 0;
    for (int u = 0; u < n; u++) {
      int cluster = userCluster(spec, u);
      int got = 0;
      while (got < per) {
        int item;
        if (rng.nextDouble() < spec.affinity()) {
          item = zipf(rng, perCluster) * c + cluster; // the rank-th item of the user's cluster
        } else {
          item = zipf(rng, spec.numItems());
        }
        if (contains(chosen, got, item)) {
          continue;
        }
        chosen[got++] = item;
      }
      for (int k = 0; k < per - 1; k++) {
        trainUsers[t] = u;
        trainItems[t] = chosen[k];
        trainTimes[t] = clock++;
        t++;
      }
      testUsers[u] = u;
      testItems[u] = chosen[per - 1];
      testTimes[u] = clock++;
    }
    Interactions train =
        Interactions.fromPairs(n, spec.numItems(), trainUsers, trainItems, null, trainTimes, t);
    Interactions test =
        Interactions.fromPairs(n, spec.numItems(), testUsers, testItems, null, testTimes, n);
    LoadReport report =
        new LoadReport(
            java.util.List.of("synthetic:" + spec),
            t + n,
            t + n,
            0,
            0,
            0,
            "none",
            0,
            "none",
            n,
            spec.numItems(),
            train.size(),
            test.size(),
            0,
            0,
            0,
            0,
            0,
            0);
    return new Dataset(users, items, train, test, null, DataFormat.DELIMITED, report);
  }

  private static boolean contains(int[] a, int len, int x) {
    for (int i = 0; i < len; i++) {
      if (a[i] == x) {
        return true;
      }
    }
    return false;
  }

  /**
   * Draws a rank in [0, m) with p(r) ∝ 1 / (r + 10), by inversion of the continuous approximation.
   */
  private static int zipf(SplittableRandom rng, int m) {
    double lo = Math.log(10);
    double hi = Math.log(m + 10);
    int r = (int) (Math.exp(lo + rng.nextDouble() * (hi - lo)) - 10);
    return Math.min(Math.max(r, 0), m - 1);
  }

  /** For tests: the fraction of a user's training items that fall in its own cluster. */
  static double inClusterFraction(Spec spec, Interactions train, int user) {
    int in = 0;
    for (int p = train.start(user); p < train.end(user); p++) {
      if (itemCluster(spec, train.cols()[p]) == userCluster(spec, user)) {
        in++;
      }
    }
    return train.rowLength(user) == 0 ? 0 : (double) in / train.rowLength(user);
  }

  static int[] sortedCopy(int[] a) {
    int[] b = a.clone();
    Arrays.sort(b);
    return b;
  }
}
