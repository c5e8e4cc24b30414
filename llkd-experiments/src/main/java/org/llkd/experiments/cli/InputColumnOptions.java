package org.llkd.experiments.cli;

import org.llkd.experiments.product.TextFileReader;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The column and format options of the commands that read a user's text file with (optional) gold labels. */
final class InputColumnOptions {
  @Mixin TextColumnOptions text = new TextColumnOptions();

  @Option(names = "--label-column", defaultValue = "label", description = "Column holding the gold label (default: ${DEFAULT-VALUE}).")
  String labelColumn;

  TextFileReader.Columns columns(boolean requireLabel) {
    return new TextFileReader.Columns(text.textColumn, text.idColumn, labelColumn, requireLabel, text.autoId());
  }

  TextFileReader.Format format() {
    return text.format();
  }
}
