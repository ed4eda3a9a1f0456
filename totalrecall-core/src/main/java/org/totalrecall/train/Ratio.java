package org.totalrecall.train;

/**
 * TotalRecall's sampling ratio (sec. 3.5, Tables 1 and 3): per positive (u, i), {@code a} negative
 * users v (pairs (v, i)) and {@code b} negative items j (pairs (u, j)), written {@code a:b} ([0:8]
 * → p(i|u), [8:0] → p(u|i), [4:4] → PMI); or {@code n} random (user, item) pairs, written {@code n}
 * ([8] → p(u,i)).
 *
 * @param userNegatives a (0 for random pairs)
 * @param itemNegatives b (0 for random pairs)
 * @param randomPairs n (0 for a ratio)
 */
public record Ratio(int userNegatives, int itemNegatives, int randomPairs) {
  /** The most negatives per positive accepted. */
  public static final int MAX = 4096;

  public Ratio {
    if (userNegatives < 0
        || itemNegatives < 0
        || randomPairs < 0
        || (randomPairs > 0 && userNegatives + itemNegatives > 0)
        || userNegatives + itemNegatives + randomPairs == 0) {
      throw new IllegalArgumentException(
          "--ratio must be a:b (a negative users and b negative items per positive, "
              + "not both 0) or n (n random pairs), got "
              + this);
    }
    if (userNegatives + itemNegatives + randomPairs > MAX) {
      throw new IllegalArgumentException(
          "--ratio asks for "
              + (userNegatives + itemNegatives + randomPairs)
              + " negatives per positive; at most "
              + MAX);
    }
  }

  /**
   * Parses {@code a:b} or {@code n}.
   *
   * @throws IllegalArgumentException naming {@code --ratio}
   */
  public static Ratio parse(String text) {
    String t = text.trim();
    try {
      int colon = t.indexOf(':');
      if (colon < 0) {
        return new Ratio(0, 0, Integer.parseInt(t));
      }
      if (t.indexOf(':', colon + 1) >= 0) {
        throw new NumberFormatException();
      }
      return new Ratio(
          Integer.parseInt(t.substring(0, colon)), Integer.parseInt(t.substring(colon + 1)), 0);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--ratio must be a:b or n with non-negative integers, got \"" + text + "\"");
    }
  }

  /** Negatives per positive. */
  public int negatives() {
    return userNegatives + itemNegatives + randomPairs;
  }

  @Override
  public String toString() {
    return randomPairs > 0 ? Integer.toString(randomPairs) : userNegatives + ":" + itemNegatives;
  }
}
