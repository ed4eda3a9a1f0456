package org.totalrecall.data;

import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * Splits one line (a byte range) into field ranges without allocating per line: after {@link
 * #split}, field {@code f} is {@code line[start(f) .. end(f))}. Reused across lines; not
 * thread-safe.
 *
 * <p>For single-character delimiters, spaces around a field are trimmed, and, when quoting is on, a
 * field may be enclosed in double quotes (RFC 4180 style, {@code ""} inside stands for one quote;
 * no line breaks inside a field). {@link LoadOptions.Delimiter#WHITESPACE} splits on runs of spaces
 * and tabs and ignores leading and trailing whitespace.
 */
final class FieldSplitter {
  private final LoadOptions.Delimiter delimiter;
  private final byte single;
  private final boolean quoting;
  private int[] starts = new int[8];
  private int[] ends = new int[8];
  private boolean[] escaped = new boolean[8];
  private int count;
  private String unterminatedQuoteProblem;

  FieldSplitter(LoadOptions.Delimiter delimiter, boolean quoting) {
    if (delimiter == LoadOptions.Delimiter.AUTO) {
      throw new IllegalArgumentException("delimiter must be resolved before splitting");
    }
    this.delimiter = delimiter;
    this.single =
        switch (delimiter) {
          case TAB -> (byte) '\t';
          case COMMA -> (byte) ',';
          case SEMICOLON -> (byte) ';';
          default -> 0;
        };
    this.quoting = quoting && single != 0;
  }

  /**
   * Splits {@code line[from, to)}; returns the number of fields (0 only for WHITESPACE on a blank
   * line).
   */
  int split(byte[] line, int from, int to) {
    count = 0;
    unterminatedQuoteProblem = null;
    switch (delimiter) {
      case WHITESPACE -> splitWhitespace(line, from, to);
      case DOUBLE_COLON -> splitDoubleColon(line, from, to);
      default -> splitSingle(line, from, to);
    }
    return count;
  }

  /** Null, or a description of an unterminated quoted field found by the last split. */
  String unterminatedQuote() {
    return unterminatedQuoteProblem;
  }

  private void add(int s, int e, boolean esc) {
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
      escaped = Arrays.copyOf(escaped, count * 2);
    }
    starts[count] = s;
    ends[count] = e;
    escaped[count] = esc;
    count++;
  }

  private void splitWhitespace(byte[] b, int from, int to) {
    int i = from;
    while (true) {
      while (i < to && (b[i] == ' ' || b[i] == '\t')) {
        i++;
      }
      if (i >= to) {
        return;
      }
      int s = i;
      while (i < to && b[i] != ' ' && b[i] != '\t') {
        i++;
      }
      add(s, i, false);
    }
  }

  private void splitDoubleColon(byte[] b, int from, int to) {
    int s = from;
    for (int i = from; i < to - 1; i++) {
      if (b[i] == ':' && b[i + 1] == ':') {
        addTrimmed(b, s, i);
        i++;
        s = i + 1;
      }
    }
    addTrimmed(b, s, to);
  }

  private void splitSingle(byte[] b, int from, int to) {
    final byte d = single;
    int i = from;
    while (true) {
      int s = i;
      while (s < to && b[s] == ' ' && d != ' ') {
        s++;
      }
      if (quoting && s < to && b[s] == '"') {
        int q = s + 1;
        boolean esc = false;
        int close = -1;
        while (q < to) {
          if (b[q] == '"') {
            if (q + 1 < to && b[q + 1] == '"') {
              esc = true;
              q += 2;
              continue;
            }
            close = q;
            break;
          }
          q++;
        }
        if (close < 0) {
          unterminatedQuoteProblem = "has an unterminated quote";
          add(s, to, false);
          return;
        }
        add(s + 1, close, esc);
        int j = close + 1;
        while (j < to && b[j] == ' ') {
          j++;
        }
        if (j >= to) {
          return;
        }
        if (b[j] != d) {
          unterminatedQuoteProblem = "has text after its closing quote";
          return;
        }
        i = j + 1;
        if (i == to) {
          add(to, to, false);
          return;
        }
        continue;
      }
      int e = s;
      while (e < to && b[e] != d) {
        e++;
      }
      addTrimmed(b, s, e);
      if (e >= to) {
        return;
      }
      i = e + 1;
      if (i == to) {
        add(to, to, false);
        return;
      }
    }
  }

  private void addTrimmed(byte[] b, int s, int e) {
    while (s < e && b[s] == ' ') {
      s++;
    }
    while (e > s && b[e - 1] == ' ') {
      e--;
    }
    add(s, e, false);
  }

  int count() {
    return count;
  }

  int start(int f) {
    return starts[f];
  }

  int end(int f) {
    return ends[f];
  }

  /** Field {@code f} decoded with {@code charset}, with {@code ""} unescaped in quoted fields. */
  String text(byte[] line, int f, Charset charset) {
    String s = new String(line, starts[f], ends[f] - starts[f], charset);
    return escaped[f] ? s.replace("\"\"", "\"") : s;
  }
}
