package org.totalrecall.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;

/** The audience inversion against a brute-force one: every user's top-K, inverted, cut at N. */
class AudienceInversionTest {
  @Test
  void keysSortByScoreDescendingThenUser() {
    float[] scores = {-3.5f, -0f, 0f, 1e-30f, 2.25f, Float.MAX_VALUE, -Float.MAX_VALUE};
    for (float a : scores) {
      assertEquals(a, AudienceInversion.score(AudienceInversion.key(a, 7)), 0f);
      for (float b : scores) {
        long ka = AudienceInversion.key(a, 1);
        long kb = AudienceInversion.key(b, 2);
        if (a > b) {
          assertTrue(ka < kb, a + " before " + b);
        }
      }
    }
    assertTrue(
        AudienceInversion.key(1f, 3) < AudienceInversion.key(1f, 4),
        "ties: the smaller user first");
  }

  @Test
  void equalsTheBruteForceInversion() {
    SplittableRandom rng = new SplittableRandom(5);
    int users = 300;
    int items = 40;
    int dim = 6;
    EmbeddingTable u = EmbeddingTable.gaussian(users, dim, 1f, rng);
    EmbeddingTable v = EmbeddingTable.gaussian(items, dim, 1f, rng);
    // a few training interactions to exclude
    int[] eu = new int[users];
    int[] ei = new int[users];
    for (int x = 0; x < users; x++) {
      eu[x] = x;
      ei[x] = rng.nextInt(items);
    }
    Interactions seen = Interactions.fromPairs(users, items, eu, ei, null, null, users);
    int perUser = 3;
    int perItem = 7;
    AudienceInversion.Result r =
        AudienceInversion.invert(new ExactRetriever(v, 2), u, perUser, perItem, seen, null);
    // brute force
    List<List<float[]>> byItem = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      byItem.add(new ArrayList<>());
    }
    Neighbors[] all = new ExactRetriever(v, 1).searchAll(u, 0, users, perUser, seen);
    for (int x = 0; x < users; x++) {
      Neighbors n = all[x];
      for (int k = 0; k < n.size(); k++) {
        byItem.get(n.index(k)).add(new float[] {x, n.score(k)});
      }
    }
    java.util.Set<Integer> covered = new java.util.HashSet<>();
    for (int i = 0; i < items; i++) {
      List<float[]> l = byItem.get(i);
      l.sort(Comparator.<float[]>comparingDouble(p -> -p[1]).thenComparingDouble(p -> p[0]));
      int n = Math.min(perItem, l.size());
      assertEquals(n, r.start()[i + 1] - r.start()[i], "item " + i);
      for (int k = 0; k < n; k++) {
        assertEquals((int) l.get(k)[0], r.users()[r.start()[i] + k], "item " + i + " rank " + k);
        assertEquals(l.get(k)[1], r.scores()[r.start()[i] + k], 0f);
        covered.add((int) l.get(k)[0]);
      }
    }
    assertEquals(covered.size(), r.usersCovered());
    // no user in more than perUser audiences
    int[] per = new int[users];
    for (int x : r.users()) {
      per[x]++;
    }
    for (int x = 0; x < users; x++) {
      assertTrue(per[x] <= perUser, "user " + x + " is in " + per[x] + " audiences");
      assertTrue(
          java.util.Arrays.stream(r.users(), r.start()[ei[x]], r.start()[ei[x] + 1])
              .noneMatch(y -> y == -1));
    }
  }
}
