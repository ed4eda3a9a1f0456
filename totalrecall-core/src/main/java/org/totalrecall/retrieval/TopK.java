package org.totalrecall.retrieval;

/**
 * Keeps the k highest-scoring (index, score) pairs. Each pair is packed into one {@code long}: the
 * score's sortable bits in the high half and the complemented index in the low half, so a plain
 * {@code long} comparison orders by score and, among equal scores, prefers the smaller index
 * (Lucene's {@code NeighborQueue}). Creates no objects per candidate. Not thread-safe; {@link
 * #clear()} to reuse.
 */
public final class TopK {
  private final long[] heap; // min-heap: heap[0] is the worst of the current best k
  private int size;

  public TopK(int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be > 0, got " + k);
    }
    this.heap = new long[k];
  }

  /** Capacity k. */
  public int k() {
    return heap.length;
  }

  /** Number of pairs held (at most k). */
  public int size() {
    return size;
  }

  public void clear() {
    size = 0;
  }

  /**
   * The smallest score a new candidate must beat to enter: -Infinity while fewer than k are held. A
   * candidate whose score equals it may still enter if its index is smaller.
   */
  public float threshold() {
    return size < heap.length ? Float.NEGATIVE_INFINITY : unpackScore(heap[0]);
  }

  /** Offers a candidate; NaN scores are not allowed. */
  public void offer(int index, float score) {
    assert !Float.isNaN(score) : "NaN score for index " + index;
    long packed = pack(index, score);
    if (size < heap.length) {
      heap[size] = packed;
      siftUp(size++);
    } else if (packed > heap[0]) {
      heap[0] = packed;
      siftDown(0);
    }
  }

  /**
   * Writes the held pairs best first into {@code indices}/{@code scores} from offset {@code off}
   * and returns how many were written. Empties the heap.
   */
  public int drainBestFirst(int[] indices, float[] scores, int off) {
    int n = size;
    for (int p = n - 1; p >= 0; p--) {
      long top = heap[0];
      indices[off + p] = unpackIndex(top);
      if (scores != null) {
        scores[off + p] = unpackScore(top);
      }
      heap[0] = heap[--size];
      siftDown(0);
    }
    return n;
  }

  /** Drains the heap into a new {@link Neighbors}, best first. */
  public Neighbors drain() {
    int[] idx = new int[size];
    float[] sc = new float[size];
    drainBestFirst(idx, sc, 0);
    return new Neighbors(idx, sc);
  }

  /**
   * A pair as one {@code long}: the score's sortable bits over the complemented index, so a larger
   * long is a higher score, then a smaller index.
   */
  public static long pack(int index, float score) {
    int bits = Float.floatToIntBits(score);
    int sortable = bits ^ ((bits >> 31) & 0x7FFF_FFFF); // float order == signed int order
    return ((long) sortable << 32) | (~index & 0xFFFF_FFFFL);
  }

  /** The index of a {@link #pack packed} pair. */
  public static int unpackIndex(long packed) {
    return ~(int) packed;
  }

  /** The score of a {@link #pack packed} pair. */
  public static float unpackScore(long packed) {
    int sortable = (int) (packed >>> 32);
    int bits = sortable ^ ((sortable >> 31) & 0x7FFF_FFFF);
    return Float.intBitsToFloat(bits);
  }

  private void siftUp(int i) {
    long x = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] <= x) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = x;
  }

  private void siftDown(int i) {
    if (size == 0) {
      return;
    }
    long x = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && heap[right] < heap[child]) {
        child = right;
      }
      if (x <= heap[child]) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = x;
  }
}
