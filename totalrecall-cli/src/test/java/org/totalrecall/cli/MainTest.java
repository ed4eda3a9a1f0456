package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void versionNamesTheBuildTheJdkAndTheKernels() {
    CliRunner.Result r = CliRunner.run("--version");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith("totalrecall 0."), r.out());
    assertTrue(r.out().contains("vector ops: "), r.out());
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : Main.commandNames()) {
      CliRunner.Result r = CliRunner.run(command, "--help");
      assertEquals(0, r.exitCode(), command + ": " + r);
      assertTrue(r.out().contains("Usage: totalrecall " + command), command + ": " + r.out());
    }
  }

  @Test
  void unknownFlagIsAOneLineUsageErrorWithTheHintOnlyAtATerminal() {
    CliRunner.Result r =
        CliRunner.run("recommend", "--model", "m.trm", "--user", "1", "--frobnicate");
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertEquals("totalrecall: Unknown option: '--frobnicate'\n", r.err());
    CliRunner.Result t =
        CliRunner.runAtTerminal("recommend", "--model", "m.trm", "--user", "1", "--frobnicate");
    assertEquals(ExitCodes.USAGE, t.exitCode(), t.toString());
    assertEquals(
        List.of(
            "totalrecall: Unknown option: '--frobnicate'",
            "Try 'totalrecall recommend --help' for more information."),
        t.err().lines().toList());
  }

  @Test
  void missingCommandIsAUsageError() {
    CliRunner.Result r = CliRunner.run();
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertTrue(r.err().contains("missing command"), r.err());
  }

  @Test
  void benchNeedsABenchmarkAndEachHasHelp() {
    CliRunner.Result r = CliRunner.run("bench");
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertTrue(r.err().contains("missing benchmark"), r.err());
    CliRunner.Result noData = CliRunner.run("bench", "train", "--data", "/nonexistent/ml-1m-ncf");
    assertEquals(ExitCodes.NO_INPUT, noData.exitCode(), noData.toString());
    assertTrue(noData.err().contains("ml-1m.train.rating"), noData.err());
    CliRunner.Result help = CliRunner.run("bench", "retrieval", "--help");
    assertEquals(0, help.exitCode(), help.toString());
    assertTrue(help.out().contains("Usage: totalrecall bench retrieval"), help.out());
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertEquals(ExitCodes.USAGE, CliRunner.run("fly").exitCode());
  }

  @Test
  void verboseAddsTheStackTrace() {
    CliRunner.Result quiet =
        CliRunner.run("recommend", "--model", "/nonexistent/m.trm", "--user", "1");
    CliRunner.Result verbose =
        CliRunner.run("recommend", "--model", "/nonexistent/m.trm", "--user", "1", "--verbose");
    assertEquals(ExitCodes.NO_INPUT, quiet.exitCode());
    assertEquals(ExitCodes.NO_INPUT, verbose.exitCode());
    assertEquals(1, quiet.err().lines().count(), quiet.err());
    assertTrue(verbose.err().contains("\tat org.totalrecall.cli."), verbose.err());
  }
}
