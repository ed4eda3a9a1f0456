package org.totalrecall.cli.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Seeded mutations of one file of a {@link Sample}. Text is handled as ISO-8859-1 strings, one char
 * per byte, so that every edit is an exact byte edit (UTF-8 sequences included). Each kind draws
 * its parameters from the case's random source only, so a case id replays exactly.
 */
final class Mutator {
  private Mutator() {}

  /**
   * The mutation kinds; the suite cycles through them so that every kind is exercised in a small
   * run.
   */
  enum Kind {
    FLIP_BYTE,
    FLIP_BIT,
    INSERT_BYTE,
    DELETE_BYTES,
    TRUNCATE,
    DELETE_FIELD,
    EXTRA_FIELD,
    WRONG_TYPE,
    SPECIAL_NUMBER,
    INVALID_UTF8,
    BOM,
    CRLF,
    CR_ONLY,
    BLANK_LINES,
    EMPTY_OR_HEADER_ONLY,
    DUPLICATE_LINE,
    SHUFFLE_LINES,
    FINAL_NEWLINE,
    NEW_ID,
    QUOTES,
    DELIMITER_SWAP,
    SPACES,
    GZIP,
    GZIP_TWO_MEMBERS,
    GZIP_EMPTY_MEMBER,
    GZIP_PLAIN_TAIL,
    GZIP_TRUNCATED,
    GZIP_FLIP,
    STACKED;

    boolean gzip() {
      return name().startsWith("GZIP");
    }
  }

  /** The mutated file's bytes and a description of what was done. */
  @SuppressWarnings("ArrayRecordComponent") // one mutated file, never compared or hashed
  record Result(byte[] bytes, String description) {}

  static final Kind[] TEXT_KINDS =
      Arrays.stream(Kind.values()).filter(k -> !k.gzip() && k != Kind.STACKED).toArray(Kind[]::new);

