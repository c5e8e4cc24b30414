package org.llkd.experiments.textfile;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.llkd.models.io.StrictUtf8Reader;
import org.llkd.models.io.StrictUtf8Reader.MalformedUtf8Exception;

/**
 * RFC 4180 records of a strict UTF-8 file, parsed by Apache Commons CSV ({@link CSVFormat#RFC4180} with the given
 * delimiter): quoted fields, {@code ""} for a quote inside quotes, quoted fields may span lines; no escape character,
 * so backslashes are kept as they are (Yahoo! Answers' literal {@code \n}, LaTeX in arXiv abstracts); no header
 * handling (the caller reads the first record as its header if the format has one); an empty line is a record of one
 * empty field. A line break inside a quoted field reads as {@code \n} whatever the file uses ({@code \r\n}, {@code \r}).
 *
 * <p>Each record carries the lines it spans. Errors are {@link TextFileException}s at the record's first line: a
 * quote left open at the end of the file, content after a closing quote, malformed UTF-8 (at the bad byte's line).
 */
public final class CsvRecords implements Closeable {
  /** One record: the 1-based lines it spans and its fields. */
  public record Row(long firstLine, long lastLine, List<String> fields) {}

  private final String name;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private Row next;

  private CsvRecords(String name, InputStream in, char delimiter) {
    this.name = name;
    try {
      this.parser = CSVFormat.RFC4180.builder().setDelimiter(delimiter).get()
          .parse(new StrictUtf8Reader(in, false));
    } catch (IOException e) {
      throw new UncheckedIOException("could not open " + name + ": " + e.getMessage(), e);
    }
    this.records = parser.iterator();
  }

  /** Opens {@code file}; its fields are separated by {@code delimiter}. */
  public static CsvRecords open(Path file, char delimiter) {
    try {
      return new CsvRecords(file.toString(), Files.newInputStream(file), delimiter);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open " + file + ": " + e.getMessage(), e);
    }
  }

  public boolean hasNext() {
    if (next == null) {
      long first = parser.getCurrentLineNumber() + 1; // a record starts on the line after the last one consumed
      CSVRecord r;
      try {
        if (!records.hasNext()) return false;
        r = records.next();
      } catch (UncheckedIOException | IllegalStateException e) {
        throw failure(first, e);
      }
      List<String> fields = new ArrayList<>(r.size());
      long breaks = 0;
      for (String f : r) {
        String v = f.indexOf('\r') < 0 ? f : f.replace("\r\n", "\n").replace('\r', '\n');
        for (int i = v.indexOf('\n'); i >= 0; i = v.indexOf('\n', i + 1)) breaks++;
        fields.add(v);
      }
      next = new Row(first, first + breaks, fields);
    }
    return true;
  }

  public Row next() {
    if (!hasNext()) throw new NoSuchElementException("no record after line " + parser.getCurrentLineNumber() + " of " + name);
    Row r = next;
    next = null;
    return r;
  }

  /** The refusal for a failed parse of the record starting on {@code line}; a read error stays an I/O error. */
  private RuntimeException failure(long line, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MalformedUtf8Exception m) return TextFileException.invalidUtf8(name, m);
    }
    Throwable c = e.getCause() != null ? e.getCause() : e;
    if (!(c instanceof CSVException)) return e;
    String msg = String.valueOf(c.getMessage());
    if (msg.contains("EOF reached before encapsulated token finished")) {
      return TextFileException.atLine(name, line, "a closing quote for the field opened on this line",
          "the end of the file inside a quoted field", "close the quote; inside quotes write a quote as \"\"", e);
    }
    return TextFileException.atLine(name, line, "a CSV record (a field holding a quote, delimiter or line break is "
        + "enclosed in \"...\", a quote inside written \"\")", "a parse error: " + msg, "fix the quoting", e);
  }

  @Override
  public void close() {
    try {
      parser.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not close " + name + ": " + e.getMessage(), e);
    }
  }
}
