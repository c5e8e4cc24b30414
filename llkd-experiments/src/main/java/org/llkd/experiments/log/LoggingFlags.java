package org.llkd.experiments.log;

import org.slf4j.event.Level;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code --verbose} and {@code --quiet}, added (as a picocli mixin) to every {@code llkd} command by
 * {@code LlkdCli.commandLine()}: {@code llkd --quiet run X} and {@code llkd run X --quiet} mean the same. After
 * parsing, {@link #apply(ParseResult)} sets the console threshold ({@link LogLevels}) from the flags matched at any
 * level of the command line; giving both is refused.
 */
public final class LoggingFlags {
  /** Name under which the mixin is registered on each command. */
  public static final String MIXIN = "logging";

  @Option(names = {"-v", "--verbose"}, description = "Show DEBUG lines on the console (run.log always has them).")
  boolean verbose;

  @Option(names = {"-q", "--quiet"}, description = "Show only warnings and errors on the console, and no progress.")
  boolean quiet;

  /** Adds this mixin to {@code cl} and, recursively, to every subcommand that lacks it. */
  public static void addToAll(CommandLine cl) {
    if (!cl.getCommandSpec().mixins().containsKey(MIXIN)) {
      cl.addMixin(MIXIN, new LoggingFlags());
    }
    for (CommandLine sub : cl.getSubcommands().values()) addToAll(sub);
  }

  /** Sets the console level from the flags given anywhere in {@code top} (the whole command line). */
  public static void apply(ParseResult top) {
    boolean verbose = false;
    boolean quiet = false;
    for (ParseResult p = top; p != null; p = p.subcommand()) {
      verbose |= p.hasMatchedOption("--verbose");
      quiet |= p.hasMatchedOption("--quiet");
    }
    if (verbose && quiet) {
      throw new ParameterException(top.commandSpec().commandLine(), "--verbose and --quiet exclude each other: give one");
    }
    LogLevels.setConsole(verbose ? Level.DEBUG : quiet ? Level.WARN : Level.INFO);
  }
}
