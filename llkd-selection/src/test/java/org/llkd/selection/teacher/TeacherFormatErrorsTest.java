package org.llkd.selection.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.llkd.selection.teacher.TeacherTestFiles.LABELS;
import static org.llkd.selection.teacher.TeacherTestFiles.assertRejects;
import static org.llkd.selection.teacher.TeacherTestFiles.bytes;
import static org.llkd.selection.teacher.TeacherTestFiles.text;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per documented error case: each builds a small broken file, and checks that the reader (or
 * {@code alignTo}) throws a {@link TeacherFormatException} whose message names the file, the line or row,
 * and the expected and found values.
 */
class TeacherFormatErrorsTest {
  @TempDir Path dir;

  private static final String L = "\"label_names\": [\"sadness\", \"joy\", \"love\"]";

  private static String row(String id, String key, String values) {
    return "{\"id\": \"" + id + "\", \"" + key + "\": [" + values + "], " + L + "}\n";
  }

  private static TeacherOutputs read(Path f) {
    return TeacherOutputReader.read(f);
  }

  // ------------------------------------------------------------------ values

  @Test
  void nanProbability() {
    Path f = text(dir, "nan.jsonl", row("train-0", "probs", "0.2, 0.3, 0.5")
        + row("train-1", "probs", "0.2, 0.3, 0.5") + row("train-2", "probs", "0.2, NaN, 0.5"));
    assertRejects(f, "line 3", () -> read(f), "non-finite probability", "'train-2'", "class 1 ('joy')",
        "expected a finite number", "found NaN");
  }

  @Test
  void infiniteValueInNpy() {
    double[][] p = {{0.5, 0.5, 0.0}, {0.5, Double.POSITIVE_INFINITY, 0.0}};
    Path f = bytes(dir, "inf.npy", Npy.writeMatrix(p, 3, Npy.FloatDtype.F8));
    text(dir, "inf.npy.ids.txt", "train-0\ntrain-1\n");
    assertRejects(f, "row 1", () -> read(f), "non-finite probability", "'train-1'", "expected a finite number",
        "found Infinity");
  }

  @Test
  void wrongNumberOfClasses() {
    Path f = text(dir, "classes.jsonl", row("train-0", "probs", "0.2, 0.3, 0.5")
        + row("train-1", "probs", "0.2, 0.3, 0.4, 0.1"));
    assertRejects(f, "line 2", () -> read(f), "wrong number of classes", "'train-1'",
        "expected 3 probabilities (one per label in label_names at line 1)", "found 4 values");
  }

  @Test
  void duplicateIds() {
    Path f = text(dir, "dup.jsonl", row("train-0", "probs", "0.2, 0.3, 0.5")
        + row("train-1", "probs", "0.2, 0.3, 0.5") + row("train-0", "probs", "0.1, 0.1, 0.8"));
    assertRejects(f, "line 3", () -> read(f), "duplicate id 'train-0'", "expected each id once",
        "found 'train-0' also on line 1");
  }

  @Test
  void negativeProbability() {
    Path f = text(dir, "neg.csv", "id,sadness,joy,love\ntrain-0,0.2,0.3,0.5\ntrain-1,1.2,-0.2,0.0\n");
    assertRejects(f, "line 3", () -> read(f), "negative probability", "'train-1'", "class 1 ('joy')",
        "expected a probability >= 0", "found -0.2");
  }

  @Test
  void rowNotSummingToOne() {
    Path f = text(dir, "sum.tsv", "id\tsadness\tjoy\tlove\ntrain-0\t0.2\t0.3\t0.5\ntrain-1\t0.5\t0.3\t0.1\n");
    assertRejects(f, "line 3", () -> read(f), "do not sum to 1", "'train-1'", "expected a row sum of 1 +/- 0.001",
        "found sum 0.9");
  }

  // ------------------------------------------------------------------ NPY bytes

  @Test
  void truncatedNpy() {
    double[][] p = {{0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}, {0.3, 0.3, 0.4}};
    byte[] full = Npy.writeMatrix(p, 3, Npy.FloatDtype.F4);
    Path f = bytes(dir, "cut.npy", Arrays.copyOf(full, full.length - 5)); // last row incomplete
    text(dir, "cut.npy.ids.txt", "train-0\ntrain-1\ntrain-2\n");
    assertRejects(f, "row 2", () -> read(f), "truncated NPY data", "expected 36 data bytes for shape (3, 3) <f4",
        "found 31 bytes");
  }

  @Test
  void wrongDtypeInt64() {
    Path f = bytes(dir, "int.npy", npyWithDescr("<i8", 2, 3, 8));
    text(dir, "int.npy.ids.txt", "train-0\ntrain-1\n");
    assertRejects(f, "header", () -> read(f), "unsupported dtype", "expected dtype float32 or float64",
        "found descr '<i8'");
  }

  @Test
  void halfPrecisionFloat() {
    Path f = bytes(dir, "half.npy", npyWithDescr("<f2", 2, 3, 2));
    text(dir, "half.npy.ids.txt", "train-0\ntrain-1\n");
    assertRejects(f, "header", () -> read(f), "unsupported dtype", "found descr '<f2'", "astype(numpy.float32)");
  }

