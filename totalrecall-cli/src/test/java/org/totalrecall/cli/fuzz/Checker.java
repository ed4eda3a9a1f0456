package org.totalrecall.cli.fuzz;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.totalrecall.cli.FuzzBridge;
import org.totalrecall.cli.Main;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.InteractionFormatException;
import org.totalrecall.data.Interactions;
import org.totalrecall.data.LoadOptions;

/**
 * Runs one fuzzed {@link Sample} through the core API ({@code DataLoader.load}) and, when asked,
 * through {@code totalrecall train}, and compares what happened with the {@link Oracle}. Each
 * broken invariant is a {@link Finding} whose key names the defect class (the symptom, without
 * case-specific values), so that many cases of one bug count as one class.
 */
final class Checker {
  private Checker() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A broken invariant: {@code key} is the defect class, {@code detail} this case's specifics. */
  record Finding(String key, String detail) {}

  /** What the reader did: accepted (report counts) or threw. */
  record Observed(Map<String, Object> report, Throwable error, String cliExit) {
    @Override
    public String toString() {
      if (error != null) {
        return "threw " + error.getClass().getSimpleName() + ": " + error.getMessage();
      }
      return "accepted " + report;
    }
  }

  /** Writes the sample's files into {@code dir} (created, emptied first). */
  static Path write(Sample s, Path dir) throws IOException {
    deleteTree(dir);
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> e : s.files().entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
    return s.reader().target == null ? dir : dir.resolve(s.reader().target);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Loads through the core API and checks the outcome against {@code exp}. */
  static Observed core(Sample s, Path dir, Oracle.Expected exp, List<Finding> findings)
      throws IOException {
    Path target = write(s, dir.resolve("data"));
    Dataset data;
    try {
      data = DataLoader.load(target, s.reader().format, LoadOptions.defaults());
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError v) {
        throw v;
      }
      checkError(t, target.toString(), exp, findings);
      return new Observed(null, t, null);
    }
    Map<String, Object> report = data.report().toMap();
    report.remove("files");
    if (exp.accepts()) {
      compareCounts("", exp.counts(), report, findings);
      checkFiniteWeights(data, findings);
    } else {
      findings.add(new Finding("false accept: " + exp.reason(), "the load succeeded"));
    }
    return new Observed(report, null, null);
  }

  private static void checkError(
      Throwable t, String dataPath, Oracle.Expected exp, List<Finding> findings) {
    String msg = String.valueOf(t.getMessage());
    if (exp.accepts()) {
      findings.add(
          new Finding(
              "false reject: " + t.getClass().getSimpleName() + ": " + normalize(msg),
              "expected accept with " + exp.counts() + "; got " + t));
      return;
    }
    FuzzBridge.Report cli = FuzzBridge.reportLoadFailure(t, dataPath);
    if (cli.exitCode() != 65) {
      findings.add(
          new Finding(
              "error maps to exit "
                  + cli.exitCode()
                  + " ("
                  + t.getClass().getName()
                  + "), not 65, for "
                  + exp.reason(),
              "CLI would print: " + cli.stderr().strip()));
    }
    if (msg.indexOf('\n') >= 0) {
      findings.add(new Finding("error message spans several lines", msg));
    }
    for (Oracle.Loc loc : exp.errors()) {
      if (locates(t, msg, loc)) {
        return;
      }
    }
    findings.add(
        new Finding(
            locationKey(t, msg, exp),
            "expected " + exp.errors() + "; got " + t.getClass().getSimpleName() + ": " + msg));
  }

  /** The defect class of an error reported at the wrong place (or without naming the place). */
  private static String locationKey(Throwable t, String msg, Oracle.Expected exp) {
    Oracle.Loc want = exp.errors().get(exp.errors().size() - 1); // the row error when there are two
    if (t instanceof InteractionFormatException f && f.file() != null) {
      String gotFile = String.valueOf(f.file().getFileName());
      List<String> order =
          List.of("x.train.rating", "x.test.rating", "x.test.negative", "train.txt", "test.txt");
      int wantOrder = order.indexOf(want.file());
      int gotOrder = order.indexOf(gotFile);
      boolean later =
          gotFile.equals(want.file())
              ? want.line() > 0 && f.lineNumber() > want.line()
              : gotOrder > wantOrder;
      boolean earlier =
          gotFile.equals(want.file())
              ? want.line() > 0 && f.lineNumber() < want.line()
              : gotOrder < wantOrder;
      if (later) {
        return "missed " + exp.reason() + " (a later error is reported instead)";
      }
      if (earlier) {
        return "error reported before the line of " + exp.reason();
      }
      return "message does not start with <file>:<line>: for " + exp.reason();
    }
    if (want.line() > 0) {
      return "row error ("
          + exp.reason()
          + ") reported as "
          + t.getClass().getSimpleName()
          + (msg.contains(want.file() + ":" + want.line()) ? "" : " without file:line");
    }
    if (!msg.contains(want.file())) {
      return "error (" + exp.reason() + ") does not name the file";
    }
    return "wrong error for " + exp.reason();
  }

  /**
   * True if the error names {@code loc}: a row error names file and line; a file-level error names
   * the file.
   */
  static boolean locates(Throwable t, String msg, Oracle.Loc loc) {
    if (loc.line() == 0) {
      if (t instanceof InteractionFormatException f && f.file() != null) {
        return String.valueOf(f.file().getFileName()).equals(loc.file());
      }
      return msg.contains(loc.file());
    }
    return t instanceof InteractionFormatException f
        && f.file() != null
        && String.valueOf(f.file().getFileName()).equals(loc.file())
        && f.lineNumber() == loc.line()
        && msg.startsWith(loc.file() + ":" + loc.line() + ": ");
  }