  static Result mutate(byte[] original, String delimiter, Kind kind, SplittableRandom rng) {
    StringBuilder desc = new StringBuilder(kind.name());
    String t = latin1(original);
    String out =
        switch (kind) {
          case GZIP,
              GZIP_TWO_MEMBERS,
              GZIP_EMPTY_MEMBER,
              GZIP_PLAIN_TAIL,
              GZIP_TRUNCATED,
              GZIP_FLIP -> {
            String inner = t;
            if (rng.nextInt(3) == 0) {
              Kind sub = TEXT_KINDS[rng.nextInt(TEXT_KINDS.length)];
              desc.append(" of (").append(sub.name());
              inner = text(inner, delimiter, sub, rng, desc);
              desc.append(')');
            }
            yield latin1(gzip(bytes(inner), kind, rng, desc));
          }
          case STACKED -> {
            int n = 2 + rng.nextInt(2);
            String s = t;
            for (int j = 0; j < n; j++) {
              Kind sub = TEXT_KINDS[rng.nextInt(TEXT_KINDS.length)];
              desc.append(j == 0 ? ": " : " + ").append(sub.name());
              s = text(s, delimiter, sub, rng, desc);
            }
            if (rng.nextInt(5) == 0) {
              desc.append(", gzipped");
              s = latin1(Gzip.member(bytes(s)));
            }
            yield s;
          }
          default -> text(t, delimiter, kind, rng, desc);
        };
    return new Result(bytes(out), desc.toString());
  }

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  static byte[] bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A UTF-8 string as the latin-1 string of its bytes. */
  private static String u(String s) {
    return latin1(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String pick(SplittableRandom rng, String... values) {
    return values[rng.nextInt(values.length)];
  }

  private static final String[] INSERT_PALETTE = {
    "\r", "\n", "\t", " ", ",", ";", ":", "::", "\"", "-", ".", "e", "0", "9", "x", "\u0000",
    "\u00FF", "\u00C3", "\u0080", "#", "+"
  };

  private static final String[] WRONG_TYPES = {
    "x7", "abc", "1a", "", "1.5", "0x1F", "1f", "1d", "one", "--1", "1,5", u("١٢"), u("１"), "1_000",
    "0b1", "1 2", "(1,2)", "true"
  };

  private static final String[] SPECIAL_NUMBERS = {
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "+Infinity",
    "Inf",
    "inf",
    "1e39",
    "-1e39",
    "3.4028236e38",
    "3.4028234e38",
    "1e308",
    "1e309",
    "-0",
    "-0.0",
    "0",
    "0.0",
    "-1",
    "-5",
    "1e-50",
    "1e-45",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999",
    "123456789012345678",
    "1234567890123456789",
    "000000000000000000001",
    "+5",
    "007",
    " 5 ",
    "5.",
    ".5",
    "1e",
    "1e+",
    "4294967296",
    "2147483648"
  };

  private static final String[] INVALID_UTF8 = {
    "\u00FF",
    "\u00FE",
    "\u00C3",
    "\u0080",
    "\u00C0\u0080",
    "\u00E0\u0080\u0080",
    "\u00ED\u00A0\u0080",
    "\u00F4\u0090\u0080\u0080",
    "\u00F8\u0088\u0080\u0080\u0080",
    "\u00E2\u0082",
    "\u00C3(",
    "\u00BF"
  };

  private static final String BOM = "\u00EF\u00BB\u00BF";

  /** One text mutation of latin-1 text {@code t}. */
  static String text(
      String t, String delimiter, Kind kind, SplittableRandom rng, StringBuilder desc) {
    int len = t.length();
    return switch (kind) {
      case FLIP_BYTE -> {
        if (len == 0) {
          yield "\u00FF";
        }
        int p = rng.nextInt(len);
        int x = 1 + rng.nextInt(255);
        desc.append(" at ").append(p).append(" xor ").append(x);
        yield t.substring(0, p) + (char) ((t.charAt(p) ^ x) & 0xFF) + t.substring(p + 1);
      }
      case FLIP_BIT -> {
        if (len == 0) {
          yield "\u0001";
        }
        int p = rng.nextInt(len);
        int bit = rng.nextInt(8);
        desc.append(" at ").append(p).append(" bit ").append(bit);
        yield t.substring(0, p) + (char) ((t.charAt(p) ^ (1 << bit)) & 0xFF) + t.substring(p + 1);
      }
      case INSERT_BYTE -> {
        int p = rng.nextInt(len + 1);
        String ins =
            rng.nextInt(4) == 0
                ? String.valueOf((char) rng.nextInt(256))
                : pick(rng, INSERT_PALETTE);
        desc.append(" at ").append(p);
        yield t.substring(0, p) + ins + t.substring(p);
      }
      case DELETE_BYTES -> {
        if (len == 0) {
          yield t;
        }
        int p = rng.nextInt(len);
        int n = Math.min(len - p, 1 + rng.nextInt(3));
        desc.append(" at ").append(p).append(" x").append(n);
        yield t.substring(0, p) + t.substring(p + n);
      }
      case TRUNCATE -> {
        if (len == 0) {
          yield t;
        }
        int style = rng.nextInt(4);
        int p;
        if (style == 0) {
          p = rng.nextInt(len); // anywhere
        } else {
          List<Integer> at = new ArrayList<>();
          for (int i = 0; i < len; i++) {
            char c = t.charAt(i);
            if ((style == 1 && c == '\n')
                || (style == 2 && i > 0 && t.charAt(i - 1) == '\n')
                || (style == 3 && i > 0 && delimiter.indexOf(t.charAt(i - 1)) >= 0)) {
              at.add(i);
            }
          }
          p = at.isEmpty() ? rng.nextInt(len) : at.get(rng.nextInt(at.size()));
        }
        desc.append(" to ").append(p).append(" of ").append(len);
        yield t.substring(0, p);
      }
      case DELETE_FIELD, EXTRA_FIELD, WRONG_TYPE, SPECIAL_NUMBER, NEW_ID, QUOTES, SPACES ->
          fieldEdit(t, delimiter, kind, rng, desc);
      case INVALID_UTF8 -> {
        String bad = pick(rng, INVALID_UTF8);
        int p;
        if (rng.nextBoolean()) {
          p = fieldPosition(t, rng); // inside a field
        } else {
          p = rng.nextInt(len + 1);
        }
        desc.append(" ").append(Dump.escaped(bytes(bad))).append(" at ").append(p);
        yield t.substring(0, p) + bad + t.substring(p);
      }
      case BOM -> {
        int style = rng.nextInt(5);
        desc.append(" style ").append(style);
        yield switch (style) {
          case 0 -> BOM + t;
          case 1 -> BOM + BOM + t;
          case 2 -> {
            List<String> lines = lines(t);
            int k = rng.nextInt(lines.size() + 1);
            if (k < lines.size() && rng.nextBoolean()) {
              lines.set(k, BOM + lines.get(k)); // a BOM at the start of a later line
            } else {
              lines.add(k, BOM); // a line holding only a BOM
            }
            yield joinLines(lines, t);
          }
          case 3 -> "\u00EF\u00BB" + t; // a partial BOM
          default -> BOM + "\n" + t;
        };
      }
      case CRLF -> {
        int style = rng.nextInt(3);
        desc.append(" style ").append(style);
        yield switch (style) {
          case 0 -> t.replace("\n", "\r\n");
          case 1 -> replaceSome(t, "\n", "\r\n", rng);
          default -> replaceSome(t, "\n", "\r\r\n", rng);
        };
      }
      case CR_ONLY -> {
        int style = rng.nextInt(3);
        desc.append(" style ").append(style);
        yield switch (style) {
          case 0 -> t.replace("\n", "\r");
          case 1 -> replaceSome(t, "\n", "\r", rng);
          default -> t.endsWith("\n") ? t.substring(0, len - 1) + "\r" : t + "\r";
        };
      }
      case BLANK_LINES -> {
        List<String> lines = lines(t);
        int n = 1 + rng.nextInt(3);
        for (int j = 0; j < n; j++) {
          int k = rng.nextInt(lines.size() + 1);
          lines.add(k, pick(rng, "", " ", "\t", "  \t ", "\r", " \r"));
          desc.append(" at ").append(k);
        }
        yield joinLines(lines, t);
      }
      case EMPTY_OR_HEADER_ONLY -> {
        int style = rng.nextInt(7);
        desc.append(" style ").append(style);
        List<String> lines = lines(t);
        String first = lines.isEmpty() ? "" : lines.get(0);
        yield switch (style) {
          case 0 -> "";
          case 1 -> "\n";
          case 2 -> "\n  \n\t\n";
          case 3 -> first;
          case 4 -> first + "\n";
          case 5 -> BOM;
          default -> first + "\n\n \n";
        };
      }
      case DUPLICATE_LINE -> {
        List<String> lines = lines(t);
        if (lines.isEmpty()) {
          yield t;
        }
        int n = 1 + rng.nextInt(3);
        for (int j = 0; j < n; j++) {
          String l = lines.get(rng.nextInt(lines.size()));
          lines.add(rng.nextInt(lines.size() + 1), l);
        }
        yield joinLines(lines, t);
      }
      case SHUFFLE_LINES -> {
        List<String> lines = lines(t);
        for (int j = lines.size() - 1; j > 0; j--) {
          int k = rng.nextInt(j + 1);
          String tmp = lines.get(j);
          lines.set(j, lines.get(k));
          lines.set(k, tmp);
        }
        yield joinLines(lines, t);
      }
      case FINAL_NEWLINE -> {
        int style = rng.nextInt(3);
        desc.append(" style ").append(style);
        yield switch (style) {
          case 0 -> t.endsWith("\n") ? t.substring(0, len - 1) : t;
          case 1 -> t + "\n";
          default -> t + "\n\n\n";
        };
      }
      case DELIMITER_SWAP -> {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < len; i++) {
          if (t.startsWith(delimiter, i)) {
            at.add(i);
          }
        }
        if (at.isEmpty()) {
          yield t;
        }
        int p = at.get(rng.nextInt(at.size()));
        String repl = pick(rng, ",", ";", "\t", " ", "::", ":", "|", "  ", "\t\t", "");
        desc.append(" at ").append(p).append(" to ").append(Dump.escaped(bytes(repl)));
        yield t.substring(0, p) + repl + t.substring(p + delimiter.length());
      }
      default -> throw new IllegalArgumentException("not a text mutation: " + kind);
    };
  }

  private static String replaceSome(String t, String from, String to, SplittableRandom rng) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (true) {
      int j = t.indexOf(from, i);
      if (j < 0) {
        sb.append(t, i, t.length());
        return sb.toString();
      }
      sb.append(t, i, j).append(rng.nextBoolean() ? to : from);
      i = j + from.length();
    }
  }

