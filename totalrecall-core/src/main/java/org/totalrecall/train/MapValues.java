package org.totalrecall.train;

import java.util.Map;

/**
 * Typed reads of a metadata map (JSON numbers, strings and booleans), with errors naming the key.
 */
final class MapValues {
  private MapValues() {}

  /**
   * {@code f} as the double with the same shortest decimal form (0.9f → 0.9, not
   * 0.8999999761581421).
   */
  static double decimal(float f) {
    return Double.parseDouble(Float.toString(f));
  }

  static Object get(Map<String, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("metadata has no \"" + key + "\": " + m);
    }
    return v;
  }

  static int integer(Map<String, ?> m, String key) {
    if (get(m, key) instanceof Number n && n.doubleValue() == n.intValue()) {
      return n.intValue();
    }
    throw new IllegalArgumentException("metadata \"" + key + "\" is not an int: " + m.get(key));
  }

  static long longInteger(Map<String, ?> m, String key) {
    if (get(m, key) instanceof Number n && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    throw new IllegalArgumentException("metadata \"" + key + "\" is not an integer: " + m.get(key));
  }

  static float real(Map<String, ?> m, String key) {
    if (get(m, key) instanceof Number n) {
      return n.floatValue();
    }
    throw new IllegalArgumentException("metadata \"" + key + "\" is not a number: " + m.get(key));
  }

  static String string(Map<String, ?> m, String key) {
    if (get(m, key) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("metadata \"" + key + "\" is not a string: " + m.get(key));
  }

  static boolean bool(Map<String, ?> m, String key) {
    if (get(m, key) instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException("metadata \"" + key + "\" is not a boolean: " + m.get(key));
  }

  @SuppressWarnings("unchecked")
  static Map<String, ?> map(Map<String, ?> m, String key) {
    if (get(m, key) instanceof Map<?, ?> sub) {
      return (Map<String, ?>) sub;
    }
    throw new IllegalArgumentException("metadata \"" + key + "\" is not an object: " + m.get(key));
  }
}
