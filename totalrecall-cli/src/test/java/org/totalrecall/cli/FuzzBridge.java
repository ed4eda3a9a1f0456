package org.totalrecall.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Test-side access to the CLI's error mapping for the fuzz suite ({@code
 * org.totalrecall.cli.fuzz}): which exit code and which stderr line the CLI gives a core-API
 * exception, so that every fuzz case (not only the subset run through {@link Main#run}) is checked
 * against the exit-code contract.
 */
public final class FuzzBridge {
  private FuzzBridge() {}

  /**
   * What {@code totalrecall train} prints and returns for an exception thrown by {@code
   * DataLoader.load}.
   */
  public record Report(int exitCode, String stderr) {}

  /**
   * The CLI's report of a load failure: {@link DataOptions#load()} turns an
   * IllegalArgumentException into a data error (exit 65) prefixed with the data path; everything
   * else goes to {@link Main#report}.
   */
  public static Report reportLoadFailure(Throwable t, String dataPath) {
    Throwable shown =
        t instanceof IllegalArgumentException e
            ? CliException.data(dataPath + ": " + e.getMessage())
            : t;
    StringWriter sw = new StringWriter();
    int code = Main.report(shown, new PrintWriter(sw), false);
    return new Report(code, sw.toString());
  }
}
