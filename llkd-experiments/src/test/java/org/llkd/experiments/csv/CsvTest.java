package org.llkd.experiments.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.train.CsvLog;

/** RFC 4180 through Commons CSV: plain files byte-identical to before, quoted cells round-trip, errors name lines. */
class CsvTest {
  @Test
  void plainCellsAreWrittenExactlyAsBefore(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("raw.csv");
    Csv.write(f, List.of("run_id", "seed", "test_macro_f1", "error"),
        List.of(List.of("emotion-llkd-s1", 1, "0.38912", ""), List.of("x-y_z.2", 2, "1E-4", "")));
    // what String.join(",", cells) + "\n" wrote before
    assertEquals("run_id,seed,test_macro_f1,error\nemotion-llkd-s1,1,0.38912,\nx-y_z.2,2,1E-4,\n", Files.readString(f));
  }

  @Test
  void quotedCommasQuotesAndLineBreaksRoundTrip(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("raw.csv");
    List<String> tricky = List.of("a,b", "say \"hi\"", "two\nlines", "crlf\r\nend", "");
    Csv.write(f, List.of("c1", "c2", "c3", "c4", "c5"), List.of(tricky, List.of("1", "2", "3", "4", "5")));
    assertEquals("c1,c2,c3,c4,c5\n\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"crlf\r\nend\",\n1,2,3,4,5\n",
        Files.readString(f));
    Csv.Table t = Csv.read(f);
    assertEquals(tricky, t.rows().get(0).cells());
    assertEquals(2, t.rows().get(0).line());
    assertEquals(5, t.rows().get(1).line(), "the second record starts after the two embedded line breaks");
    RawTable raw = RawTable.read(f);
    assertEquals("a,b", raw.rows().get(0).get("c1"));
    assertEquals("two\nlines", raw.rows().get(0).get("c3"));
  }

  @Test
  void errorsNameFileAndLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("raw.csv");
    Files.writeString(f, "a,b\n1,2\n\"x,y\",2,3\n");
    IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> RawTable.read(f));
    assertEquals(f + " line 3: 3 values, expected 2 (a,b)", wide.getMessage());

    Files.writeString(f, "a,b\n1,2\n\"open,2\n3,4\n");
    IllegalArgumentException open = assertThrows(IllegalArgumentException.class, () -> Csv.read(f));
    assertTrue(open.getMessage().startsWith(f + " line ") && open.getMessage().contains("unreadable CSV")
        && open.getMessage().contains("a quoted cell must end with a quote"), open.getMessage());

    Files.writeString(f, "");
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Csv.read(f));
    assertEquals(f + " is empty; expected a header line", empty.getMessage());

    Files.writeString(f, "a,b\n1,2\n3,4\n");
    IllegalStateException two = assertThrows(IllegalStateException.class, () -> Csv.readSingleRow(f));
    assertTrue(two.getMessage().contains("expected a header and one row, found 2 rows"), two.getMessage());
  }

  @Test
  void csvLogQuotesWhatNeedsItAndResumesRecordsNotLines(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("steps.csv");
    try (CsvLog log = CsvLog.create(f, List.of("step", "loss", "diagnostics"))) {
      log.row(0, 1.5, "tau=0.5,k=3");
      log.row(1, Double.NaN, "multi\nline");
      log.row(2, 0.25, "plain");
    }
    assertEquals("step,loss,diagnostics\n0,1.5,\"tau=0.5,k=3\"\n1,,\"multi\nline\"\n2,0.25,plain\n", Files.readString(f));
    try (CsvLog log = CsvLog.resume(f, List.of("step", "loss", "diagnostics"), 2)) {
      log.row(2, 0.5, "again");
    }
    assertEquals("step,loss,diagnostics\n0,1.5,\"tau=0.5,k=3\"\n1,,\"multi\nline\"\n2,0.5,again\n", Files.readString(f));
  }
}
