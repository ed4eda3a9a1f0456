package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lookup of method kinds by name and the metadata form of specs; shared by objectives and samplers.
 */
final class Specs {
  private Specs() {}

  /** The key of a method's name in its metadata map. */
  static final String NAME_KEY = "name";

  /** {@code {"name": name, parameters...}}. */
  static Map<String, Object> toMap(String name, Map<String, Object> parameters) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(NAME_KEY, name);
    m.putAll(parameters);
    return m;
  }

  /** Parses the metadata form written by {@link #toMap}. */
  static <S> S fromMap(List<SpecType<S>> types, Map<String, ?> map, String role) {
    Object name = map.get(NAME_KEY);
    if (!(name instanceof String n)) {
      throw new IllegalArgumentException(role + " metadata has no name: " + map);
    }
    Map<String, Object> values = new LinkedHashMap<>(map);
    values.remove(NAME_KEY);
    return SpecType.find(types, n, role).parse(Params.of(values), role);
  }
}
