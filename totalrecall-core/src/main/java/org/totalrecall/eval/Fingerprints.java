package org.totalrecall.eval;

import java.nio.charset.StandardCharsets;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;

/**
 * An order-independent fingerprint of a set of (external user id, external item id) pairs, so
 * that the same interactions loaded in another order or with other dense indices match, and any
 * added or removed pair changes it. Each pair is hashed (64-bit FNV-1a of "user \t item",
 * finished with the SplitMix64 mixer); the fingerprint is the pair count with the wrapping sum and
 * the xor of the hashes. Stateless.
 */
final class Fingerprints {
  private Fingerprints() {}

  /** Fingerprint of the pairs of {@code data} (rows = users, columns = items). */
  static String of(Interactions data, IdIndex users, IdIndex items) {
    long sum = 0;
    long xor = 0;
    byte[][] itemBytes = new byte[items.size()][];
    for (int u = 0; u < data.numRows(); u++) {
      long userHash = fnv(0xcbf29ce484222325L, users.idOf(u).getBytes(StandardCharsets.UTF_8));
      userHash = (userHash ^ '\t') * 0x100000001b3L;
      for (int p = data.start(u); p < data.end(u); p++) {
        int i = data.cols()[p];
        byte[] ib = itemBytes[i];
        if (ib == null) {
          ib = items.idOf(i).getBytes(StandardCharsets.UTF_8);
          itemBytes[i] = ib;
        }
        long h = mix(fnv(userHash, ib));
        sum += h;
        xor ^= h;
      }
    }
    return "pairs-v1:" + data.size() + ":" + Long.toHexString(sum) + ":" + Long.toHexString(xor);
  }

  private static long fnv(long h, byte[] bytes) {
    for (byte b : bytes) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
