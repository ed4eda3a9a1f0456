package org.totalrecall.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns provisional indices to external ids while files are read, in order of first appearance,
 * then ({@link #finish}) the final dense order and the {@link IdIndex}. Canonical non-negative
 * integer ids are keyed by value in an open-addressing {@code long -> int} table, so the common
 * all-integer case allocates no String per field; other ids go through a HashMap. Not thread-safe.
 */
final class IdMapper {
  private static final long EMPTY = -1L;

  private long[] keys = new long[1 << 12];
  private int[] values = new int[1 << 12];
  private int numericCount;
  private final Map<String, Integer> byString = new HashMap<>();

  /** Per provisional index: the numeric value, or -1 for a string id. */
  private long[] numericValue = new long[1 << 10];

  /** Per provisional index: the string id, or null for a numeric id. */
  private final List<String> stringValue = new ArrayList<>();

  private int size;

  IdMapper() {
    Arrays.fill(keys, EMPTY);
  }

  /** Number of distinct ids seen so far; provisional indices are {@code [0, size())}. */
  int size() {
    return size;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29)) & mask;
  }

  /** Provisional index of integer id {@code value} (>= 0), added if new. */
  int getOrAdd(long value) {
    int mask = keys.length - 1;
    int i = slot(value, mask);
    while (true) {
      long k = keys[i];
      if (k == value) {
        return values[i];
      }
      if (k == EMPTY) {
        break;
      }
      i = (i + 1) & mask;
    }
    int index = newIndex(value, null);
    keys[i] = value;
    values[i] = index;
    if (++numericCount * 2 > keys.length) {
      rehash();
    }
    return index;
  }

  /** Provisional index of integer id {@code value}, or -1 if unseen. */
  int find(long value) {
    int mask = keys.length - 1;
    int i = slot(value, mask);
    while (true) {
      long k = keys[i];
      if (k == value) {
        return values[i];
      }
      if (k == EMPTY) {
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  /** Provisional index of string id {@code id}, added if new; canonical integers go by value. */
  int getOrAdd(String id) {
    long v = canonical(id);
    if (v >= 0) {
      return getOrAdd(v);
    }
    Integer existing = byString.get(id);
    if (existing != null) {
      return existing;
    }
    int index = newIndex(-1, id);
    byString.put(id, index);
    return index;
  }

  /** Provisional index of string id {@code id}, or -1 if unseen. */
  int find(String id) {
    long v = canonical(id);
    if (v >= 0) {
      return find(v);
    }
    Integer existing = byString.get(id);
    return existing == null ? -1 : existing;
  }

  private static long canonical(String id) {
    int n = id.length();
    if (n == 0 || n > 18 || (id.charAt(0) == '0' && n > 1)) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      int d = id.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private int newIndex(long value, String id) {
    if (size == Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("more than " + size + " distinct ids");
    }
    if (size == numericValue.length) {
      numericValue = Arrays.copyOf(numericValue, size * 2);
    }
    numericValue[size] = value;
    stringValue.add(id);
    return size++;
  }

  private void rehash() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      long k = oldKeys[j];
      if (k != EMPTY) {
        int i = slot(k, mask);
        while (keys[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = oldValues[j];
      }
    }
  }

  /** External id of provisional index {@code p}. */
  String externalId(int p) {
    String s = stringValue.get(p);
    return s != null ? s : Long.toString(numericValue[p]);
  }

  /** The final id order and index, see {@link #finish}. */
  @SuppressWarnings("ArrayRecordComponent") // a carrier of flat arrays, never compared or hashed
  record Result(IdIndex index, int[] remap) {}

  /**
   * Fixes the dense order: with {@link LoadOptions.IdOrder#NUMERIC} and only integer ids, by
   * numeric value; otherwise by first appearance. {@code remap[p]} is the dense index of
   * provisional index {@code p}.
   */
  Result finish(LoadOptions.IdOrder order) {
    int[] remap = new int[size];
    List<String> ids = new ArrayList<>(size);
    boolean allNumeric = byString.isEmpty();
    if (order == LoadOptions.IdOrder.NUMERIC && allNumeric) {
      // Values are < 10^18 < 2^60 and indices < 2^31: sort (value, index) pairs packed as
      // value * 2^31 + index would overflow, so sort values and find indices back by lookup.
      long[] sorted = Arrays.copyOf(numericValue, size);
      Arrays.sort(sorted);
      for (int d = 0; d < size; d++) {
        remap[find(sorted[d])] = d;
        ids.add(Long.toString(sorted[d]));
      }
    } else {
      for (int p = 0; p < size; p++) {
        remap[p] = p;
        ids.add(externalId(p));
      }
    }
    return new Result(IdIndex.of(ids), remap);
  }
}
