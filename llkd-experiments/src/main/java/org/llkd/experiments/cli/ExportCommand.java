package org.llkd.experiments.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code llkd export}: export formats of a model directory ({@code onnx}). */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export a trained model directory to another format.",
    subcommands = {ExportOnnxCommand.class})
public final class ExportCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
