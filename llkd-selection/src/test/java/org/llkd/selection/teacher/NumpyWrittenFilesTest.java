package org.llkd.selection.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llkd.selection.teacher.TeacherTestFiles.assertRejects;
import static org.llkd.selection.teacher.TeacherTestFiles.resource;
import static org.llkd.selection.teacher.TeacherTestFiles.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Teacher files as numpy, pandas and Windows tools write them are read, with the right values: the NPY/NPZ files under
 * {@code src/test/resources/teacher/numpy/} were written by numpy 2.4 ({@code make_fixtures.py} there) and all hold
 * the same matrix P in another layout (big-endian, Fortran order, both, format 2.0, NPZ without ids or with integer
 * ids); text files with a UTF-8 byte-order mark and blank lines at the end are read as without them.
 */
class NumpyWrittenFilesTest {
  /** P of make_fixtures.py. */
  private static final double[][] P = {{0.7, 0.2, 0.1}, {0.05, 0.9, 0.05}, {0.25, 0.25, 0.5}, {0.125, 0.375, 0.5}};

  @TempDir Path dir;

  private static void assertP(double[][] got, boolean float32, String what) {
    assertEquals(P.length, got.length, what);
    for (int i = 0; i < P.length; i++) {
      for (int k = 0; k < P[i].length; k++) {
        double want = float32 ? (float) P[i][k] : P[i][k];
        assertEquals(want, got[i][k], 0.0, what + " (" + i + ", " + k + ")"); // exact: no rounding on the way
      }
    }
  }

  @Test void bigEndianFortranAndVersion2NpyFilesGiveNumpysValues() {
    for (String f : List.of("c_f8.npy", "be_f8.npy", "be_f4.npy", "fortran_f8.npy", "fortran_be_f4.npy", "v2_f4.npy")) {
      TeacherOutputs t = TeacherOutputReader.readUserFile(resource("numpy/" + f), "train");
      assertTrue(t.idsFromRowOrder(), f + ": no ids sidecar, so row order");
      assertEquals(List.of("train-0", "train-1", "train-2", "train-3"), t.ids(), f);
      assertP(t.probs(), f.contains("f4"), f);
    }
  }

  @Test void npyWithAnIdsSidecarIsReadByTheStrictReaderToo() throws IOException {
    Path npy = Files.copy(resource("numpy/fortran_be_f4.npy"), dir.resolve("t.npy"));
    text(dir, "t.npy.ids.txt", "train-3\ntrain-2\ntrain-1\ntrain-0\n\n"); // a blank line at the end is ignored
    TeacherOutputs t = TeacherOutputReader.read(npy);
    assertFalse(t.idsFromRowOrder());
    assertEquals("train-3", t.ids().get(0));
    assertP(t.probs(), true, "fortran_be_f4.npy");
  }

  @Test void npzWithoutIdsIsAlignedByRowOrderForUserFilesOnly() {
    Path f = resource("numpy/noids.npz");
    TeacherOutputs t = TeacherOutputReader.readUserFile(f, "train");
    assertTrue(t.idsFromRowOrder());
    assertP(t.probs(), false, "noids.npz");
    assertRejects(f, "file", () -> TeacherOutputReader.read(f), "no ids entry");
  }

  @Test void npzWithIntegerIdsGivesTheirDecimalText() {
    TeacherOutputs t = TeacherOutputReader.readUserFile(resource("numpy/intids.npz"), "train");
    assertFalse(t.idsFromRowOrder());
    assertEquals(List.of("17", "3", "42", "8"), t.ids());
    assertEquals(List.of("neg", "neu", "pos"), t.labelNames());
    assertP(t.probs(), false, "intids.npz (Fortran order inside)");
  }

  @Test void byteOrderMarkAndBlankLinesAtTheEndAreIgnoredInEveryTextFormat() {
    String l = "\"label_names\": [\"neg\", \"neu\", \"pos\"]";
    Path jsonl = text(dir, "t.jsonl", "\uFEFF{\"id\": \"a7\", \"probs\": [0.7, 0.2, 0.1], " + l + "}\r\n"
        + "{\"id\": 12, \"probs\": [0.05, 0.9, 0.05], " + l + "}\r\n\r\n  \n\n");
    TeacherOutputs t = TeacherOutputReader.readUserFile(jsonl, "train");
    assertEquals(List.of("a7", "12"), t.ids(), "pandas writes integer ids as JSON numbers");
    assertEquals(0.9, t.prob(1, 1), 0.0);
    Path csv = text(dir, "t.csv", "\uFEFFid,neg,neu,pos\r\ntrain-0,0.7,0.2,0.1\r\n\r\n");
    TeacherOutputs c = TeacherOutputReader.read(csv);
    assertEquals(List.of("neg", "neu", "pos"), c.labelNames(), "the header's first field is 'id', not '\\uFEFFid'");
    assertEquals(List.of("train-0"), c.ids());
    Path tsv = text(dir, "t.tsv", "\uFEFFid\tneg\tneu\tpos\ntrain-0\t0.7\t0.2\t0.1\n\t\n");
    assertEquals(1, TeacherOutputReader.read(tsv).numRows());
  }

  @Test void strictReaderStillWantsSplitRowIds() {
    Path f = text(dir, "free.jsonl", "{\"id\": \"a7\", \"probs\": [0.7, 0.3]}\n");
    assertRejects(f, "line 1", () -> TeacherOutputReader.read(f), "malformed sample id", "found 'a7'");
    Path e = text(dir, "empty-id.jsonl", "{\"id\": \"\", \"probs\": [0.7, 0.3]}\n");
    assertRejects(e, "line 1", () -> TeacherOutputReader.readUserFile(e, "train"), "empty sample id");
  }
}
