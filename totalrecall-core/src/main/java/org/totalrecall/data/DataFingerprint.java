package org.totalrecall.data;

/**
 * An order-independent 128-bit fingerprint of a set of (userId, itemId) pairs, over external ids,
 * so that it does not depend on row order or on how dense indices were assigned. A model file
 * stores the fingerprint of its training part; comparing it with the fingerprint of a data set
 * tells whether the model was trained on exactly that set of pairs. Weights and timestamps are not
 * included.
 *
 * <p>Each external id is hashed (FNV-1a over its UTF-16 chars, then a 64-bit finaliser, with
 * separate seeds for users and items); each pair's hash mixes the two id hashes through a bijective
 * finaliser; the fingerprint is the sum mod 2^64 of the pair hashes, in two independently seeded
 * lanes, plus the pair count. Summing (not XOR) keeps the result order-independent without letting
 * two equal pairs cancel. Not cryptographic: it detects accidental mismatches, not adversarial
 * ones. Stateless.
 */
public final class DataFingerprint {
  private DataFingerprint() {}

  /**
   * Fingerprint of the interactions of {@code m} (rows = users of {@code users}, columns = items of
   * {@code items}), as 32 lower-case hex digits.
   */
  public static String of(Interactions m, IdIndex users, IdIndex items) {
    if (m.numRows() != users.size() || m.numCols() != items.size()) {
      throw new IllegalArgumentException(
          "interactions are "
              + m.numRows()
              + " x "
              + m.numCols()
              + " but there are "
              + users.size()
              + " users and "
              + items.size()
              + " items");
    }
    long[] u1 = new long[users.size()];
    long[] u2 = new long[users.size()];
    for (int u = 0; u < u1.length; u++) {
      String id = users.idOf(u);
      u1[u] = hash(id, 0x5155_4552_0000_0001L);
      u2[u] = hash(id, 0x5155_4552_0000_0002L);
    }
    long[] i1 = new long[items.size()];
    long[] i2 = new long[items.size()];
    for (int i = 0; i < i1.length; i++) {
      String id = items.idOf(i);
      i1[i] = hash(id, 0x4954_454D_0000_0003L);
      i2[i] = hash(id, 0x4954_454D_0000_0004L);
    }
    long sum1 = 0;
    long sum2 = 0;
    int[] cols = m.cols();
    for (int u = 0; u < m.numRows(); u++) {
      for (int p = m.start(u); p < m.end(u); p++) {
        int i = cols[p];
        sum1 += fmix(u1[u] + 0x9E3779B97F4A7C15L * i1[i]);
        sum2 += fmix(u2[u] + 0xC2B2AE3D27D4EB4FL * i2[i]);
      }
    }
    sum1 += fmix(m.size() ^ 0x2545F4914F6CDD1DL);
    return String.format("%016x%016x", sum1, sum2);
  }

  private static long hash(String s, long seed) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (int k = 0; k < s.length(); k++) {
      h ^= s.charAt(k);
      h *= 0x100000001b3L;
    }
    return fmix(h ^ s.length());
  }

  /** MurmurHash3's 64-bit finaliser (a bijection). */
  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
