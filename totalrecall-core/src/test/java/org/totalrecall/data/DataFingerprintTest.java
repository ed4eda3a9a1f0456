package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fingerprint depends on the set of external (user, item) pairs only. */
class DataFingerprintTest {
  private static final long SEED = 20260428L;

  /**
   * Builds interactions from external-id pairs, assigning dense indices in the given pair order.
   */
  private static String fingerprint(List<String[]> pairs) {
    IdIndex users = new IdIndex();
    IdIndex items = new IdIndex();
    int[] u = new int[pairs.size()];
    int[] i = new int[pairs.size()];
    for (int n = 0; n < pairs.size(); n++) {
      u[n] = users.getOrAdd(pairs.get(n)[0]);
      i[n] = items.getOrAdd(pairs.get(n)[1]);
    }
    Interactions m =
        Interactions.fromPairs(users.size(), items.size(), u, i, null, null, pairs.size());
    return DataFingerprint.of(m, users, items);
  }

  private static List<String[]> randomPairs(Random rng, int n) {
    Set<String> seen = new HashSet<>();
    List<String[]> pairs = new ArrayList<>();
    while (pairs.size() < n) {
      String u = "u" + rng.nextInt(50);
      String i = "i" + rng.nextInt(80);
      if (seen.add(u + "\u0000" + i)) {
        pairs.add(new String[] {u, i});
      }
    }
    return pairs;
  }

  @Test
  void invariantToRowOrderAndIndexAssignment() {
    Random rng = new Random(SEED);
    System.out.println("DataFingerprintTest seed " + SEED);
    List<String[]> pairs = randomPairs(rng, 500);
    String reference = fingerprint(pairs);
    assertEquals(32, reference.length());
    for (int trial = 0; trial < 5; trial++) {
      List<String[]> shuffled = new ArrayList<>(pairs);
      Collections.shuffle(shuffled, rng);
      assertEquals(reference, fingerprint(shuffled), "trial " + trial);
    }
  }

  @Test
  void changesWhenOnePairChanges() {
    Random rng = new Random(SEED + 1);
    List<String[]> pairs = randomPairs(rng, 300);
    String reference = fingerprint(pairs);
    List<String[]> changedItem = new ArrayList<>(pairs);
    changedItem.set(17, new String[] {pairs.get(17)[0], "i-new"});
    assertNotEquals(reference, fingerprint(changedItem));
    List<String[]> removed = new ArrayList<>(pairs.subList(1, pairs.size()));
    assertNotEquals(reference, fingerprint(removed));
    List<String[]> swapped = new ArrayList<>(pairs);
    // Swapping the items of two pairs keeps every id but changes the pair set.
    String[] a = pairs.get(3);
    String[] b = pairs.get(4);
    swapped.set(3, new String[] {a[0], b[1]});
    swapped.set(4, new String[] {b[0], a[1]});
    if (!a[0].equals(b[0]) && !a[1].equals(b[1])) {
      assertNotEquals(reference, fingerprint(swapped));
    }
  }

  @Test
  void userAndItemRolesAreNotInterchangeable() {
    assertNotEquals(
        fingerprint(List.<String[]>of(new String[] {"a", "b"})),
        fingerprint(List.<String[]>of(new String[] {"b", "a"})));
  }

  @Test
  void shapeMismatchIsRejected() {
    Interactions m = Interactions.fromPairs(2, 2, new int[] {0}, new int[] {1}, null, null, 1);
    assertThrows(
        IllegalArgumentException.class,
        () -> DataFingerprint.of(m, IdIndex.identity(3), IdIndex.identity(2)));
  }
}