  /** A version-1.0 NPY file with the given descr and zeroed data of {@code n * c * size} bytes. */
  private static byte[] npyWithDescr(String descr, int n, int c, int size) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + n + ", " + c + "), }";
    int pad = 64 - (10 + dict.length() + 1) % 64;
    byte[] head = (dict + " ".repeat(pad % 64) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + head.length + n * c * size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(Npy.MAGIC).put((byte) 1).put((byte) 0).putShort((short) head.length).put(head);
    return b.array();
  }

  // ------------------------------------------------------------------ files and encoding

  @Test
  void emptyFile() {
    Path f = text(dir, "empty.jsonl", "");
    assertRejects(f, "file", () -> read(f), "empty file", "expected at least one line", "found no lines");
  }

  @Test
  void emptyNpyFile() {
    Path f = text(dir, "empty.npy", "");
    assertRejects(f, "header", () -> read(f), "empty file", "expected an NPY file", "found 0 bytes");
  }

  @Test
  void invalidUtf8() {
    byte[] good = row("train-0", "probs", "0.2, 0.3, 0.5").getBytes(StandardCharsets.UTF_8);
    byte[] bad = "{\"id\": \"train-1\", \"probs\": [0.2, 0.3, 0.5], \"_note\": \"caf\u00e9\"}\n"
        .getBytes(StandardCharsets.ISO_8859_1); // é as the single Latin-1 byte E9
    byte[] all = Arrays.copyOf(good, good.length + bad.length);
    System.arraycopy(bad, 0, all, good.length, bad.length);
    Path f = bytes(dir, "latin1.jsonl", all);
    assertRejects(f, "line 2", () -> read(f), "invalid UTF-8 at byte 58 of the line", "expected UTF-8 text",
        "found byte sequence E9");
  }

  @Test
  void malformedJsonLine() {
    Path f = text(dir, "broken.jsonl", row("train-0", "probs", "0.2, 0.3, 0.5")
        + "{\"id\": \"train-1\", \"probs\": [0.2, 0.3, 0.5]\n");
    assertRejects(f, "line 2", () -> read(f), "malformed JSON", "expected one complete JSON object per line",
        "found '{\"id\": \"train-1\", \"probs\": [0.2, 0.3, 0.5]'");
  }

  @Test
  void inconsistentLabelNames() {
    Path f = text(dir, "names.jsonl", row("train-0", "probs", "0.2, 0.3, 0.5")
        + "{\"id\": \"train-1\", \"probs\": [0.2, 0.3, 0.5], \"label_names\": [\"sadness\", \"love\", \"joy\"]}\n");
    assertRejects(f, "line 2", () -> read(f), "label_names differ from the first data line",
        "expected label_names [sadness, joy, love] as on line 1", "found label_names [sadness, love, joy]");
  }

  @Test
  void labelNamesMissingOnALaterLine() {
    Path f = text(dir, "names2.jsonl", row("train-0", "probs", "0.2, 0.3, 0.5")
        + "{\"id\": \"train-1\", \"probs\": [0.2, 0.3, 0.5]}\n");
    assertRejects(f, "line 2", () -> read(f), "label_names differ", "found no label_names");
  }

  @Test
  void bothProbsAndLogits() {
    Path f = text(dir, "both.jsonl", "{\"_meta\": {\"model\": \"m\"}}\n" + row("train-0", "probs", "0.2, 0.3, 0.5")
        + "{\"id\": \"train-1\", \"probs\": [0.2, 0.3, 0.5], \"logits\": [1, 2, 3]}\n");
    assertRejects(f, "line 3", () -> read(f), "both probs and logits", "expected exactly one of \"probs\" or"
        + " \"logits\"", "found both keys");
  }

  @Test
  void neitherProbsNorLogits() {
    Path f = text(dir, "neither.jsonl", "{\"id\": \"train-0\", \"scores\": [0.2, 0.3, 0.5]}\n");
    assertRejects(f, "line 1", () -> read(f), "unknown key 'scores'", "found keys [id, scores]");
    Path g = text(dir, "neither2.jsonl", "{\"id\": \"train-0\", \"_scores\": [0.2, 0.3, 0.5]}\n");
    assertRejects(g, "line 1", () -> read(g), "neither probs nor logits",
        "expected exactly one of \"probs\" or \"logits\"", "found keys [id, _scores]");
  }

  // ------------------------------------------------------------------ alignment

  @Test
  void idsMissingFromTeacher() {
    Path f = text(dir, "few.jsonl", row("train-0", "probs", "0.2, 0.3, 0.5") + row("train-2", "probs", "0.2, 0.3, 0.5"));
    TeacherOutputs t = read(f);
    List<String> dataset = List.of("train-0", "train-1", "train-2", "train-3");
    assertRejects(f, "dataset row 1", () -> t.alignTo(dataset, LABELS), "dataset id 'train-1' has no teacher row",
        "2 of 4 dataset ids missing", "train-1 (dataset row 1), train-3 (dataset row 3)",
        "expected a teacher row for each of the 4 dataset ids", "found 2 teacher rows, 2 dataset ids without one");
  }

