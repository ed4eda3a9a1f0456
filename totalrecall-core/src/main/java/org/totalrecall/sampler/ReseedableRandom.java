package org.totalrecall.sampler;

import java.util.random.RandomGenerator;

/**
 * A SplitMix64 generator (Steele, Lea &amp; Flood 2014, the generator of {@link
 * java.util.SplittableRandom}) whose state can be set again, so that a sampler can derive a fresh,
 * reproducible stream for each (epoch, context) without allocating one object per context. Not
 * thread-safe: one per worker.
 */
final class ReseedableRandom implements RandomGenerator {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private long state;

  /**
   * Restarts the stream at a state derived from the seed and two parts (e.g. an epoch and a
   * context).
   */
  void reseed(long seed, long a, long b) {
    state = mix(mix(mix(seed) ^ mix(a + GOLDEN_GAMMA)) ^ mix(b + GOLDEN_GAMMA));
  }

  @Override
  public long nextLong() {
    return mix(state += GOLDEN_GAMMA);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
