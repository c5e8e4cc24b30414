package org.llkd.experiments.cli;

import org.llkd.experiments.exp.Experiment;
import org.llkd.experiments.exp.ExperimentMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code llkd run <Name> [--quick|--full|--tiny] [--seeds N] [--dataset D] ...}: one subcommand per
 * experiment class, with exactly the flags its {@code main()} takes from the IDE.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a paper experiment (table or figure) into results/<Name>/; see `llkd run <Name> --help`.")
public final class RunCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The {@code run} command with every experiment attached. */
  static CommandLine create() {
    CommandLine run = new CommandLine(new RunCommand());
    for (Experiment e : ExperimentMain.all()) run.addSubcommand(e.name(), ExperimentMain.commandLine(e));
    return run;
  }
}