  /**
   * The lines of {@code t} without their {@code \n} (a final newline does not make an extra line).
   */
  static List<String> lines(String t) {
    List<String> out = new ArrayList<>(Arrays.asList(t.split("\n", -1)));
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /** Joins lines with {@code \n}, with a final newline if the original had one (or was empty). */
  private static String joinLines(List<String> lines, String original) {
    String s = String.join("\n", lines);
    return original.isEmpty() || original.endsWith("\n") ? s + "\n" : s;
  }

  /** A position inside some field of some line (or 0). */
  private static int fieldPosition(String t, SplittableRandom rng) {
    if (t.isEmpty()) {
      return 0;
    }
    int p = rng.nextInt(t.length());
    while (p > 0 && t.charAt(p) == '\n') {
      p--;
    }
    return p;
  }

  /** Edits one field of one non-empty line. */
  private static String fieldEdit(
      String t, String delimiter, Kind kind, SplittableRandom rng, StringBuilder desc) {
    List<String> lines = lines(t);
    List<Integer> candidates = new ArrayList<>();
    for (int k = 0; k < lines.size(); k++) {
      if (!lines.get(k).isBlank()) {
        candidates.add(k);
      }
    }
    if (candidates.isEmpty()) {
      return t;
    }
    int k = candidates.get(rng.nextInt(candidates.size()));
    String line = lines.get(k);
    List<String> fields = new ArrayList<>(Arrays.asList(line.split(Pattern.quote(delimiter), -1)));
    int f = rng.nextInt(fields.size());
    desc.append(" line ").append(k + 1).append(" field ").append(f + 1);
    switch (kind) {
      case DELETE_FIELD -> {
        if (fields.size() > 1) {
          fields.remove(f);
        } else {
          fields.set(0, "");
        }
      }
      case EXTRA_FIELD ->
          fields.add(rng.nextInt(fields.size() + 1), pick(rng, "1", "x", "", "5.0", "u9", "3"));
      case WRONG_TYPE -> fields.set(f, pick(rng, WRONG_TYPES));
      case SPECIAL_NUMBER -> fields.set(f, pick(rng, SPECIAL_NUMBERS));
      case NEW_ID ->
          fields.set(
              f,
              pick(
                  rng,
                  "0",
                  "1",
                  "2",
                  "17",
                  "123456789012",
                  "0" + fields.get(f),
                  "new",
                  u("ñeu"),
                  "99"));
      case QUOTES -> {
        String v = fields.get(f);
        int style = rng.nextInt(5);
        desc.append(" quote style ").append(style);
        fields.set(
            f,
            switch (style) {
              case 0 -> "\"" + v.replace("\"", "\"\"") + "\"";
              case 1 -> "\"" + v;
              case 2 -> "\"" + v + "\"x";
              case 3 -> v + "\"";
              default -> "\"" + v + "\"\"" + "\"";
            });
      }
      case SPACES -> {
        String v = fields.get(f);
        fields.set(
            f,
            pick(
                rng,
                " " + v,
                v + " ",
                " " + v + " ",
                "\t" + v,
                v + "\t",
                v.isEmpty() ? " " : v.charAt(0) + " " + v.substring(1)));
      }
      default -> throw new IllegalArgumentException(kind.name());
    }
    lines.set(k, String.join(delimiter, fields));
    return joinLines(lines, t);
  }

  /** The gzip kinds, on the (possibly already mutated) plain bytes. */
  private static byte[] gzip(byte[] plain, Kind kind, SplittableRandom rng, StringBuilder desc) {
    byte[] one = Gzip.member(plain);
    return switch (kind) {
      case GZIP -> one;
      case GZIP_TWO_MEMBERS -> {
        int cut = rng.nextInt(plain.length + 1);
        desc.append(" split at ").append(cut);
        byte[] a = Gzip.member(Arrays.copyOfRange(plain, 0, cut));
        byte[] b = Gzip.member(Arrays.copyOfRange(plain, cut, plain.length));
        yield concat(a, b);
      }
      case GZIP_EMPTY_MEMBER -> {
        boolean first = rng.nextBoolean();
        desc.append(first ? " before" : " after");
        byte[] empty = Gzip.member(new byte[0]);
        yield first ? concat(empty, one) : concat(one, empty);
      }
      case GZIP_PLAIN_TAIL -> {
        String tail =
            pick(
                rng,
                "\n",
                "1\t2\t3\t4\n",
                "0 1\n",
                "\u0000\u0000\u0000\u0000",
                "\u001F",
                "garbage",
                "\u001F\u008B");
        desc.append(" tail ").append(Dump.escaped(bytes(tail)));
        yield concat(one, bytes(tail));
      }
      case GZIP_TRUNCATED -> {
        int cut =
            rng.nextBoolean()
                ? 1 + rng.nextInt(one.length - 1)
                : one.length - 1 - rng.nextInt(Math.min(8, one.length - 1));
        desc.append(" to ").append(cut).append(" of ").append(one.length);
        yield Arrays.copyOf(one, cut);
      }
      case GZIP_FLIP -> {
        int p = rng.nextInt(one.length);
        int x = rng.nextBoolean() ? 0xFF : 1 << rng.nextInt(8);
        desc.append(" at ").append(p).append(" xor ").append(x);
        byte[] b = one.clone();
        b[p] ^= (byte) x;
        yield b;
      }
      default -> throw new IllegalArgumentException(kind.name());
    };
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
