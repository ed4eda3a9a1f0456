package org.totalrecall.train;

import java.util.SplittableRandom;

/**
 * Derived seeds: the generator of epoch e (and of worker w in it) is a pure function of the run's
 * seed, so a run resumed from a checkpoint after epoch e draws exactly what the uninterrupted run
 * drew, without saving any generator's state.
 */
final class Seeds {
  private Seeds() {}

  /** A generator for (seed, parts...): each part folded in with MurmurHash3's 64-bit finaliser. */
  static SplittableRandom generator(long seed, long... parts) {
    long h = mix(seed ^ 0x5DEECE66DL);
    for (long p : parts) {
      h = mix(h ^ mix(p + 0x9E3779B97F4A7C15L));
    }
    return new SplittableRandom(h);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }
}
