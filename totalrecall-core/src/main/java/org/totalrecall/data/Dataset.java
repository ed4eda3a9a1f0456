package org.totalrecall.data;

import org.totalrecall.util.Checks;

/**
 * What a reader loads from a data directory: the id maps, the training interactions (users × items,
 * dense indices), and, where the layout has them, a fixed test split and per-user sampled negative
 * candidates (NCF). Immutable; shared.
 *
 * @param users external user ids ⇄ dense indices (covers train and test)
 * @param items external item ids ⇄ dense indices (covers train, test and negatives)
 * @param train training interactions, numUsers × numItems
 * @param test held-out interactions on the same index space, or null when the layout has none
 * @param testNegatives for each user, the listed negative candidates in file order (may repeat the
 *     held-out item, see the NCF quirk in PROTOCOLS.md; an empty array for a user without a
 *     negatives row), or null when the layout has no negatives
 * @param format the layout that was read
 * @param report counts and policy decisions of the load
 */
@SuppressWarnings("ArrayRecordComponent") // a carrier of flat arrays, never compared or hashed
public record Dataset(
    IdIndex users,
    IdIndex items,
    Interactions train,
    Interactions test,
    int[][] testNegatives,
    DataFormat format,
    LoadReport report) {
  public Dataset {
    Checks.notNull("users", users);
    Checks.notNull("items", items);
    Checks.notNull("train", train);
    if (train.numUsers() != users.size() || train.numItems() != items.size()) {
      throw new IllegalArgumentException(
          "train is "
              + train.numUsers()
              + " x "
              + train.numItems()
              + " but there are "
              + users.size()
              + " users and "
              + items.size()
              + " items");
    }
    if (test != null && (test.numUsers() != users.size() || test.numItems() != items.size())) {
      throw new IllegalArgumentException("test must have the same shape as train");
    }
  }

  public int numUsers() {
    return users.size();
  }

  public int numItems() {
    return items.size();
  }
}
