package org.totalrecall.cli.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seeded fuzz suite of the data readers (issue 10): for every reader, small valid files are
 * mutated ({@link Mutator}: byte flips, insertions, deletions, truncation, deleted and extra
 * fields, wrong types, NaN/Inf/huge/negative numbers, invalid UTF-8, BOM, CRLF and CR endings,
 * blank, empty and header-only files, gzip, gzip members, gzip with a plain tail, truncated and
 * corrupted gzip) and loaded; every case must keep the contract the {@link Oracle} spells out:
 *
 * <ul>
 *   <li>a bad file is refused with an error naming the file and, for a row error, the line the
 *       oracle finds first, which the CLI maps to exit 65 (never 70), on one stderr line;
 *   <li>a good file is accepted with a load report equal to the oracle's own count of its rows;
 *   <li>through {@code totalrecall train} (every {@code cliEvery}-th case on average): exit 0 or 65
 *       as expected, no model file (nor stray {@code .tmp}) after an error.
 * </ul>
 *
 * <p>System properties: {@code totalrecall.fuzz.cases} (per reader, default 400), {@code
 * totalrecall.fuzz.seed}, {@code totalrecall.fuzz.cliEvery} (default 6), {@code
 * totalrecall.fuzz.replay=READER:INDEX} (run and print one case), {@code
 * totalrecall.fuzz.failOnDefects} (default true), {@code totalrecall.fuzz.shrinkBudget}
 * (evaluations spent shrinking each defect class's reproducer, default 150). Prints a per-reader
 * summary and writes it, with every defect class and its reproducer, to {@code
 * target/fuzz-report.txt}. Deterministic for a given seed and case count.
 */
class DataReaderFuzzTest {
  static final long SEED = Long.getLong("totalrecall.fuzz.seed", 20_261_129L);
  static final int CASES = Integer.getInteger("totalrecall.fuzz.cases", 400);
  static final int CLI_EVERY = Math.max(1, Integer.getInteger("totalrecall.fuzz.cliEvery", 6));
  static final String REPLAY = System.getProperty("totalrecall.fuzz.replay", "").trim();
  static final boolean FAIL_ON_DEFECTS =
      Boolean.parseBoolean(System.getProperty("totalrecall.fuzz.failOnDefects", "true"));
  static final int SHRINK_BUDGET = Integer.getInteger("totalrecall.fuzz.shrinkBudget", 150);
  static final Path REPORT =
      Path.of(System.getProperty("totalrecall.fuzz.report", "target/fuzz-report.txt"));

  @TempDir static Path tmp;
  private static final FuzzLog LOG = new FuzzLog();
  private static final long START = System.nanoTime();

  @ParameterizedTest(name = "{0}")
  @EnumSource(Reader.class)
  void mutatedFilesKeepTheContract(Reader reader) throws IOException {
    Path dir = tmp.resolve(reader.name());
    if (!REPLAY.isEmpty()) {
      String[] parts = REPLAY.split(":", -1);
      Assumptions.assumeTrue(parts[0].equalsIgnoreCase(reader.name()), "replaying " + REPLAY);
      replay(reader, Integer.parseInt(parts[1]), dir);
      return;
    }
    for (int i = 0; i < CASES; i++) {
      Made m = make(reader, i);
      StringBuilder observed = new StringBuilder();
      Oracle.Expected exp = expect(m.c());
      List<Checker.Finding> findings = evaluate(m.c().sample(), exp, m.c().viaCli(), dir, observed);
      LOG.record(m.c(), m.kind(), exp, observed.toString(), findings);
    }
    for (FuzzLog.DefectClass d : LOG.classes(reader)) {
      shrink(d, dir);
    }
    if (FAIL_ON_DEFECTS && LOG.hasDefects(reader)) {
      fail(
          "fuzz: "
              + reader.cliName()
              + " breaks the contract (seed "
              + SEED
              + ", "
              + CASES
              + " cases)\n"
              + LOG.report(reader));
    }
  }

  @AfterAll
  static void printSummary() throws IOException {
    if (!REPLAY.isEmpty()) {
      return;
    }
    double seconds = (System.nanoTime() - START) / 1e9;
    String head =
        String.format(
            Locale.ROOT,
            "fuzz summary: seed %d, %d cases per reader, CLI every ~%d, %.1f s%n",
            SEED,
            CASES,
            CLI_EVERY,
            seconds);
    String summary = head + LOG.summary();
    System.out.println(summary);
    StringBuilder full = new StringBuilder(summary).append('\n');
    for (Reader r : Reader.values()) {
      full.append(LOG.report(r)).append('\n');
    }
    if (REPORT.getParent() != null) {
      Files.createDirectories(REPORT.toAbsolutePath().getParent());
    }
    Files.writeString(REPORT, full.toString(), StandardCharsets.UTF_8);
  }

  /** A generated case and its mutation kind. */
  record Made(FuzzLog.Case c, Mutator.Kind kind) {}

  // Case "reader:index" is replayable (FUZZ_REPLAY): its seed and its mutation kind follow from the
  // enum positions, which the replay ids in reports depend on.
  @SuppressWarnings("EnumOrdinal")
  static Made make(Reader reader, int index) {
    SplittableRandom rng = new SplittableRandom(mix(SEED, reader.ordinal(), index));
    Sample base = Corpus.generate(reader, rng);
    Oracle.Expected baseExpected = Oracle.expect(base);
    if (!baseExpected.accepts()) {
      throw new AssertionError(
          "the oracle refuses the generated base file of case "
              + reader
              + ":"
              + index
              + " (a bug of Corpus or Oracle): "
              + baseExpected
              + "\n"
              + base.dump(4000));
    }
    Mutator.Kind kind = Mutator.Kind.values()[index % Mutator.Kind.values().length];
    String file = pickFile(reader, rng);
    Mutator.Result m =
        Mutator.mutate(base.files().get(file), base.delimiters().get(file), kind, rng);
    boolean viaCli = rng.nextInt(CLI_EVERY) == 0;
    return new Made(
        new FuzzLog.Case(
            reader, SEED, index, file + ": " + m.description(), base.with(file, m.bytes()), viaCli),
        kind);
  }

  private static Oracle.Expected expect(FuzzLog.Case c) {
    try {
      return Oracle.expect(c.sample());
    } catch (RuntimeException e) {
      throw new AssertionError(
          "the oracle failed on case "
              + c.id()
              + " (a bug of the oracle)\n"
              + c.sample().dump(4000),
          e);
    }
  }

  private static String pickFile(Reader reader, SplittableRandom rng) {
    int r = rng.nextInt(10);
    return switch (reader) {
      case NCF -> reader.files.get(r < 4 ? 0 : r < 7 ? 1 : 2);
      case LIGHTGCN -> reader.files.get(r < 6 ? 0 : 1);
      default -> reader.files.get(0);
    };
  }

  /** SplitMix64 of (seed, reader, index): independent random streams per case. */
  static long mix(long seed, int reader, int index) {
    long z =
        seed * 0x9E3779B97F4A7C15L
            + (reader + 1L) * 0xBF58476D1CE4E5B9L
            + (index + 1L) * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static List<Checker.Finding> evaluate(
      Sample s, Oracle.Expected exp, boolean viaCli, Path dir, StringBuilder observed)
      throws IOException {
    List<Checker.Finding> findings = new ArrayList<>();
    observed.append(Checker.core(s, dir, exp, findings));
    if (viaCli) {
      observed.append("; CLI ").append(Checker.cli(s, dir, exp, findings));
    }
    return findings;
  }

  private static void replay(Reader reader, int index, Path dir) throws IOException {
    Made m = make(reader, index);
    Oracle.Expected exp = expect(m.c());
    StringBuilder observed = new StringBuilder();
    List<Checker.Finding> findings = evaluate(m.c().sample(), exp, true, dir, observed);
    StringBuilder sb =
        new StringBuilder("replay of " + m.c().id() + ", mutation " + m.c().mutation() + "\n");
    sb.append(m.c().sample().dump(100_000));
    sb.append("expected: ").append(exp).append('\n');
    sb.append("observed: ").append(observed).append('\n');
    for (Checker.Finding f : findings) {
      sb.append("FINDING ").append(f.key()).append("\n    ").append(f.detail()).append('\n');
    }
    System.out.println(sb);
    if (!findings.isEmpty()) {
      fail(sb.toString());
    }
  }

  /**
   * Shrinks the smallest reproducer of a defect class: deletes whole lines, then single bytes
   * (plain files only), keeping every deletion after which the class's finding still occurs.
   */
  @SuppressWarnings(
      "ReferenceEquality") // "did any deletion stick": the very sample object, not an equal one
  private static void shrink(FuzzLog.DefectClass d, Path dir) throws IOException {
    boolean viaCli = d.key.startsWith("cli:");
    Sample cur = d.smallest.sample();
    int[] budget = {SHRINK_BUDGET};
    for (String name : cur.files().keySet()) {
      if (Gzip.isGzip(cur.files().get(name))) {
        continue;
      }
      boolean progress = true;
      while (progress && budget[0] > 0) {
        progress = false;
        List<byte[]> lines = splitKeepingNewlines(cur.files().get(name));
        for (int k = lines.size() - 1; k >= 0 && budget[0] > 0; k--) {
          List<byte[]> fewer = new ArrayList<>(lines);
          fewer.remove(k);
          Sample candidate = cur.with(name, join(fewer));
          if (stillFails(candidate, d.key, viaCli, dir, budget)) {
            cur = candidate;
            lines = fewer;
            progress = true;
          }
        }
      }
    }
    for (String name : cur.files().keySet()) {
      byte[] b = cur.files().get(name);
      if (Gzip.isGzip(b) || viaCli) {
        continue;
      }
      for (int p = b.length - 1; p >= 0 && budget[0] > 0; p--) {
        byte[] fewer = new byte[b.length - 1];
        System.arraycopy(b, 0, fewer, 0, p);
        System.arraycopy(b, p + 1, fewer, p, b.length - p - 1);
        Sample candidate = cur.with(name, fewer);
        if (stillFails(candidate, d.key, viaCli, dir, budget)) {
          cur = candidate;
          b = fewer;
        }
      }
    }
    if (cur != d.smallest.sample()) {
      d.shrunk = cur;
      StringBuilder observed = new StringBuilder();
      Oracle.Expected exp = Oracle.expect(cur);
      evaluate(cur, exp, viaCli, dir, observed);
      d.shrunkDetail = "expected " + exp + "; observed " + observed;
    }
  }

  private static boolean stillFails(
      Sample candidate, String key, boolean viaCli, Path dir, int[] budget) throws IOException {
    budget[0]--;
    Oracle.Expected exp = Oracle.expect(candidate);
    for (Checker.Finding f : evaluate(candidate, exp, viaCli, dir, new StringBuilder())) {
      if (f.key().equals(key)) {
        return true;
      }
    }
    return false;
  }

  private static List<byte[]> splitKeepingNewlines(byte[] b) {
    List<byte[]> out = new ArrayList<>();
    int s = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n') {
        out.add(Arrays.copyOfRange(b, s, i + 1));
        s = i + 1;
      }
    }
    if (s < b.length) {
      out.add(Arrays.copyOfRange(b, s, b.length));
    }
    return out;
  }

  private static byte[] join(List<byte[]> parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
