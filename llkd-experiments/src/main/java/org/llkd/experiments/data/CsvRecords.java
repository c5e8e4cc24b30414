package org.llkd.experiments.data;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datavec.api.records.reader.impl.csv.SerializableCSVParser;

/**
 * RFC 4180-style CSV records (quoted fields, {@code ""} for a quote inside quotes, quoted fields may span
 * lines), built from DataVec parts: lines from {@code LineRecordReader}, fields from DataVec's
 * {@link SerializableCSVParser} in multi-line mode.
 *
 * <p>Why not DataVec's {@code CSVRecordReader}: it builds its parser with {@code \} as escape character, and
 * that parser <em>drops</em> a backslash that is not followed by a quote or a backslash (Yahoo! Answers'
 * literal {@code \n} would become {@code n}, LaTeX {@code \alpha} in arXiv abstracts {@code alpha}; see
 * {@code CsvRecordsTest}); and it parses line by line, so a quoted field spanning lines fails. Here the
 * parser has no escape character, and a fresh parser per record keeps its field state from leaking
 * between records.
 */
final class CsvRecords implements Closeable {
  /** One record: the fields and the 1-based lines it spans. */
  record Row(long firstLine, long lastLine, List<String> fields) {}

  private final Path file;
  private final char separator;
  private final DataVecLines lines;

  CsvRecords(Path file, char separator) {
    this.file = file;
    this.separator = separator;
    this.lines = DataVecLines.open(file);
  }

  boolean hasNext() {
    return lines.hasNext();
  }

  Row next() {
    SerializableCSVParser parser = new SerializableCSVParser(separator, '"', SerializableCSVParser.NULL_CHARACTER);
    List<String> fields = new ArrayList<>();
    DataVecLines.Line first = lines.next();
    DataVecLines.Line last = first;
    parse(parser, first, fields);
    while (parser.isPending()) {
      if (!lines.hasNext()) {
        throw new DatasetFormatException(file, first.number(), "a closing quote for the field opened on this line",
            "the end of the file inside a quoted field", "close the quote; inside quotes write a quote as \"\"");
      }
      last = lines.next();
      parse(parser, last, fields);
    }
    return new Row(first.number(), last.number(), fields);
  }

  private void parse(SerializableCSVParser parser, DataVecLines.Line line, List<String> into) {
    try {
      for (String f : parser.parseLineMulti(line.text())) {
        into.add(f);
      }
    } catch (IOException e) {
      throw new DatasetFormatException(file, line.number(), "a CSV line", DatasetFormatException.quote(line.text()),
          "fix the quoting (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public void close() {
    lines.close();
  }
}
