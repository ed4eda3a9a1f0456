package org.totalrecall.eval;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.totalrecall.util.Checks;

/**
 * Settings of the protocols' splits. Immutable; validated on construction.
 *
 * @param seed split seed: every random choice of a split (held-out interactions, sampled negatives,
 *     the pums validation/test halves) is drawn from it, so that the same seed on the same data
 *     rebuilds the same split
 * @param looNegatives loo: number of sampled negatives per test user (SASRec: 100), or 0 for full
 *     ranking
 * @param testFraction random-split: fraction of each user's interactions held out as test, in (0,
 *     1)
 * @param validationFraction random-split: fraction of each user's remaining training interactions
 *     held out as validation (kept out of the training part), in [0, 1); 0 = none
 * @param heldOutFraction pums / pums-group: fraction of each qualifying item's users held out (at
 *     least one), in (0, 1)
 * @param minUsersPerItem pums / pums-group: an item qualifies with at least this many users
 * @param groupFraction pums-group: size of the top/middle/bottom groups as a fraction of a genre's
 *     qualifying items, in (0, 1/3]
 * @param categoriesFile pums-group: MovieLens {@code movies.dat} with the genres, or null to look
 *     for {@code movies.dat} beside the data files the dataset was read from
 */
public record ProtocolOptions(
    long seed,
    int looNegatives,
    double testFraction,
    double validationFraction,
    double heldOutFraction,
    int minUsersPerItem,
    double groupFraction,
    Path categoriesFile) {

  /** The default split seed. */
  public static final long DEFAULT_SEED = 42L;

  public ProtocolOptions {
    Checks.nonNegative("looNegatives", looNegatives);
    openUnit("testFraction", testFraction);
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in [0, 1), got " + validationFraction);
    }
    openUnit("heldOutFraction", heldOutFraction);
    Checks.positive("minUsersPerItem", minUsersPerItem);
    if (!(groupFraction > 0 && groupFraction <= 1.0 / 3)) {
      throw new IllegalArgumentException("groupFraction must be in (0, 1/3], got " + groupFraction);
    }
  }

  private static void openUnit(String name, double value) {
    if (!(value > 0 && value < 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1), got " + value);
    }
  }

  /**
   * PROTOCOLS.md's settings: seed 42, 100 loo negatives, 20% test, no validation, 1% held out, 50
   * users, 10% groups.
   */
  public static ProtocolOptions defaults() {
    return new ProtocolOptions(DEFAULT_SEED, 100, 0.2, 0.0, 0.01, 50, 0.1, null);
  }

  /**
   * The options as an ordered map (for model metadata), keys = component names; {@code
   * categoriesFile} is left out (a path of the training machine, not part of the split). {@link
   * #fromMap} inverts it.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seed", seed);
    m.put("looNegatives", looNegatives);
    m.put("testFraction", testFraction);
    m.put("validationFraction", validationFraction);
    m.put("heldOutFraction", heldOutFraction);
    m.put("minUsersPerItem", minUsersPerItem);
    m.put("groupFraction", groupFraction);
    return m;
  }

  /**
   * Options from a map written by {@link #toMap} (numbers of any {@link Number} type); a key that
   * is absent keeps its {@link #defaults()} value.
   *
   * @throws IllegalArgumentException naming the key if a value is not a number or out of range
   */
  public static ProtocolOptions fromMap(Map<String, ?> m) {
    ProtocolOptions d = defaults();
    return new ProtocolOptions(
        number(m, "seed", d.seed).longValue(),
        number(m, "looNegatives", d.looNegatives).intValue(),
        number(m, "testFraction", d.testFraction).doubleValue(),
        number(m, "validationFraction", d.validationFraction).doubleValue(),
        number(m, "heldOutFraction", d.heldOutFraction).doubleValue(),
        number(m, "minUsersPerItem", d.minUsersPerItem).intValue(),
        number(m, "groupFraction", d.groupFraction).doubleValue(),
        null);
  }

  private static Number number(Map<String, ?> m, String key, Number fallback) {
    Object v = m.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException(
          "protocol option '" + key + "' must be a number, got \"" + v + "\"");
    }
    return n;
  }

  public ProtocolOptions withSeed(long seed) {
    return new ProtocolOptions(
        seed,
        looNegatives,
        testFraction,
        validationFraction,
        heldOutFraction,
        minUsersPerItem,
        groupFraction,
        categoriesFile);
  }

  public ProtocolOptions withLooNegatives(int looNegatives) {
    return new ProtocolOptions(
        seed,
        looNegatives,
        testFraction,
        validationFraction,
        heldOutFraction,
        minUsersPerItem,
        groupFraction,
        categoriesFile);
  }

  public ProtocolOptions withTestFraction(double testFraction) {
    return new ProtocolOptions(
        seed,
        looNegatives,
        testFraction,
        validationFraction,
        heldOutFraction,
        minUsersPerItem,
        groupFraction,
        categoriesFile);
  }

  public ProtocolOptions withValidationFraction(double validationFraction) {
    return new ProtocolOptions(
        seed,
        looNegatives,
        testFraction,
        validationFraction,
        heldOutFraction,
        minUsersPerItem,
        groupFraction,
        categoriesFile);
  }

  public ProtocolOptions withHeldOutFraction(double heldOutFraction) {
    return new ProtocolOptions(
        seed,
        looNegatives,
        testFraction,
        validationFraction,
        heldOutFraction,
        minUsersPerItem,
        groupFraction,
        categoriesFile);
  }

  public ProtocolOptions withMinUsersPerItem(int minUsersPerItem) {
    return new ProtocolOptions(
        seed,
        looNegatives,
        testFraction,
        validationFraction,
        heldOutFraction,
        minUsersPerItem,
        groupFraction,
        categoriesFile);
  }

  public ProtocolOptions withGroupFraction(double groupFraction) {
    return new ProtocolOptions(
        seed,
        looNegatives,
        testFraction,
        validationFraction,
        heldOutFraction,
        minUsersPerItem,
        groupFraction,
        categoriesFile);
  }

  public ProtocolOptions withCategoriesFile(Path categoriesFile) {
    return new ProtocolOptions(
        seed,
        looNegatives,
        testFraction,
        validationFraction,
        heldOutFraction,
        minUsersPerItem,
        groupFraction,
        categoriesFile);
  }
}
