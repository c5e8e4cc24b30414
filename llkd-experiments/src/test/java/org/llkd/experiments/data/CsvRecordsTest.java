package org.llkd.experiments.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.Writable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why {@link CsvRecords} exists: DataVec's CSVRecordReader alters backslashes; CsvRecords does not. */
class CsvRecordsTest {
  @TempDir Path dir;

  @Test
  void dataVecCsvRecordReaderDropsBackslashesWhichIsWhyItIsNotUsed() throws Exception {
    Path f = Files.writeString(dir.resolve("x.csv"), "\"1\",\"a\\nb $\\alpha$\"\n", StandardCharsets.UTF_8);
    CSVRecordReader rr = new CSVRecordReader(0, ',', '"');
    rr.initialize(new FileSplit(f.toFile()));
    List<Writable> rec = rr.next();
    rr.close();
    assertEquals("anb $alpha$", rec.get(1).toString()); // DataVec 1.0.0-M2.1 behaviour

    try (CsvRecords csv = new CsvRecords(f, ',')) {
      assertEquals(List.of("1", "a\\nb $\\alpha$"), csv.next().fields());
    }
  }

  @Test
  void quotedFieldsMaySpanLinesAndEscapeQuotesByDoubling() throws Exception {
    Path f = Files.writeString(dir.resolve("y.csv"),
        "a,\"b \"\"q\"\"\nc\",\"\"\nnext,\"\",x\n", StandardCharsets.UTF_8);
    try (CsvRecords csv = new CsvRecords(f, ',')) {
      CsvRecords.Row r = csv.next();
      assertEquals(List.of("a", "b \"q\"\nc", ""), r.fields());
      assertEquals(1, r.firstLine());
      assertEquals(2, r.lastLine());
      CsvRecords.Row s = csv.next();
      assertEquals(List.of("next", "", "x"), s.fields());
      assertEquals(3, s.firstLine());
    }
  }
}