  private static void compareCounts(
      String prefix,
      Map<String, Long> expected,
      Map<String, Object> report,
      List<Finding> findings) {
    TreeSet<String> wrong = new TreeSet<>();
    StringBuilder detail = new StringBuilder();
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      Object got = report.get(e.getKey());
      long value =
          got instanceof Number n
              ? n.longValue()
              : got instanceof JsonNode j ? j.asLong(Long.MIN_VALUE) : Long.MIN_VALUE;
      if (value != e.getValue()) {
        wrong.add(e.getKey());
        detail
            .append(e.getKey())
            .append(" expected ")
            .append(e.getValue())
            .append(" got ")
            .append(got)
            .append("; ");
      }
    }
    if (!wrong.isEmpty()) {
      findings.add(new Finding(prefix + "wrong load report " + wrong, detail.toString()));
    }
  }

  private static void checkFiniteWeights(Dataset data, List<Finding> findings) {
    for (Interactions m : new Interactions[] {data.train(), data.test()}) {
      if (m == null || m.weights() == null) {
        continue;
      }
      for (int p = 0; p < m.size(); p++) {
        if (!Float.isFinite(m.weights()[p]) || !(m.weights()[p] > 0)) {
          findings.add(
              new Finding(
                  "accepted data holds a non-finite or non-positive weight",
                  "weight " + m.weights()[p] + " at position " + p));
          return;
        }
      }
    }
  }

  /** Runs {@code totalrecall train} on the sample and checks exit code, message and model file. */
  static String cli(Sample s, Path dir, Oracle.Expected exp, List<Finding> findings)
      throws IOException {
    Path target = write(s, dir.resolve("data"));
    Path out = dir.resolve("out");
    deleteTree(out);
    Files.createDirectories(out);
    Path model = out.resolve("m.trm");
    String[] args = {
      "train",
      "--data",
      target.toString(),
      "--format",
      s.reader().cliName(),
      "--protocol",
      "none",
      "--dim",
      "4",
      "--epochs",
      "1",
      "--batch-size",
      "16",
      "--threads",
      "1",
      "--seed",
      "1",
      "--model",
      model.toString(),
      "--json",
      "--quiet"
    };
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(o, true, StandardCharsets.UTF_8),
            new PrintStream(e, true, StandardCharsets.UTF_8));
    String stdout = o.toString(StandardCharsets.UTF_8);
    String stderr = e.toString(StandardCharsets.UTF_8);
    List<String> leftovers = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      files.filter(p -> !p.equals(model)).forEach(p -> leftovers.add(p.getFileName().toString()));
    }
    if (!leftovers.isEmpty()) {
      findings.add(
          new Finding(
              "cli: files left next to the model "
                  + (exp.accepts() ? "after success" : "after an error"),
              leftovers + "; exit " + code + ", stderr " + stderr.strip()));
    }
    String summary = "exit " + code + ": " + stderr.strip();
    if (exp.accepts()) {
      if (code != 0) {
        findings.add(
            new Finding(
                "cli: exit " + code + " on data the oracle accepts: " + normalize(stderr.strip()),
                "expected exit 0 with " + exp.counts() + "; got " + summary));
        return summary;
      }
      if (!Files.isRegularFile(model)) {
        findings.add(new Finding("cli: exit 0 but no model written", stdout));
      }
      try {
        JsonNode report = JSON.readTree(stdout).get("loadReport");
        Map<String, Object> m =
            JSON.convertValue(report, new TypeReference<Map<String, Object>>() {});
        compareCounts("cli: ", exp.counts(), m, findings);
      } catch (IOException | RuntimeException ex) {
        findings.add(new Finding("cli: --json output has no load report", stdout));
      }
      return summary;
    }
    if (code == 70) {
      findings.add(new Finding("cli: exit 70 (internal error) for " + exp.reason(), summary));
    } else if (code != 65) {
      findings.add(
          new Finding("cli: exit " + code + " instead of 65 for " + exp.reason(), summary));
    }
    if (Files.exists(model)) {
      findings.add(
          new Finding(
              "cli: model written although the data is bad (" + exp.reason() + ")", summary));
    }
    String[] lines = stderr.lines().toArray(String[]::new);
    if (code != 0 && (lines.length != 1 || !lines[0].startsWith("totalrecall: "))) {
      findings.add(new Finding("cli: error is not one 'totalrecall: ' line", stderr));
    }
    if (code == 65) {
      boolean named = false;
      for (Oracle.Loc loc : exp.errors()) {
        named |=
            loc.line() == 0
                ? stderr.contains(loc.file())
                : stderr.contains(loc.file() + ":" + loc.line() + ": ");
      }
      if (!named) {
        findings.add(
            new Finding(
                "cli: error does not name "
                    + (exp.errors().get(0).line() == 0 ? "the file" : "file:line")
                    + " for "
                    + exp.reason(),
                "expected " + exp.errors() + "; got " + summary));
      }
    }
    return summary;
  }

  /**
   * A message with its case-specific parts (quoted values, numbers, paths) blanked, to key defect
   * classes.
   */
  static String normalize(String msg) {
    String m = msg.replaceAll("/[^ :]*/", "…/");
    m = m.replaceAll("\"[^\"]*\"", "\"…\"");
    m = m.replaceAll("\\d+", "N");
    return m.length() > 140 ? m.substring(0, 140) + "…" : m;
  }
}
