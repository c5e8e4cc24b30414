package org.llkd.experiments.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.llkd.models.io.AtomicFiles;

/**
 * The project's CSV dialect and its reader and writer, on Apache Commons CSV: RFC 4180, {@code \n} between records,
 * a cell quoted only when it must be (it holds a comma, a quote or a line break; Commons CSV also quotes an empty first
 * cell and a cell starting with a space or {@code #}, so that they read back the same).
 */
public final class Csv {
  /** Writing and reading format. Blank lines are skipped when reading. */
  public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').setIgnoreEmptyLines(true)
      .get();

  private Csv() {}

  /** One record: the 1-based line it starts on and its cells. */
  public record Row(long line, List<String> cells) {}

  /** A file read back: header and data records. */
  public record Table(Path file, List<String> header, List<Row> rows) {}

  /** {@code cells} as one CSV record, without the line end. */
  public static String line(List<?> cells) {
    return FORMAT.format(cells.toArray());
  }

  /** Header and rows as the text of a CSV file ({@code \n} after every record). */
  public static String text(List<String> header, List<? extends List<?>> rows) {
    StringBuilder sb = new StringBuilder(line(header)).append('\n');
    for (List<?> r : rows) sb.append(line(r)).append('\n');
    return sb.toString();
  }

  /** Writes {@link #text} to {@code file} atomically (temp file + move). */
  public static void write(Path file, List<String> header, List<? extends List<?>> rows) {
    AtomicFiles.writeString(file, text(header, rows));
  }

  /**
   * Reads {@code file}: the first record is the header; every data record must have as many cells as the header.
   * Errors name the file and line: a record of another width, an unclosed quote, an empty file.
   */
  public static Table read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
    return parse(file, text);
  }

  /** A file of a header and exactly one record (a run's metrics.csv) as column -> value, in column order. */
  public static java.util.Map<String, String> readSingleRow(Path file) {
    Table t = read(file);
    if (t.rows().size() != 1) {
      throw new IllegalStateException(file + ": expected a header and one row, found " + t.rows().size() + " rows");
    }
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < t.header().size(); i++) m.put(t.header().get(i), t.rows().get(0).cells().get(i));
    return m;
  }

  /** As {@link #read(Path)}, from {@code text} (named {@code file} in errors). */
  public static Table parse(Path file, String text) {
    long[] lineStarts = lineStarts(text);
    List<String> header = null;
    List<Row> rows = new ArrayList<>();
    try (CSVParser p = CSVParser.builder().setReader(new java.io.StringReader(text)).setFormat(FORMAT).get()) {
      var it = p.iterator();
      while (true) {
        CSVRecord r;
        try {
          if (!it.hasNext()) break;
          r = it.next();
        } catch (UncheckedIOException | IllegalStateException e) {
          long line = p.getCurrentLineNumber() + 1;
          throw new IllegalArgumentException(file + " line " + lineAt(lineStarts, Math.max(0, text.length() - 1))
              + ": unreadable CSV (" + rootMessage(e) + ") after line " + line + "; a quoted cell must end with a quote,"
              + " a quote inside it written as \"\"");
        }
        long line = lineAt(lineStarts, r.getCharacterPosition());
        List<String> cells = Arrays.asList(r.values());
        if (header == null) {
          header = List.copyOf(cells);
          continue;
        }
        if (cells.size() != header.size()) {
          throw new IllegalArgumentException(file + " line " + line + ": " + cells.size() + " values, expected "
              + header.size() + " (" + line(header) + ")");
        }
        rows.add(new Row(line, cells));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
    if (header == null) throw new IllegalArgumentException(file + " is empty; expected a header line");
    return new Table(file, header, rows);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage();
  }

  private static long[] lineStarts(String text) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts.add(i + 1);
    long[] a = new long[starts.size()];
    for (int i = 0; i < a.length; i++) a[i] = starts.get(i);
    return a;
  }

  /** 1-based line of character {@code pos}. */
  private static long lineAt(long[] lineStarts, long pos) {
    int i = Arrays.binarySearch(lineStarts, pos);
    return (i >= 0 ? i : -i - 2) + 1;
  }
}
