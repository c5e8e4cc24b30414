package org.llkd.experiments.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code llkd teacher}: the stand-in teacher commands ({@code export}, {@code report}). */
@Command(
    name = "teacher",
    mixinStandardHelpOptions = true,
    description = "Teachers: export stand-in teacher probabilities for a dataset; build the teachers/README.md table; check your own teacher file against your train file; label a file with your own LLM endpoint; plan which rows to send to it.",
    subcommands = {TeacherExportCommand.class, TeacherReportCommand.class, TeacherCheckCommand.class,
        TeacherLabelCommand.class, TeacherPlanCommand.class})
public final class TeacherCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
