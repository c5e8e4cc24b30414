package org.llkd.selection.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV/TSV teacher tables through Commons CSV: quoted fields with separators and quotes; unclosed quotes refused. */
class DelimitedQuotingTest {
  @Test
  void quotedLabelNamesHoldCommasAndQuotes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("t.csv");
    Files.writeString(f, "id,\"love, romantic\",\"say \"\"joy\"\"\",anger\ntrain-0,0.2,\"0.3\",0.5\ntrain-1,0.1,0.1,0.8\n");
    TeacherOutputs t = TeacherOutputReader.read(f);
    assertEquals(List.of("love, romantic", "say \"joy\"", "anger"), t.labelNames());
    assertEquals(List.of("train-0", "train-1"), t.ids());
    assertArrayEquals(new double[] {0.2, 0.3, 0.5}, t.probs()[0], 1e-12);
  }

  @Test
  void tsvKeepsCommasUnquotedAndReadsQuotedTabs(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("t.tsv");
    Files.writeString(f, "id\tlove, romantic\t\"a\tb\"\ntrain-0\t0.25\t0.75\n");
    TeacherOutputs t = TeacherOutputReader.read(f);
    assertEquals(List.of("love, romantic", "a\tb"), t.labelNames());
  }

  @Test
  void anUnclosedQuoteOrAFieldSpanningLinesNamesTheLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("open.csv");
    Files.writeString(f, "id,a,b\ntrain-0,0.5,0.5\ntrain-1,\"0.5,0.5\n");
    TeacherFormatException e = assertThrows(TeacherFormatException.class, () -> TeacherOutputReader.read(f));
    assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("unclosed quote")
        && e.getMessage().contains("fields cannot span lines"), e.getMessage());

    Path g = dir.resolve("span.csv");
    Files.writeString(g, "id,\"a\nb\",c\ntrain-0,0.5,0.5\n");
    TeacherFormatException span = assertThrows(TeacherFormatException.class, () -> TeacherOutputReader.read(g));
    assertTrue(span.getMessage().contains("line 1") && span.getMessage().contains("unclosed quote"), span.getMessage());
  }
}
