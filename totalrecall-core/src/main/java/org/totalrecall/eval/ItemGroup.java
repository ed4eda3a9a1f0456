package org.totalrecall.eval;

import java.util.Arrays;
import org.totalrecall.util.Checks;

/**
 * A named group of items (dense indices, strictly increasing), the query unit of the {@code
 * pums-group} protocol, e.g. "Comedy/top". Immutable.
 */
public final class ItemGroup {
  private final String name;
  private final int[] items;

  /**
   * @param items dense item indices; copied and sorted, repeats are an error
   */
  public ItemGroup(String name, int[] items) {
    Checks.notNull("name", name);
    Checks.notNull("items", items);
    int[] sorted = items.clone();
    Arrays.sort(sorted);
    for (int k = 1; k < sorted.length; k++) {
      if (sorted[k] == sorted[k - 1]) {
        throw new IllegalArgumentException("group " + name + " lists item " + sorted[k] + " twice");
      }
    }
    this.name = name;
    this.items = sorted;
  }

  /** The group's name, e.g. "Comedy/top". */
  public String name() {
    return name;
  }

  /** Number of items. */
  public int size() {
    return items.length;
  }

  /** The k-th item (increasing order). */
  public int item(int k) {
    return items[k];
  }

  /** True if the group contains {@code item}. */
  public boolean contains(int item) {
    return Arrays.binarySearch(items, item) >= 0;
  }

  /** A copy of the items. */
  public int[] items() {
    return items.clone();
  }

  @Override
  public String toString() {
    return name + "(" + items.length + " items)";
  }
}
