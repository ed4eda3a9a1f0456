package org.totalrecall.cli.fuzz;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One input of a reader: its files (name to bytes, in reading order) and the field delimiter each
 * was written with (the mutator uses it to find fields).
 */
record Sample(Reader reader, Map<String, byte[]> files, Map<String, String> delimiters) {
  Sample {
    files = new LinkedHashMap<>(files);
    delimiters = Map.copyOf(delimiters);
  }

  /** A copy with {@code name} replaced by {@code bytes}. */
  Sample with(String name, byte[] bytes) {
    Map<String, byte[]> copy = new LinkedHashMap<>(files);
    copy.put(name, bytes);
    return new Sample(reader, copy, delimiters);
  }

  int totalBytes() {
    int n = 0;
    for (byte[] b : files.values()) {
      n += b.length;
    }
    return n;
  }

  /** Every file as escaped text and hex, for failure messages and replay. */
  String dump(int maxBytes) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      sb.append("    ")
          .append(e.getKey())
          .append(" (")
          .append(e.getValue().length)
          .append(" bytes): ")
          .append(Dump.escaped(e.getValue(), maxBytes))
          .append('\n');
      if (e.getValue().length <= maxBytes) {
        sb.append("      hex: ").append(Dump.hex(e.getValue())).append('\n');
      }
    }
    return sb.toString();
  }
}
