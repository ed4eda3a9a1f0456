package org.totalrecall.util;

/**
 * Argument checks for public constructors and config records. Every message names the parameter,
 * the value found and what was expected. Float checks are written so that NaN fails them.
 */
public final class Checks {
  private Checks() {}

  public static int positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
    return value;
  }

  public static long positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
    return value;
  }

  public static float positive(String name, float value) {
    if (!(value > 0f) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
    }
    return value;
  }

  public static double positive(String name, double value) {
    if (!(value > 0d) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
    }
    return value;
  }

  public static int nonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
    return value;
  }

  public static float nonNegative(String name, float value) {
    if (!(value >= 0f) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
    }
    return value;
  }

  public static double nonNegative(String name, double value) {
    if (!(value >= 0d) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
    }
    return value;
  }

  /** Checks {@code minExclusive < value <= maxInclusive}. */
  public static float inRange(String name, float value, float minExclusive, float maxInclusive) {
    if (!(value > minExclusive && value <= maxInclusive)) {
      throw new IllegalArgumentException(
          name + " must be in (" + minExclusive + ", " + maxInclusive + "], got " + value);
    }
    return value;
  }

  /** Checks {@code minInclusive <= value < maxExclusive}. */
  public static int index(String name, int value, int maxExclusive) {
    if (value < 0 || value >= maxExclusive) {
      throw new IndexOutOfBoundsException(
          name + " must be in [0, " + maxExclusive + "), got " + value);
    }
    return value;
  }

  public static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }
}