  @Test
  void idsExtraToDataset() {
    Path f = text(dir, "many.jsonl", "{\"_meta\": {}}\n" + row("train-0", "probs", "0.2, 0.3, 0.5")
        + row("dev-0", "probs", "0.2, 0.3, 0.5") + row("train-1", "probs", "0.2, 0.3, 0.5"));
    TeacherOutputs t = read(f);
    assertRejects(f, "line 3", () -> t.alignTo(List.of("train-0", "train-1"), LABELS),
        "teacher id 'dev-0' is not a dataset id", "1 extra teacher ids", "dev-0 (line 3)",
        "expected only the 2 dataset ids", "found 3 teacher rows", "forSplit");
  }

  @Test
  void unknownLabelNames() {
    Path f = text(dir, "unknown.csv", "id,sadness,happiness,love\ntrain-0,0.2,0.3,0.5\n");
    TeacherOutputs t = read(f);
    assertRejects(f, "label names", () -> t.alignTo(List.of("train-0"), LABELS), "unknown label name(s) ['happiness']",
        "expected names from the dataset's label list [sadness, joy, love]",
        "found teacher label names [sadness, happiness, love]");
  }

  @Test
  void classCountMismatchWithoutLabelNames() {
    Path f = text(dir, "positional.jsonl", "{\"id\": \"train-0\", \"probs\": [0.5, 0.5]}\n");
    TeacherOutputs t = read(f);
    assertRejects(f, "line 1", () -> t.alignTo(List.of("train-0"), LABELS), "map by position",
        "expected 3 classes, one per dataset label [sadness, joy, love]", "found 2 classes");
  }

  // ------------------------------------------------------------------ further format rules

  @Test
  void mixedProbsAndLogitsAcrossLines() {
    Path f = text(dir, "mixed.jsonl", row("train-0", "probs", "0.2, 0.3, 0.5") + row("train-1", "logits", "1, 2, 3"));
    assertRejects(f, "line 2", () -> read(f), "mixes probs and logits", "expected \"probs\" as on line 1",
        "found \"logits\"");
  }

  @Test
  void malformedId() {
    Path f = text(dir, "ids.jsonl", row("train-0", "probs", "0.2, 0.3, 0.5") + row("train-01", "probs", "0.2, 0.3, 0.5"));
    assertRejects(f, "line 2", () -> read(f), "malformed sample id", "\"<split>-<rowIndex>\"", "found 'train-01'");
  }

  @Test
  void missingIdsSidecar() {
    Path f = bytes(dir, "alone.npy", Npy.writeMatrix(new double[][] {{1, 0}}, 2, Npy.FloatDtype.F8));
    text(dir, "alone.ids.txt", "train-0\n");
    assertRejects(f, "file", () -> read(f), "ids sidecar is missing", "expected a file alone.npy.ids.txt",
        "found only alone.ids.txt");
  }

  @Test
  void idCountDiffersFromNpyRows() {
    Path f = bytes(dir, "rows.npy", Npy.writeMatrix(new double[][] {{1, 0}, {0, 1}}, 2, Npy.FloatDtype.F8));
    Path ids = text(dir, "rows.npy.ids.txt", "train-0\ntrain-1\ntrain-2\n");
    TeacherFormatException e = assertRejects(ids, "file", () -> read(f), "does not match the array rows of rows.npy",
        "expected 2 ids (one per row)", "found 3 ids");
    assertEquals(ids.toString(), e.source());
  }

  @Test
  void npzWithoutIds() {
    Path f = TeacherReaderTest.npz(dir, "noids.npz", "probs.npy",
        Npy.writeMatrix(new double[][] {{1, 0}}, 2, Npy.FloatDtype.F8));
    assertRejects(f, "file", () -> read(f), "no ids entry", "expected ids.npy", "found entries [probs.npy]");
  }

  @Test
  void blankLineBetweenRows() {
    Path f = text(dir, "gap.jsonl", row("train-0", "probs", "0.2, 0.3, 0.5") + "\n \r\n\n"
        + row("train-1", "probs", "0.2, 0.3, 0.5") + "\n");
    assertRejects(f, "line 2", () -> read(f), "blank line", "ignored only at the end of the file");
  }

  @Test
  void temperatureOnProbabilities() {
    Path f = text(dir, "temp.jsonl", row("train-0", "probs", "0.2, 0.3, 0.5"));
    assertRejects(f, "file", () -> TeacherOutputReader.read(f, TeacherOutputReader.Options.defaults()
        .withTemperature(2.0)), "temperature was requested", "expected temperature 1", "found temperature 2.0");
  }

  @Test
  void unknownExtension() {
    Path f = text(dir, "teacher.json", row("train-0", "probs", "0.2, 0.3, 0.5"));
    assertRejects(f, "file name", () -> read(f), "expected one of .jsonl, .npy, .npz, .csv, .tsv", "found '.json'");
  }
}
