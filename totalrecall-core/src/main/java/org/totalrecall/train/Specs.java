package org.totalrecall.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lookup of method kinds by name and the metadata form of specs; shared by objectives and samplers. */
final class Specs {
  private Specs() {}

  /** The key of a method's name in its metadata map. */
  static final String NAME_KEY = "name";

  /**
   * The type named {@code name} among {@code types}.
   *
   * @param role "--objective" or "--sampler", for the message
   * @throws IllegalArgumentException naming the value and listing the known names
   */
  static <S> SpecType<S> find(List<SpecType<S>> types, String name, String role) {
    for (SpecType<S> t : types) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    List<String> names = new ArrayList<>();
    for (SpecType<S> t : types) {
      names.add(t.name());
    }
    throw new IllegalArgumentException(role + " must be one of " + String.join(", ", names) + "; got \"" + name + "\"");
  }

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
    return find(types, n, role).parse(Params.of(values), role);
  }
}
