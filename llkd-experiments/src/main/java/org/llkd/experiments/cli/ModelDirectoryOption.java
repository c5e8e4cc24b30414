package org.llkd.experiments.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model}: the model directory that {@code predict}, {@code evaluate}, {@code serve} and {@code export onnx} read. */
final class ModelDirectoryOption {
  @Option(names = "--model", required = true, paramLabel = "<model>", description = "Model directory (OUT/model of llkd train).")
  Path dir;
}
