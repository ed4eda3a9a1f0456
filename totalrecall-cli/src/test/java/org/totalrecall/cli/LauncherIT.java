package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./totalrecall} launcher on the packaged jar, as a user runs it from a script: stderr
 * is a pipe, so it carries nothing but the one error line (the JDK's incubator warning filtered, no
 * progress, no usage hint), and the exit codes come through.
 */
class LauncherIT {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run launch(String... args) throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("totalrecall.root", "..")).toAbsolutePath().normalize();
    List<String> command = new ArrayList<>(List.of(root.resolve("totalrecall").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("TOTALRECALL_JAVA_OPTS", "-Xmx512m");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish");
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void aDataErrorIsExactlyOneLineOnStderr() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.write(
        csv,
        new byte[] {
          'u', 's', 'e', 'r', ',', 'i', 't', 'e', 'm', '\n', (byte) 0xff, ',', 'i', '\n'
        });
    Run r = launch("train", "--data", csv.toString(), "--model", dir.resolve("m.trm").toString());
    assertEquals(ExitCodes.DATA, r.code(), r.toString());
    assertEquals("totalrecall: bad.csv:2: line is not valid UTF-8: byte 0xFF at byte 1\n", r.err());
    assertEquals("", r.out());
    assertTrue(Files.notExists(dir.resolve("m.trm")));
  }

  @Test
  void aUsageErrorIsOneLineWithoutTheHintWhenStderrIsNotATerminal() throws Exception {
    Run r = launch("train", "--frobnicate");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("totalrecall: "), r.err());
  }

  @Test
  void successPrintsNothingOnStderrAndTrainingLogsNoProgress() throws Exception {
    Run v = launch("--version");
    assertEquals(0, v.code(), v.toString());
    assertEquals("", v.err(), "the JDK's incubator warning is filtered");
    assertTrue(v.out().startsWith("totalrecall "), v.out());

    Path csv = Files.writeString(dir.resolve("ok.csv"), "user,item\nu1,i1\nu2,i2\nu1,i2\n");
    Run t =
        launch(
            "train",
            "--data",
            csv.toString(),
            "--dim",
            "4",
            "--epochs",
            "1",
            "--model",
            dir.resolve("ok.trm").toString());
    assertEquals(0, t.code(), t.toString());
    assertEquals("", t.err());
    assertTrue(t.out().contains("model written to"), t.out());
  }
}
