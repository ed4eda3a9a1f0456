package org.totalrecall.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Properties;
import org.totalrecall.data.InteractionFormatException;
import org.totalrecall.eval.TestLeakageException;
import org.totalrecall.io.ModelFormatException;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code totalrecall} command: parses the command line with picocli, runs one
 * subcommand, and maps every failure to one line on stderr ({@code totalrecall: <message>}) and a
 * sysexits exit code ({@link ExitCodes}); stack traces only with {@code --verbose}. {@link #run}
 * does all of it in-process with caller-supplied streams (for tests); only {@link #main} calls
 * {@code System.exit}.
 */
@Command(
    name = "totalrecall",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Learns user and item embeddings from implicit feedback and retrieves both ways: "
          + "items for a user (u2i) and users for an item or a group of items (i2u)."
    },
    subcommands = {
      TrainCommand.class,
      EvaluateCommand.class,
      RecommendCommand.class,
      AudienceCommand.class,
      SimilarCommand.class,
      IndexCommand.class,
      AudienceAllCommand.class,
      RecommendAllCommand.class,
      ExportCommand.class,
      ReportCommand.class,
      TuneCommand.class,
      ReproduceCommand.class,
      ServeCommand.class,
      DiagnoseSamplerCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 training diverged, 64 usage error, 65 bad data, bad model",
      "file, unknown id or test leakage, 66 input missing, 70 internal error,",
      "73 cannot create the output file, 74 I/O error."
    })
public final class Main implements Runnable {
  @Spec CommandSpec spec;

  /**
   * Set by the launcher: whether the process's stderr is a terminal (it pipes stderr through a
   * filter).
   */
  static final String STDERR_TERMINAL_PROPERTY = "totalrecall.stderr.terminal";

  /**
   * Set by the launcher: its pid; the JVM halts if the launcher dies (e.g. kill -9), as with exec.
   */
  static final String LAUNCHER_PID_PROPERTY = "totalrecall.launcher.pid";

  private final PrintStream errStream;
  private final boolean errTerminal;

  private Main(PrintStream errStream, boolean errTerminal) {
    this.errStream = errStream;
    this.errTerminal = errTerminal;
  }

  /** The raw stderr of this run, for the progress bar (which needs a PrintStream). */
  PrintStream errStream() {
    return errStream;
  }

  /**
   * Whether stderr is an interactive terminal: progress (load reports, epoch lines, the bar) is
   * printed only then, so that a log or a pipe gets nothing but warnings and the error line.
   */
  boolean errTerminal() {
    return errTerminal;
  }

  /**
   * Whether {@code err} is the process's stderr and that is a terminal (the launcher's word, else
   * the console's).
   */
  @SuppressWarnings("ReferenceEquality") // the very stream of the process, not an equal one
  static boolean isTerminal(PrintStream err) {
    if (err != System.err) {
      return false;
    }
    String said = System.getProperty(STDERR_TERMINAL_PROPERTY);
    if (said != null) {
      return Boolean.parseBoolean(said);
    }
    // null when the process has no console at all (started detached, without a terminal)
    java.io.Console console = System.console();
    return console != null && console.isTerminal();
  }

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On error, print the stack trace as well as the message.")
  boolean verbose;

  /** Runs the command line and exits the process with its exit code. */
  public static void main(String[] args) {
    haltWithLauncher();
    System.exit(run(args, System.out, System.err));
  }

  /**
   * The launcher runs the JVM as a child (to filter the JDK's incubator warning from stderr) rather
   * than exec'ing it; if the launcher is killed, this JVM halts too, as an exec'd one would have
   * died. A model being written then is left as a temporary file, which the next write of that
   * model removes; the previous model is untouched.
   */
  private static void haltWithLauncher() {
    String pid = System.getProperty(LAUNCHER_PID_PROPERTY);
    if (pid == null) {
      return;
    }
    try {
      ProcessHandle.of(Long.parseLong(pid))
          .ifPresentOrElse(
              h -> {
                var _ =
                    h.onExit()
                        .thenRun(() -> Runtime.getRuntime().halt(ExitCodes.KILLED_WITH_LAUNCHER));
              },
              () -> Runtime.getRuntime().halt(ExitCodes.KILLED_WITH_LAUNCHER));
    } catch (NumberFormatException e) {
      // not a pid: not started by our launcher
    }
  }

  /**
   * Runs one command line in-process: output goes to {@code out}, messages and errors to {@code
   * err}; returns the exit code ({@link ExitCodes}) instead of exiting. Never throws for a failure
   * of the command itself.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, isTerminal(err));
  }

  /**
   * As {@link #run(String[], PrintStream, PrintStream)}, saying whether {@code err} is a terminal
   * (tests).
   */
  static int run(String[] args, PrintStream out, PrintStream err, boolean errTerminal) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    boolean verbose = false;
    for (String a : args) {
      if (a.equals("--")) {
        break;
      }
      verbose |= a.equals("--verbose");
    }
    final boolean showStack = verbose;
    final boolean terminal = errTerminal;
    CommandLine cl = new CommandLine(new Main(err, terminal));
    MethodOptions.addTo(cl.getSubcommands().get("train").getCommandSpec());
    cl.setOut(o);
    cl.setErr(e);
    cl.setParameterExceptionHandler(
        (ex, argv) -> {
          e.println("totalrecall: " + oneLine(ex.getMessage()));
          if (terminal) { // one line in a log or a pipe; the hint only for a person at a terminal
            String name = ex.getCommandLine().getCommandSpec().qualifiedName();
            e.println("Try '" + name + " --help' for more information.");
          }
          e.flush();
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, e, showStack));
    int code;
    try {
      code = cl.execute(args);
    } catch (RuntimeException | Error ex) { // picocli rethrows what its handlers throw
      code = report(ex, e, showStack);
    }
    o.flush();
    e.flush();
    return code;
  }

  /**
   * Prints the one-line message of {@code ex} (and its stack trace if asked) and returns its exit
   * code.
   */
  static int report(Throwable ex, PrintWriter err, boolean showStack) {
    Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    int code;
    String message;
    switch (t) {
      case CliException c -> {
        code = c.exitCode();
        message = c.getMessage();
      }
      case InteractionFormatException f -> {
        code = ExitCodes.DATA;
        message = f.getMessage();
      }
      case TestLeakageException l -> {
        code = ExitCodes.DATA;
        message = "refusing to evaluate: " + l.getMessage();
      }
      case TrainingDivergedException d -> {
        code = ExitCodes.TRAINING_DIVERGED;
        message = d.getMessage();
      }
      case org.totalrecall.train.Checkpoint.CheckpointException c -> {
        code = ExitCodes.DATA;
        message = "bad checkpoint " + c.getMessage();
      }
      case ModelFormatException m -> {
        code = ExitCodes.DATA;
        message = "bad model file " + m.getMessage();
      }
      case NoSuchFileException n -> {
        code = ExitCodes.NO_INPUT;
        message =
            "no such file or directory: "
                + n.getFile()
                + (n.getReason() == null ? "" : " (" + n.getReason() + ")");
      }
      case FileNotFoundException f -> {
        code = ExitCodes.NO_INPUT;
        message = "cannot open " + f.getMessage();
      }
      case AccessDeniedException a -> {
        code = ExitCodes.IO;
        message = "permission denied: " + a.getFile();
      }
      case IOException io -> {
        code = ExitCodes.IO;
        message = "I/O error: " + io.getMessage();
      }
      case OutOfMemoryError oom -> {
        code = ExitCodes.INTERNAL;
        message = "out of memory; give the JVM more heap, e.g. TOTALRECALL_JAVA_OPTS=-Xmx16g";
      }
      default -> {
        code = ExitCodes.INTERNAL;
        message =
            "internal error: " + t + (showStack ? "" : " (run with --verbose for the stack trace)");
      }
    }
    err.println("totalrecall: " + oneLine(message));
    if (showStack) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** {@code message} on one line: line breaks become "; ". */
  static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  /** The names of the subcommands, in the order of the help (without picocli's {@code help}). */
  static java.util.List<String> commandNames() {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (String n : new CommandLine(new Main(System.err, false)).getSubcommands().keySet()) {
      if (!n.equals("help")) {
        names.add(n);
      }
    }
    return names;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "missing command: one of " + String.join(", ", spec.subcommands().keySet()));
  }

  /** {@code --version}: the build's version, the JDK, and the vector kernels in use. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "totalrecall " + version(),
        "JDK " + Runtime.version() + ", vector ops: " + VectorOps.best().name()
      };
    }
  }

  /** The version of this build, from the filtered resource {@code version.properties}. */
  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
