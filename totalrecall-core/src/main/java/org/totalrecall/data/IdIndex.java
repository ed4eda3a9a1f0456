package org.totalrecall.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps external ids (arbitrary strings, as they appear in the input files) to dense indices in
 * {@code [0, size())} and back. Indices are assigned in order of first appearance. Not thread-safe
 * while being built; safe to share once building is done.
 */
public final class IdIndex {
  private final Map<String, Integer> indexById;
  private final List<String> ids;

  public IdIndex() {
    this.indexById = new HashMap<>();
    this.ids = new ArrayList<>();
  }

  /** An index whose external ids are the given strings, in that order; duplicates are an error. */
  public static IdIndex of(List<String> ids) {
    IdIndex index = new IdIndex();
    for (String id : ids) {
      if (index.indexOf(id) >= 0) {
        throw new IllegalArgumentException("duplicate external id \"" + id + "\"");
      }
      index.getOrAdd(id);
    }
    return index;
  }

  /**
   * An index whose external ids are "0", "1", ..., {@code n - 1} (data sets that are already
   * dense).
   */
  public static IdIndex identity(int n) {
    IdIndex index = new IdIndex();
    for (int i = 0; i < n; i++) {
      index.getOrAdd(Integer.toString(i));
    }
    return index;
  }

  /** Returns the dense index of {@code id}, assigning the next free index if it is new. */
  public int getOrAdd(String id) {
    Integer existing = indexById.get(id);
    if (existing != null) {
      return existing;
    }
    int index = ids.size();
    indexById.put(id, index);
    ids.add(id);
    return index;
  }

  /** Returns the dense index of {@code id}, or -1 if it is unknown. */
  public int indexOf(String id) {
    Integer existing = indexById.get(id);
    return existing == null ? -1 : existing;
  }

  /** Returns the external id of dense index {@code index}. */
  public String idOf(int index) {
    return ids.get(index);
  }

  public int size() {
    return ids.size();
  }

  /** The external ids in index order; an unmodifiable view. */
  public List<String> ids() {
    return Collections.unmodifiableList(ids);
  }

  /** True if external id {@code i} is the decimal string of {@code i} for every index. */
  public boolean isIdentity() {
    for (int i = 0; i < ids.size(); i++) {
      if (!ids.get(i).equals(Integer.toString(i))) {
        return false;
      }
    }
    return true;
  }
}
