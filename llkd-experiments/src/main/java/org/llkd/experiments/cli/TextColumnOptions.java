package org.llkd.experiments.cli;

import org.llkd.experiments.product.TextFileReader;
import picocli.CommandLine.Option;

/**
 * Where the text and the id are in a user's text file, and its format: shared (as a picocli mixin) by every command
 * that reads one. {@link InputColumnOptions} adds {@code --label-column} for the commands that read gold labels;
 * {@code teacher label} takes this one alone, as it never reads a label.
 */
final class TextColumnOptions {
  @Option(names = "--text-column", defaultValue = "text", description = "Column (CSV/TSV header name or JSONL key) holding the text (default: ${DEFAULT-VALUE}).")
  String textColumn;

  @Option(names = "--id-column", description = "Column holding the row id (default: a column named exactly 'id' when "
      + "the file has one, else the 0-based row number).")
  String idColumn;

  @Option(names = "--no-id-column", description = "Ignore a column named 'id': the ids are the 0-based row numbers.")
  boolean noIdColumn;

  @Option(names = "--input-format", description = "csv, tsv, jsonl or txt (one text per line) (default: from the file extension; txt for stdin).")
  String inputFormat;

  /** Whether a column named 'id' is used without --id-column (not with --no-id-column); refuses both flags at once. */
  boolean autoId() {
    if (noIdColumn && idColumn != null) {
      throw new IllegalArgumentException("--id-column " + idColumn + " and --no-id-column exclude each other");
    }
    return !noIdColumn;
  }

  /**
   * The id column of {@code input}: --id-column's, else 'id' when the file has that column (and not --no-id-column),
   * else null (row numbers). For the commands that pass the column on by name ({@code teacher label}).
   */
  String idColumnOf(String input) {
    if (!autoId() || idColumn != null || "-".equals(input)) return idColumn;
    return TextFileReader.idColumnOf(input, format(), new TextFileReader.Columns(textColumn, null, null, false, true));
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
