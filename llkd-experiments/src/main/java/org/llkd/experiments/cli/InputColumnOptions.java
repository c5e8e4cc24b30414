package org.llkd.experiments.cli;

import org.llkd.experiments.product.TextFileReader;
import picocli.CommandLine.Option;

/** The column and format options shared by the commands that read a user's text file. */
final class InputColumnOptions {
  @Option(names = "--text-column", defaultValue = "text", description = "Column (CSV/TSV header name or JSONL key) holding the text (default: ${DEFAULT-VALUE}).")
  String textColumn;

  @Option(names = "--id-column", description = "Column holding the row id (default: the 0-based row number).")
  String idColumn;

  @Option(names = "--label-column", defaultValue = "label", description = "Column holding the gold label (default: ${DEFAULT-VALUE}).")
  String labelColumn;

  @Option(names = "--input-format", description = "csv, tsv, jsonl or txt (one text per line) (default: from the file extension; txt for stdin).")
  String inputFormat;

  TextFileReader.Columns columns(boolean requireLabel) {
    return new TextFileReader.Columns(textColumn, idColumn, labelColumn, requireLabel);
  }

  TextFileReader.Format format() {
    if (inputFormat == null) return null;
    try {
      return TextFileReader.Format.valueOf(inputFormat.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--input-format: expected csv, tsv, jsonl or txt, found '" + inputFormat + "'");
    }
  }
}
