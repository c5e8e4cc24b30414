package org.llkd.selection.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llkd.selection.teacher.TeacherTestFiles.LABELS;
import static org.llkd.selection.teacher.TeacherTestFiles.resource;
import static org.llkd.selection.teacher.TeacherTestFiles.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading every format into {@link TeacherOutputs}: values, ids, label names, metadata, provenance. */
class TeacherReaderTest {
  @TempDir Path dir;

  /** Writes a zip of (name, bytes) pairs, like numpy.savez. */
  static Path npz(Path dir, String name, Object... entries) {
    Path f = dir.resolve(name);
    try (OutputStream os = Files.newOutputStream(f); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (int i = 0; i < entries.length; i += 2) {
        zip.putNextEntry(new ZipEntry((String) entries[i]));
        zip.write((byte[]) entries[i + 1]);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return f;
  }

  @Test
  void jsonlProbabilitiesWithMetaHeader() {
    Path f = text(dir, "t.jsonl", "{\"_meta\": {\"model\": \"llama\", \"date\": \"2026-11-25\", \"n\": [1, 2]}}\n"
        + "{\"id\": \"train-0\", \"probs\": [0.1, 0.7, 0.2], \"label_names\": [\"sadness\", \"joy\", \"love\"]}\r\n"
        + "{\"id\": \"train-1\", \"probs\": [0.5, 0.25, 0.25], \"label_names\": [\"sadness\", \"joy\", \"love\"],"
        + " \"_text\": \"ignored annotation\"}");
    TeacherOutputs t = TeacherOutputReader.read(f);
    assertEquals(List.of("train-0", "train-1"), t.ids());
    assertEquals(LABELS, t.labelNames());
    assertArrayEquals(new double[][] {{0.1, 0.7, 0.2}, {0.5, 0.25, 0.25}}, t.probs());
    assertEquals(TeacherValueKind.PROBS, t.storedAs());
    assertEquals(TeacherFormat.JSONL, t.format().orElseThrow());
    assertEquals("llama", t.metadata().get("model"));
    assertEquals(List.of(1, 2), t.metadata().get("n"));
    assertThrows(UnsupportedOperationException.class, () -> t.metadata().put("x", 1));
    assertEquals("line 3", t.sourceLocation(1)); // _meta is line 1
  }

  @Test
  void jsonlLogitsWithTemperatureMatchNumpySoftmax() throws IOException {
    // Same logits as numpy_logits.npz; expected values computed by numpy (make_numpy_fixtures.py).
    Path f = text(dir, "z.jsonl", "{\"id\": \"dev-0\", \"logits\": [2.0, 0.0, -1.0]}\n"
        + "{\"id\": \"dev-1\", \"logits\": [0.5, 0.5, 0.5]}\n{\"id\": \"dev-2\", \"logits\": [-3, 1, 4]}\n");
    JsonNode expected = JsonlTeacherParser.MAPPER.readTree(resource("numpy_logits_expected.json").toFile());
    TeacherOutputs t1 = TeacherOutputReader.read(f);
    TeacherOutputs t2 = TeacherOutputReader.read(f, TeacherOutputReader.Options.defaults().withTemperature(2.0));
    assertClose(expected.get("T1"), t1, 1e-15);
    assertClose(expected.get("T2"), t2, 1e-15);
    assertEquals(TeacherValueKind.LOGITS, t2.storedAs());
    assertEquals(2.0, t2.temperature());
    assertFalse(t1.hasLabelNames());
  }

  static void assertClose(JsonNode expected, TeacherOutputs t, double tol) {
    assertEquals(expected.size(), t.numRows());
    for (int i = 0; i < t.numRows(); i++) {
      for (int k = 0; k < t.numClasses(); k++) {
        assertEquals(expected.get(i).get(k).asDouble(), t.prob(i, k), tol, "row " + i + " class " + k);
      }
    }
  }

  @Test
  void csvProbabilitiesAndTsvLogits() {
    Path csv = text(dir, "t.csv", "id,sadness,joy,love\ntrain-0,0.1,0.7,0.2\ntrain-1,1e-1,.8,0.1\n");
    TeacherOutputs c = TeacherOutputReader.read(csv);
    assertEquals(LABELS, c.labelNames());
    assertArrayEquals(new double[][] {{0.1, 0.7, 0.2}, {0.1, 0.8, 0.1}}, c.probs());
    assertEquals("line 3", c.sourceLocation(1));

    Path tsv = text(dir, "t.tsv", "id\tlogit:Society & Culture\tlogit:Sci/Tech\ntest-4\t0\t0\ntest-5\t1\t-1\n");
    TeacherOutputs t = TeacherOutputReader.read(tsv);
    assertEquals(List.of("Society & Culture", "Sci/Tech"), t.labelNames());
    assertEquals(TeacherValueKind.LOGITS, t.storedAs());
    assertArrayEquals(new double[] {0.5, 0.5}, t.probs()[0]);
    double e2 = Math.exp(2);
    assertArrayEquals(new double[] {e2 / (e2 + 1), 1 / (e2 + 1)}, t.probs()[1], 1e-15);
  }

  @Test
  void numpyFloat32NpyWithSidecars() {
    Path f = resource("numpy_probs_f4.npy");
    TeacherOutputs t = TeacherOutputReader.read(f);
    assertEquals(List.of("train-2", "train-0", "train-1"), t.ids());
    assertEquals(List.of("joy", "sadness", "love"), t.labelNames());
    assertEquals((double) 0.7f, t.prob(0, 1)); // float32 values, widened exactly
    assertEquals((double) 0.8f, t.prob(2, 2));
    assertEquals("row 2", t.sourceLocation(2));
    assertEquals(3, t.inputSha256().size()); // .npy, .ids.txt, .labels.txt
  }

  @Test
  void numpyFloat64NpyValuesAndSha256() {
    Path f = resource("numpy_probs_f8.npy");
    TeacherOutputs t = TeacherOutputReader.read(f, TeacherOutputReader.Options.defaults());
    assertArrayEquals(new double[][] {{0.7, 0.2, 0.1}, {0.125, 0.75, 0.125}, {0.0, 0.0, 1.0}, {0.25, 0.25, 0.5}},
        t.probs());
    assertEquals("070b89d13cc767beafa26a4abd0314200c1c602b501127b3ec04881a4b8959a8", t.sourceSha256()); // sha256sum
    assertEquals(Map.of("note", "numpy fixture"), t.metadata()); // from numpy_probs_f8.npy.meta.json
  }

  @Test
  void numpyCompressedNpzWithLogits() throws IOException {
    TeacherOutputs t = TeacherOutputReader.read(resource("numpy_logits.npz"));
    assertEquals(List.of("dev-0", "dev-1", "dev-2"), t.ids());
    assertEquals(LABELS, t.labelNames());
    assertEquals(TeacherValueKind.LOGITS, t.storedAs());
    JsonNode expected = JsonlTeacherParser.MAPPER.readTree(resource("numpy_logits_expected.json").toFile());
    assertClose(expected.get("T1"), t, 1e-15);
    assertEquals("entry logits.npy row 1", t.sourceLocation(1));
  }

  @Test
  void npzWithTextIdsAndMetadata() {
    Path f = npz(dir, "t.npz",
        "probs.npy", Npy.writeMatrix(new double[][] {{0.25, 0.75}, {1, 0}}, 2, Npy.FloatDtype.F4),
        "ids.txt", "train-7\ntrain-3\n".getBytes(),
        "label_names.npy", Npy.writeStrings(List.of("négatif", "positive")),
        "meta.json", "{\"model\": \"gemma\"}".getBytes());
    TeacherOutputs t = TeacherOutputReader.read(f);
    assertEquals(List.of("train-7", "train-3"), t.ids());
    assertEquals(List.of("négatif", "positive"), t.labelNames());
    assertArrayEquals(new double[][] {{0.25, 0.75}, {1, 0}}, t.probs());
    assertEquals("gemma", t.metadata().get("model"));
  }

  @Test
  void formatOverrideReadsAnyExtension() {
    Path f = text(dir, "teacher.txt", "{\"id\": \"train-0\", \"probs\": [1.0, 0.0]}\n");
    TeacherOutputs t = TeacherOutputReader.read(f, TeacherOutputReader.Options.defaults().withFormat(TeacherFormat.JSONL));
    assertEquals(1, t.numRows());
    assertEquals(TeacherFormat.CSV, TeacherFormat.detect(Path.of("a/b/Teacher.CSV")));
    assertEquals(TeacherFormat.NPZ, TeacherFormat.detect(Path.of("x.npz")));
    // the same content read as CSV is a CSV error: the override is obeyed, not second-guessed
    TeacherFormatException e = assertThrows(TeacherFormatException.class,
        () -> TeacherOutputReader.read(f, TeacherOutputReader.Options.defaults().withFormat(TeacherFormat.CSV)));
    assertTrue(e.getMessage().contains("malformed header"), e.getMessage());
  }

  @Test
  void rowSumToleranceIsAnOption() {
    Path f = text(dir, "loose.csv", "id,a,b\ntrain-0,0.5,0.495\n");
    assertThrows(TeacherFormatException.class, () -> TeacherOutputReader.read(f));
    TeacherOutputs t = TeacherOutputReader.read(f, TeacherOutputReader.Options.defaults().withSumTolerance(0.01));
    assertArrayEquals(new double[] {0.5, 0.495}, t.probs()[0]); // kept as given, not renormalised
  }
}
