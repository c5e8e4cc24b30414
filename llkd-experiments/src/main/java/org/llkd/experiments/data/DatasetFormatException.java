package org.llkd.experiments.data;

import java.nio.file.Path;

/**
 * A data file does not have the format its reader expects. The message reads {@code "<file> line <n>:
 * expected <expected>, found <found>; <fix>"}; the parts are also available separately.
 */
public final class DatasetFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;
  private final String expected;
  private final String found;

  /**
   * @param file     the file being read
   * @param line     1-based line number of the offending line (1 for file-level problems such as an empty file)
   * @param expected what the format requires at that point
   * @param found    what the file holds instead (quoted and shortened where it is file content)
   * @param fix      how to repair the file or the call
   */
  public DatasetFormatException(Path file, long line, String expected, String found, String fix) {
    this(file, line, expected, found, fix, null);
  }

  public DatasetFormatException(Path file, long line, String expected, String found, String fix, Throwable cause) {
    super(file + " line " + line + ": expected " + expected + ", found " + found + "; " + fix, cause);
    this.file = file;
    this.line = line;
    this.expected = expected;
    this.found = found;
  }

  public Path file() {
    return file;
  }

  public long line() {
    return line;
  }

  public String expected() {
    return expected;
  }

  public String found() {
    return found;
  }

  /** Quotes a piece of file content for a message, shortened to at most 80 characters. */
  static String quote(String content) {
    String s = content.length() <= 80 ? content : content.substring(0, 77) + "...";
    return "\"" + s.replace("\t", "\\t") + "\"";
  }
}
