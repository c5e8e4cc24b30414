package org.llkd.experiments.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Set;
import org.llkd.models.NativeBuild;
import org.llkd.experiments.log.LoggingFlags;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code llkd} command. Subcommands are groups ({@code teacher}, later {@code run}, {@code sweep});
 * to add one, write a picocli {@code @Command} class in this package and add it to {@code subcommands}
 * below (or call {@code commandLine().addSubcommand(...)}). {@link #commandLine()} is what {@code main}
 * and the tests execute, so error handling is the same everywhere: a bad argument or refused action
 * prints {@code llkd: <message>} and exits 2; an unexpected failure prints the stack trace and exits 1.
 */
@Command(
    name = "llkd",
    mixinStandardHelpOptions = true,
    versionProvider = LlkdCli.Version.class,
    description = "LLKD-J: knowledge distillation from (stand-in) LLM teachers with adaptive data selection.",
    subcommands = {TeacherCommand.class, ReportCommand.class, CommandLine.HelpCommand.class})
public final class LlkdCli implements Runnable {
  /** Exit code for a refused action or invalid argument value (picocli uses 2 for usage errors too). */
  public static final int EXIT_INVALID = 2;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    // No subcommand given: show what there is.
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line (exception handling included); use it in main and in tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new LlkdCli());
    cl.addSubcommand("run", RunCommand.create());
    cl.addSubcommand("sweep", new SweepCommand());
    cl.addSubcommand("train", new TrainCommand());
    cl.addSubcommand("predict", new PredictCommand());
    cl.addSubcommand("evaluate", new EvaluateCommand());
    cl.addSubcommand("export", new ExportCommand());
    cl.addSubcommand("serve", new ServeCommand());
    LoggingFlags.addToAll(cl); // --verbose / --quiet on every command (docs/logging.md)
    cl.setExecutionStrategy(parseResult -> {
      LoggingFlags.apply(parseResult);
      return new CommandLine.RunLast().execute(parseResult);
    });
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      PrintWriter err = cmd.getErr();
      if (ex instanceof IllegalArgumentException) {
        err.println("llkd: " + ex.getMessage());
        err.flush();
        return EXIT_INVALID;
      }
      err.println("llkd: " + ex);
      ex.printStackTrace(err);
      err.flush();
      return 1;
    });
    return cl;
  }

  public static void main(String[] args) {
    // DJL would call the EC2 metadata endpoint when creating a tokenizer (DEPENDENCIES.md, pitfall 1).
    System.setProperty("ai.djl.offline", "true");
    if (args.length > 0 && RUNS.contains(args[0])) {
      printNativeBuild(System.err);
    }
    System.exit(commandLine().execute(args));
  }

  /** Subcommands that compute (and load ND4J); help, --version and usage errors print no build line. */
  private static final Set<String> RUNS = Set.of("run", "sweep", "teacher");

  /**
   * Prints which nd4j-native build was loaded (docs/performance.md); a build other than the requested one ends the
   * run here with exit code 2 and the reason.
   */
  static void printNativeBuild(PrintStream err) {
    try {
      err.println("llkd: " + NativeBuild.loaded().describe());
    } catch (IllegalStateException e) {
      err.println("llkd: " + e.getMessage());
      System.exit(EXIT_INVALID);
    }
  }

  /** Version from the jar manifest, or "development build" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LlkdCli.class.getPackage().getImplementationVersion();
      return new String[] {"llkd " + (v != null ? v : "(development build, no jar manifest)")};
    }
  }
}
