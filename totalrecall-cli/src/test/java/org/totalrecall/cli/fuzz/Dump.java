package org.totalrecall.cli.fuzz;

import java.util.HexFormat;

/**
 * Printable forms of fuzzed bytes for failure messages: escaped text and a replayable hex string.
 */
final class Dump {
  private Dump() {}

  /**
   * The bytes as text: printable ASCII as is, {@code \n \r \t \\ \"} escaped, everything else
   * {@code \xHH}.
   */
  static String escaped(byte[] b) {
    return escaped(b, Integer.MAX_VALUE);
  }

  /** As {@link #escaped(byte[])}, cut after {@code max} bytes. */
  static String escaped(byte[] b, int max) {
    StringBuilder sb = new StringBuilder(b.length + 16);
    sb.append('"');
    for (int i = 0; i < b.length && i < max; i++) {
      int c = b[i] & 0xFF;
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        default -> {
          if (c >= 0x20 && c < 0x7F) {
            sb.append((char) c);
          } else {
            sb.append(String.format("\\x%02X", c));
          }
        }
      }
    }
    sb.append('"');
    if (b.length > max) {
      sb.append("... (").append(b.length).append(" bytes)");
    }
    return sb.toString();
  }

  /** The bytes as one lower-case hex string ({@code xxd -r -p} turns it back into the file). */
  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
