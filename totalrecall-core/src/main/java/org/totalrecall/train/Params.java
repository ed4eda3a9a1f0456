package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parameter values given to a method, by parameter name: strings from the command line or
 * numbers and booleans from a model file's metadata. A method's parser reads them with typed
 * getters (which validate and name the flag in errors) and then calls {@link #requireAllUsed}, so
 * that a value given for a parameter the method does not have is an error, not a silent no-op. Not
 * thread-safe; one per parse.
 */
public final class Params {
  private final Map<String, Object> values;
  private final Set<String> used = new LinkedHashSet<>();

  private Params(Map<String, ?> values) {
    this.values = new LinkedHashMap<>(values);
  }

  /** Values by parameter name (String, Number or Boolean). */
  public static Params of(Map<String, ?> values) {
    return new Params(values);
  }

  /** No values: every parameter takes its default. */
  public static Params none() {
    return new Params(Map.of());
  }

  /** Whether a value was given for {@code name}. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The float value of {@code name}, or {@code defaultValue}; must be finite. */
  public float getFloat(String name, float defaultValue) {
    used.add(name);
    Object v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    float f;
    if (v instanceof Number n) {
      f = n.floatValue();
    } else {
      try {
        f = Float.parseFloat(v.toString().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " must be a number, got \"" + v + "\"");
      }
    }
    if (!Float.isFinite(f)) {
      throw new IllegalArgumentException("--" + name + " must be finite, got " + v);
    }
    return f;
  }

  /** The int value of {@code name}, or {@code defaultValue}. */
  public int getInt(String name, int defaultValue) {
    used.add(name);
    Object v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Number n) {
      if (n.doubleValue() != n.intValue()) {
        throw new IllegalArgumentException("--" + name + " must be an integer, got " + v);
      }
      return n.intValue();
    }
    try {
      return Integer.parseInt(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, got \"" + v + "\"");
    }
  }

  /** The string value of {@code name}, or {@code defaultValue}. */
  public String getString(String name, String defaultValue) {
    used.add(name);
    Object v = values.get(name);
    return v == null ? defaultValue : v.toString().trim();
  }

  /** The boolean value of {@code name} (a switch), or {@code defaultValue}. */
  public boolean getBoolean(String name, boolean defaultValue) {
    used.add(name);
    Object v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException("--" + name + " must be true or false, got \"" + v + "\"");
  }

  /**
   * Refuses values the method did not read.
   *
   * @param owner the method, as the user named it, e.g. {@code --sampler in-batch}
   * @throws IllegalArgumentException naming the first unused value's flag and the owner
   */
  public void requireAllUsed(String owner) {
    for (String name : values.keySet()) {
      if (!used.contains(name)) {
        throw new IllegalArgumentException("--" + name + " does not apply to " + owner);
      }
    }
  }
}
