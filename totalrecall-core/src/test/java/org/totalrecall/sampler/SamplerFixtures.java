package org.totalrecall.sampler;

import org.totalrecall.data.Interactions;

/**
 * A small training matrix with skewed marginals and users/items without pairs, for the sampler
 * tests.
 */
final class SamplerFixtures {
  private SamplerFixtures() {}

  /**
   * 6 users × 10 items, 12 pairs:
   *
   * <pre>
   *   user 0: items 0 1 2          item counts: 4 3 1 1 1 1 1 0 0 0
   *   user 1: items 0 1            user counts: 3 2 4 1 2 0
   *   user 2: items 0 3 4 5
   *   user 3: item 0
   *   user 4: items 1 6
   *   user 5: none
   * </pre>
   */
  static final int[] USERS = {0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 4, 4};

  static final int[] ITEMS = {0, 1, 2, 0, 1, 0, 3, 4, 5, 0, 1, 6};

  static Interactions train() {
    return Interactions.fromPairs(6, 10, USERS, ITEMS, null, null, USERS.length);
  }

  /** Bytes allocated by the current thread so far, or -1 if the JVM cannot tell. */
  static long allocatedBytes() {
    if (java.lang.management.ManagementFactory.getThreadMXBean()
            instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported()
        && t.isThreadAllocatedMemoryEnabled()) {
      return t.getCurrentThreadAllocatedBytes();
    }
    return -1;
  }
}
