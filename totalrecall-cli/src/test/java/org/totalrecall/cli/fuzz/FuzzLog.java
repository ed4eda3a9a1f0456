package org.totalrecall.cli.fuzz;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tally of a fuzz run: per reader, the cases run, how many ended in a clean error or in an
 * accepted load with correct counts, how many broke an invariant; and per defect class (reader and
 * finding key) its count and its smallest reproducer.
 */
final class FuzzLog {
  /** Per-reader figures. */
  static final class Stats {
    int cases;
    int cliCases;
    int cleanErrors;
    int acceptedCorrect;
    int defectCases;
    final Map<Mutator.Kind, Integer> defectsByKind = new EnumMap<>(Mutator.Kind.class);
  }

  /** One case, enough to print and replay it. */
  record Case(Reader reader, long seed, int index, String mutation, Sample sample, boolean viaCli) {
    String id() {
      return reader.name() + ":" + index + " (seed " + seed + ")";
    }
  }

  /** A defect class: every case whose findings include {@code key}, for one reader. */
  static final class DefectClass {
    final Reader reader;
    final String key;
    int count;
    Case smallest;
    String expected;
    String observed;
    String detail;
    Sample shrunk;
    String shrunkDetail;

    DefectClass(Reader reader, String key) {
      this.reader = reader;
      this.key = key;
    }
  }

  private final Map<Reader, Stats> stats = new EnumMap<>(Reader.class);
  private final Map<String, DefectClass> classes = new LinkedHashMap<>();

  synchronized Stats stats(Reader r) {
    return stats.computeIfAbsent(r, k -> new Stats());
  }

  synchronized void record(
      Case c,
      Mutator.Kind kind,
      Oracle.Expected exp,
      String observed,
      List<Checker.Finding> findings) {
    Stats s = stats(c.reader());
    s.cases++;
    if (c.viaCli()) {
      s.cliCases++;
    }
    if (!findings.isEmpty()) {
      s.defectCases++;
      s.defectsByKind.merge(kind, 1, Integer::sum);
    } else if (exp.accepts()) {
      s.acceptedCorrect++;
    } else {
      s.cleanErrors++;
    }
    for (Checker.Finding f : findings) {
      DefectClass d =
          classes.computeIfAbsent(
              c.reader().name() + "|" + f.key(), k -> new DefectClass(c.reader(), f.key()));
      d.count++;
      if (d.smallest == null || c.sample().totalBytes() < d.smallest.sample().totalBytes()) {
        d.smallest = c;
        d.expected = exp.toString();
        d.observed = observed;
        d.detail = f.detail();
      }
    }
  }

  synchronized List<DefectClass> classes(Reader r) {
    List<DefectClass> out = new ArrayList<>();
    for (DefectClass d : classes.values()) {
      if (d.reader == r) {
        out.add(d);
      }
    }
    return out;
  }

  synchronized boolean hasDefects(Reader r) {
    return !classes(r).isEmpty();
  }

  /** The per-reader table: cases, clean errors, accepted with correct counts, defects. */
  synchronized String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-16s %7s %7s %12s %17s %12s %14s%n",
            "reader",
            "cases",
            "via CLI",
            "clean errors",
            "accepted+correct",
            "defect cases",
            "defect classes"));
    for (Map.Entry<Reader, Stats> e : stats.entrySet()) {
      Stats s = e.getValue();
      sb.append(
          String.format(
              Locale.ROOT,
              "%-16s %7d %7d %12d %17d %12d %14d%n",
              e.getKey().cliName(),
              s.cases,
              s.cliCases,
              s.cleanErrors,
              s.acceptedCorrect,
              s.defectCases,
              classes(e.getKey()).size()));
    }
    return sb.toString();
  }

  /** Every defect class of {@code r} with its count and reproducer (shrunk when available). */
  synchronized String report(Reader r) {
    StringBuilder sb = new StringBuilder();
    List<DefectClass> list = classes(r);
    sb.append(r.cliName()).append(": ").append(list.size()).append(" defect class(es)\n");
    Stats s = stats(r);
    if (!s.defectsByKind.isEmpty()) {
      sb.append("  defect cases by mutation: ").append(s.defectsByKind).append('\n');
    }
    for (DefectClass d : list) {
      sb.append("- [").append(d.count).append(" case(s)] ").append(d.key).append('\n');
      sb.append("    case ")
          .append(d.smallest.id())
          .append(", mutation ")
          .append(d.smallest.mutation())
          .append(d.smallest.viaCli() ? ", via CLI" : "")
          .append('\n');
      sb.append("    replay: -Dtotalrecall.fuzz.seed=")
          .append(d.smallest.seed())
          .append(" -Dtotalrecall.fuzz.replay=")
          .append(r.name())
          .append(':')
          .append(d.smallest.index())
          .append('\n');
      sb.append("    expected: ").append(d.expected).append('\n');
      sb.append("    observed: ").append(d.observed).append('\n');
      sb.append("    detail: ").append(d.detail).append('\n');
      if (d.shrunk != null) {
        sb.append("    minimal reproducer (")
            .append(d.shrunkDetail)
            .append("):\n")
            .append(d.shrunk.dump(600));
      } else {
        sb.append("    files:\n").append(d.smallest.sample().dump(600));
      }
    }
    return sb.toString();
  }
}
