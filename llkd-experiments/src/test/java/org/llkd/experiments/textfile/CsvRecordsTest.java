package org.llkd.experiments.textfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CsvRecords} keeps backslashes (DataVec's CSVRecordReader, used before, dropped a backslash not followed by a
 * quote: Yahoo! Answers' literal {@code \n} became {@code n}, LaTeX {@code \alpha} became {@code alpha}), lets quoted
 * fields span lines and names the line of an unclosed quote.
 */
class CsvRecordsTest {
  @TempDir Path dir;

  @Test
  void backslashesAreKeptAsTheyAre() throws Exception {
    Path f = Files.writeString(dir.resolve("x.csv"), "\"1\",\"a\\nb $\\alpha$\"\n", StandardCharsets.UTF_8);
    try (CsvRecords csv = CsvRecords.open(f, ',')) {
      assertEquals(List.of("1", "a\\nb $\\alpha$"), csv.next().fields());
    }
  }

  @Test
  void quotedFieldsMaySpanLinesAndEscapeQuotesByDoubling() throws Exception {
    Path f = Files.writeString(dir.resolve("y.csv"),
        "a,\"b \"\"q\"\"\nc\",\"\"\nnext,\"\",x\n", StandardCharsets.UTF_8);
    try (CsvRecords csv = CsvRecords.open(f, ',')) {
      CsvRecords.Row r = csv.next();
      assertEquals(List.of("a", "b \"q\"\nc", ""), r.fields());
      assertEquals(1, r.firstLine());
      assertEquals(2, r.lastLine());
      CsvRecords.Row s = csv.next();
      assertEquals(List.of("next", "", "x"), s.fields());
      assertEquals(3, s.firstLine());
    }
  }

  @Test
  void lineBreaksInsideQuotedFieldsReadAsNewlineWhateverTheFileUses() throws Exception {
    Path f = Files.writeString(dir.resolve("crlf.csv"), "\"a\r\nb\",\"c\rd\"\r\nnext,x\r\n", StandardCharsets.UTF_8);
    try (CsvRecords csv = CsvRecords.open(f, ',')) {
      CsvRecords.Row r = csv.next();
      assertEquals(List.of("a\nb", "c\nd"), r.fields());
      assertEquals(3, r.lastLine());
      assertEquals(4, csv.next().firstLine());
    }
  }

  @Test
  void aQuoteLeftOpenIsAnErrorAtTheLineWhereItsRecordStarts() throws Exception {
    Path f = Files.writeString(dir.resolve("open.csv"), "a,b\n\"never closed,x\nmore\n", StandardCharsets.UTF_8);
    try (CsvRecords csv = CsvRecords.open(f, ',')) {
      csv.next();
      TextFileException e = assertThrows(TextFileException.class, csv::hasNext);
      assertEquals(2, e.line());
      assertEquals("a closing quote for the field opened on this line", e.expected());
      assertEquals("the end of the file inside a quoted field", e.found());
    }
  }
}
