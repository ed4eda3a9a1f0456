package org.totalrecall.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Runs {@link Main#run} in-process and captures its exit code, stdout and stderr. */
final class CliRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CliRunner() {}

  /** The outcome of one command line. */
  record Result(int exitCode, String out, String err) {
    /** stdout parsed as one JSON document. */
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException("stdout is not JSON:\n" + out + "\nstderr:\n" + err, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs with stderr not a terminal (a log or a pipe): no progress, one-line errors. */
  static Result run(String... args) {
    return run(false, args);
  }

  /** Runs as if stderr were a terminal: progress lines and the usage hint are printed. */
  static Result runAtTerminal(String... args) {
    return run(true, args);
  }

  private static Result run(boolean terminal, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            terminal);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
