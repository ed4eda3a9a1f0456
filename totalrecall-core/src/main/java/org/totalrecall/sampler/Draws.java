package org.totalrecall.sampler;

import java.util.random.RandomGenerator;

/** Uniform integer draws for the samplers' hot loops. Stateless. */
final class Draws {
  private Draws() {}

  /**
   * A uniform int in [0, bound) by Lemire's multiply-and-shift with rejection (Lemire 2019, "Fast
   * random integer generation in an interval", ACM TOMACS): one 32-bit draw and one multiplication
   * almost always, exactly uniform. Inlined where {@code rng.nextInt(bound)} dispatches to the
   * JDK's generic bounded routine.
   */
  static int below(RandomGenerator rng, int bound) {
    long m = (rng.nextInt() & 0xFFFF_FFFFL) * bound;
    int low = (int) m;
    if (Integer.compareUnsigned(low, bound) < 0) {
      int threshold = Integer.remainderUnsigned(-bound, bound);
      while (Integer.compareUnsigned(low, threshold) < 0) {
        m = (rng.nextInt() & 0xFFFF_FFFFL) * bound;
        low = (int) m;
      }
    }
    return (int) (m >>> 32);
  }
}
