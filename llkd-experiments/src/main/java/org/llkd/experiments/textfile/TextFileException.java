package org.llkd.experiments.textfile;

import java.nio.file.Path;
import org.llkd.models.io.StrictUtf8Reader.MalformedUtf8Exception;

/**
 * A text file (a dataset split, a labels file, a user's train/test/input file) that does not have the format its
 * reader expects. One exception for every text reader; the message reads
 * {@code "<file> <where>: expected <expected>, found <found>[; <fix>]"}, where {@code <where>} is {@code "line 7"},
 * {@code "row 3 (line 5)"}, {@code "line 1 (header)"} or empty for the file as a whole; the parts are also available
 * one by one. An {@link IllegalArgumentException}: bad input, so the CLI prints it as one line {@code llkd: <message>}
 * and exits 2, and a run grid stops instead of recording every run as failed.
 */
public final class TextFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String where;
  private final long line;
  private final String expected;
  private final String found;
  private final String fix;

  /**
   * @param file     the file being read (as the user named it), or a stream's name such as {@code <stdin>}
   * @param where    the place in the file ({@code "line 7"}, {@code "row 3 (line 5)"}), or empty for the whole file
   * @param line     1-based line of that place, or 0 when the error is about the whole file
   * @param expected what the format requires there
   * @param found    what the file holds instead (file content quoted, see {@link #quote})
   * @param fix      how to repair the file or the call, or null when expected/found say it
   */
  public TextFileException(String file, String where, long line, String expected, String found, String fix,
      Throwable cause) {
    super(file + (where.isEmpty() ? "" : " " + where) + ": expected " + expected + ", found " + found
        + (fix == null ? "" : "; " + fix), cause);
    this.file = file;
    this.where = where;
    this.line = line;
    this.expected = expected;
    this.found = found;
    this.fix = fix;
  }

  /** An error on line {@code line} of {@code file}: {@code "<file> line <line>: expected ..., found ...; <fix>"}. */
  public static TextFileException atLine(Path file, long line, String expected, String found, String fix) {
    return atLine(file.toString(), line, expected, found, fix, null);
  }

  public static TextFileException atLine(String file, long line, String expected, String found, String fix,
      Throwable cause) {
    return new TextFileException(file, "line " + line, line, expected, found, fix, cause);
  }

  /** An error in data row {@code row} (0-based, header excluded) that starts on line {@code line}. */
  public static TextFileException atRow(String file, long row, long line, String expected, String found) {
    return new TextFileException(file, "row " + row + " (line " + line + ")", line, expected, found, null, null);
  }

  /** An error on the header line (line 1). */
  public static TextFileException atHeader(String file, String expected, String found) {
    return new TextFileException(file, "line 1 (header)", 1, expected, found, null, null);
  }

  /** An error about the file as a whole (missing, no rows, unknown extension). */
  public static TextFileException inFile(String file, String expected, String found) {
    return new TextFileException(file, "", 0, expected, found, null, null);
  }

  /** Malformed UTF-8, at the line of its first bad byte: the one message for it in every text file. */
  public static TextFileException invalidUtf8(String file, MalformedUtf8Exception e) {
    return atLine(file, e.line(), "UTF-8 text",
        String.format("invalid UTF-8 byte 0x%02X at byte offset %d", e.firstByte(), e.byteOffset()),
        "re-encode the file as UTF-8 (e.g. iconv -f <source-encoding> -t UTF-8)", e);
  }

  /** The file as named in the message. */
  public String file() { return file; }

  /** The place in the file as named in the message ({@code "line 7"}, {@code "row 3 (line 5)"}), or empty. */
  public String where() { return where; }

  /** 1-based line of the error, or 0 for the file as a whole. */
  public long line() { return line; }

  public String expected() { return expected; }

  public String found() { return found; }

  /** How to repair it, or null. */
  public String fix() { return fix; }

  /** Quotes a piece of file content for a message, shortened to at most 80 characters, TABs shown as {@code \t}. */
  public static String quote(String content) {
    String s = content.length() <= 80 ? content : content.substring(0, 77) + "...";
    return "\"" + s.replace("\t", "\\t") + "\"";
  }
}
