package org.llkd.experiments.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --labels} of the commands that read a teacher file ({@code train}, {@code teacher check}): optional, as the
 * teacher file names its labels. ({@code teacher label} and {@code teacher plan} take a required {@code --labels}
 * that defines the labels instead.)
 */
final class LabelNamesOption {
  @Option(names = "--labels", paramLabel = "<labels>", description = "Label names, one per line, in the teacher's column order (default: the teacher file's label names).")
  Path file;
}
