package org.totalrecall.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds which files of a directory (or which siblings of a file) make up a data set, and, when no
 * format is given, which {@link DataFormat} they are in. Names are matched with an optional {@code
 * .gz} suffix. The rules, for a directory:
 *
 * <ul>
 *   <li>NCF: a {@code <p>.train.rating}; {@code <p>.test.rating} and {@code <p>.test.negative} are
 *       read when present;
 *   <li>LIGHTGCN: {@code train.txt} and {@code test.txt};
 *   <li>MOVIELENS_DAT: {@code ratings.dat};
 *   <li>MOVIELENS_UDATA: {@code u.data};
 *   <li>DELIMITED: a {@code *.csv} or {@code *.tsv};
 *   <li>SEQUENCE: a {@code *.txt} (other than LightGCN's pair) whose first non-blank line is
 *       exactly two whitespace-separated non-negative integers;
 *   <li>PARQUET: one or more {@code *.parquet} files (the part files of one data set, read
 *       together; the source's train path is then the directory).
 * </ul>
 *
 * Exactly one candidate over all rules must match; none, or several (two layouts, or two files of
 * one layout), is an {@link IllegalArgumentException} that lists the files seen and the formats
 * known. A file path is classified by the same name rules. Stateless.
 */
final class FormatDetector {
  private FormatDetector() {}

  /** The files to read: train is required; test and negatives may be null. */
  record Source(DataFormat format, Path train, Path test, Path negatives) {}

  static final String KNOWN =
      "known formats: ncf (<name>.train.rating [+ .test.rating, .test.negative]), "
          + "lightgcn (train.txt + test.txt), movielens-dat (ratings.dat), movielens-udata (u.data), "
          + "delimited (one *.csv or *.tsv), sequence (one *.txt of \"user item\" integer lines), "
          + "parquet (*.parquet files); every text file's name may end in .gz";

  static Source resolve(Path path, DataFormat format) throws IOException {
    if (!Files.exists(path)) {
      throw new java.nio.file.NoSuchFileException(
          path.toString(), null, "no such file or directory");
    }
    if (Files.isDirectory(path)) {
      Map<DataFormat, List<Source>> candidates = candidates(path);
      if (format != null) {
        List<Source> list = candidates.getOrDefault(format, List.of());
        if (list.size() == 1) {
          return list.get(0);
        }
        if (list.isEmpty() && format == DataFormat.LIGHTGCN) {
          Path train = find(path, "train.txt");
          if (train != null) {
            return new Source(format, train, null, null);
          }
        }
        throw new IllegalArgumentException(
            "cannot read "
                + path
                + " as "
                + format.cliName()
                + ": "
                + (list.isEmpty() ? "no matching file" : "several candidates " + describe(list))
                + " among the files "
                + listing(path)
                + "; "
                + KNOWN
                + "; pass the file itself");
      }
      List<Source> all = new ArrayList<>();
      for (List<Source> l : candidates.values()) {
        all.addAll(l);
      }
      if (all.size() == 1) {
        return all.get(0);
      }
      if (all.isEmpty()) {
        throw new IllegalArgumentException(
            "cannot detect the data format of "
                + path
                + ": no known layout among the files "
                + listing(path)
                + "; "
                + KNOWN);
      }
      throw new IllegalArgumentException(
          "cannot detect the data format of "
              + path
              + ": the files fit several layouts: "
              + describe(all)
              + "; pass --format and/or a file; "
              + KNOWN);
    }
    return resolveFile(path, format);
  }

  private static Source resolveFile(Path file, DataFormat format) throws IOException {
    String base = base(file.getFileName().toString());
    Path dir = file.toAbsolutePath().getParent();
    DataFormat f = format;
    if (f == null) {
      if (base.endsWith(".train.rating")
          || base.endsWith(".test.rating")
          || base.endsWith(".test.negative")) {
        f = DataFormat.NCF;
      } else if ((base.equals("train.txt") || base.equals("test.txt"))
          && find(dir, "train.txt") != null
          && find(dir, "test.txt") != null) {
        f = DataFormat.LIGHTGCN;
      } else if (base.equals("u.data")) {
        f = DataFormat.MOVIELENS_UDATA;
      } else if (base.endsWith(".dat")) {
        f = DataFormat.MOVIELENS_DAT;
      } else if (base.endsWith(".csv") || base.endsWith(".tsv")) {
        f = DataFormat.DELIMITED;
      } else if (base.endsWith(".txt") && looksLikeSequence(file)) {
        f = DataFormat.SEQUENCE;
      } else if (file.getFileName().toString().endsWith(ParquetInteractionReader.SUFFIX)) {
        f = DataFormat.PARQUET;
      } else {
        throw new IllegalArgumentException(
            "cannot detect the data format of "
                + file
                + " from its name or first line; pass --format; "
                + KNOWN);
      }
    }
    return switch (f) {
      case NCF -> {
        String prefix = ncfPrefix(base);
        if (prefix == null) {
          throw new IllegalArgumentException(
              "an ncf file must be named <name>.train.rating, .test.rating or "
                  + ".test.negative, got "
                  + file.getFileName());
        }
        Path train = find(dir, prefix + ".train.rating");
        if (train == null) {
          throw new IllegalArgumentException(
              "ncf: " + prefix + ".train.rating not found next to " + file);
        }
        yield ncf(dir, prefix, train);
      }
      case LIGHTGCN ->
          base.equals("train.txt") || base.equals("test.txt")
              ? new Source(f, requireFile(dir, "train.txt"), find(dir, "test.txt"), null)
              : new Source(f, file, null, null);
      default -> new Source(f, file, null, null);
    };
  }

  private static Map<DataFormat, List<Source>> candidates(Path dir) throws IOException {
    Map<DataFormat, List<Source>> out = new LinkedHashMap<>();
    List<Path> files = files(dir);
    Path train = find(dir, "train.txt");
    Path test = find(dir, "test.txt");
    boolean lightgcn = train != null && test != null;
    boolean parquet = false;
    for (Path p : files) {
      if (p.getFileName().toString().endsWith(ParquetInteractionReader.SUFFIX)) {
        parquet = true;
        continue;
      }
      String base = base(p.getFileName().toString());
      if (base.endsWith(".train.rating")) {
        add(out, ncf(dir, ncfPrefix(base), p));
      } else if (base.equals("ratings.dat")) {
        add(out, new Source(DataFormat.MOVIELENS_DAT, p, null, null));
      } else if (base.equals("u.data")) {
        add(out, new Source(DataFormat.MOVIELENS_UDATA, p, null, null));
      } else if (base.endsWith(".csv") || base.endsWith(".tsv")) {
        add(out, new Source(DataFormat.DELIMITED, p, null, null));
      } else if (base.endsWith(".txt")
          && !(lightgcn && (base.equals("train.txt") || base.equals("test.txt")))
          && looksLikeSequence(p)) {
        add(out, new Source(DataFormat.SEQUENCE, p, null, null));
      }
    }
    if (lightgcn) {
      add(out, new Source(DataFormat.LIGHTGCN, train, test, null));
    }
    if (parquet) {
      add(out, new Source(DataFormat.PARQUET, dir, null, null));
    }
    return out;
  }

  private static void add(Map<DataFormat, List<Source>> out, Source s) {
    out.computeIfAbsent(s.format(), k -> new ArrayList<>()).add(s);
  }

  private static Source ncf(Path dir, String prefix, Path train) throws IOException {
    Path test = find(dir, prefix + ".test.rating");
    Path negatives = test == null ? null : find(dir, prefix + ".test.negative");
    return new Source(DataFormat.NCF, train, test, negatives);
  }

  private static String ncfPrefix(String base) {
    for (String suffix : new String[] {".train.rating", ".test.rating", ".test.negative"}) {
      if (base.endsWith(suffix)) {
        return base.substring(0, base.length() - suffix.length());
      }
    }
    return null;
  }

  /** The file named {@code name} or {@code name.gz} in {@code dir}, or null. */
  static Path find(Path dir, String name) {
    if (dir == null) {
      return null;
    }
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(name + ".gz");
    return Files.isRegularFile(gz) ? gz : null;
  }

  private static Path requireFile(Path dir, String name) {
    Path p = find(dir, name);
    if (p == null) {
      throw new IllegalArgumentException(name + " not found in " + dir);
    }
    return p;
  }

  /** The name without a trailing ".gz". */
  static String base(String name) {
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }

  /** True if the first non-blank line is exactly two whitespace-separated non-negative integers. */
  static boolean looksLikeSequence(Path file) throws IOException {
    FieldSplitter splitter = new FieldSplitter(LoadOptions.Delimiter.WHITESPACE, false);
    try (LineReader in = LineReader.open(file)) {
      while (in.next()) {
        if (in.isBlank()) {
          continue;
        }
        byte[] b = in.buffer();
        if (splitter.split(b, in.start(), in.end()) != 2) {
          return false;
        }
        for (int f = 0; f < 2; f++) {
          for (int i = splitter.start(f); i < splitter.end(f); i++) {
            if (b[i] < '0' || b[i] > '9') {
              return false;
            }
          }
        }
        return true;
      }
    }
    return false;
  }

  private static List<Path> files(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  private static String listing(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (Path p : files(dir)) {
      names.add(p.getFileName().toString());
    }
    return names.toString();
  }

  private static String describe(List<Source> sources) {
    StringBuilder sb = new StringBuilder();
    for (Source s : sources) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(s.format().cliName()).append(" (").append(s.train().getFileName());
      if (s.test() != null) {
        sb.append(" + ").append(s.test().getFileName());
      }
      sb.append(')');
    }
    return sb.toString();
  }
}
