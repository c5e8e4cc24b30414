package org.llkd.selection.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llkd.selection.teacher.TeacherTestFiles.LABELS;
import static org.llkd.selection.teacher.TeacherTestFiles.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TeacherOutputWriter}: what it writes reads back identically, matches numpy's bytes, and is atomic. */
class TeacherWriterTest {
  @TempDir Path dir;

  private static final List<String> IDS = List.of("train-0", "train-1", "train-2");
  private static final double[][] P = {{0.1, 0.7, 0.2}, {1.0 / 3, 1.0 / 3, 1.0 / 3}, {0.0, 0.0, 1.0}};

  private static TeacherOutputs table(Map<String, Object> meta) {
    return TeacherOutputs.ofProbabilities(IDS, LABELS, P, meta);
  }

  @Test
  void jsonlRoundTripIsExact() throws IOException {
    Path f = dir.resolve("out.jsonl");
    TeacherOutputWriter.writeJsonl(table(Map.of("model", "bge", "T", 0.02)), f);
    TeacherOutputs back = TeacherOutputReader.read(f);
    assertArrayEquals(P, back.probs());
    assertEquals(IDS, back.ids());
    assertEquals(LABELS, back.labelNames());
    assertEquals(Map.of("model", "bge", "T", 0.02), back.metadata());
    List<String> lines = Files.readAllLines(f);
    assertEquals(4, lines.size());
    assertEquals("{\"id\":\"train-0\",\"probs\":[0.1,0.7,0.2],\"label_names\":[\"sadness\",\"joy\",\"love\"]}",
        lines.get(1));
    assertNoTempFiles();
  }

  @Test
  void jsonlLogitsRoundTrip() throws IOException {
    Path f = dir.resolve("z.jsonl");
    double[][] z = {{2, 0, -1}, {0.5, 0.5, 0.5}}; // rows 0 and 1 of numpy_logits.npz
    TeacherOutputWriter.writeJsonlLogits(List.of("dev-0", "dev-1"), null, z, Map.of(), f);
    assertEquals("{\"id\":\"dev-0\",\"logits\":[2.0,0.0,-1.0]}", Files.readAllLines(f).get(0));
    TeacherOutputs back = TeacherOutputReader.read(f, TeacherOutputReader.Options.defaults().withTemperature(2));
    assertEquals(TeacherValueKind.LOGITS, back.storedAs());
    JsonNode numpyT2 = JsonlTeacherParser.MAPPER.readTree(resource("numpy_logits_expected.json").toFile()).get("T2");
    for (int i = 0; i < 2; i++) {
      for (int k = 0; k < 3; k++) {
        assertEquals(numpyT2.get(i).get(k).asDouble(), back.prob(i, k), 1e-15);
      }
    }
    assertFalse(back.hasLabelNames());
  }

  @Test
  void npyFloat64IsByteIdenticalToNumpySave() throws IOException {
    double[][] p = {{0.7, 0.2, 0.1}, {0.125, 0.75, 0.125}, {0.0, 0.0, 1.0}, {0.25, 0.25, 0.5}};
    List<String> ids = List.of("train-0", "train-1", "train-2", "train-3");
    Path f = dir.resolve("p.npy");
    TeacherOutputWriter.writeNpy(TeacherOutputs.ofProbabilities(ids, null, p, Map.of()), f,
        TeacherOutputWriter.NpyDtype.FLOAT64);
    assertArrayEquals(Files.readAllBytes(resource("numpy_probs_f8.npy")), Files.readAllBytes(f));
    assertEquals(Files.readString(resource("numpy_probs_f8.npy.ids.txt")), Files.readString(dir.resolve("p.npy.ids.txt")));
    assertFalse(Files.exists(dir.resolve("p.npy.labels.txt")));
  }

  @Test
  void npyFloat32RoundTripWithSidecars() {
    Path f = dir.resolve("p32.npy");
    TeacherOutputWriter.writeNpy(table(Map.of("model", "m")), f, TeacherOutputWriter.NpyDtype.FLOAT32);
    TeacherOutputs back = TeacherOutputReader.read(f);
    assertEquals(IDS, back.ids());
    assertEquals(LABELS, back.labelNames());
    assertEquals("m", back.metadata().get("model"));
    for (int i = 0; i < P.length; i++) {
      for (int k = 0; k < 3; k++) {
        assertEquals((double) (float) P[i][k], back.prob(i, k));
      }
    }
    assertEquals(4, back.inputSha256().size());
  }

  @Test
  void rewriteReplacesFilesAndDropsStaleSidecars() throws IOException {
    Path f = dir.resolve("t.npy");
    TeacherOutputWriter.writeNpy(table(Map.of("model", "old")), f, TeacherOutputWriter.NpyDtype.FLOAT64);
    assertTrue(Files.exists(dir.resolve("t.npy.labels.txt")));
    TeacherOutputs noNames = TeacherOutputs.ofProbabilities(List.of("dev-0"), null, new double[][] {{0.5, 0.5}}, Map.of());
    TeacherOutputWriter.writeNpy(noNames, f, TeacherOutputWriter.NpyDtype.FLOAT64);
    assertFalse(Files.exists(dir.resolve("t.npy.labels.txt")));
    assertFalse(Files.exists(dir.resolve("t.npy.meta.json")));
    TeacherOutputs back = TeacherOutputReader.read(f);
    assertEquals(List.of("dev-0"), back.ids());
    assertEquals(Map.of(), back.metadata());
    assertNoTempFiles();
  }

  @Test
  void invalidInputWritesNothingAndKeepsTheOldFile() throws IOException {
    Path f = dir.resolve("keep.jsonl");
    TeacherOutputWriter.writeJsonl(table(Map.of()), f);
    byte[] before = Files.readAllBytes(f);
    assertThrows(TeacherFormatException.class, () -> TeacherOutputWriter.writeJsonlLogits(List.of("train-0"), LABELS,
        new double[][] {{1, Double.NaN, 0}}, Map.of(), f));
    assertArrayEquals(before, Files.readAllBytes(f));
    assertNoTempFiles();
  }

  @Test
  void inMemoryTablesAreValidatedLikeFiles() {
    TeacherFormatException e = assertThrows(TeacherFormatException.class, () -> TeacherOutputs.ofProbabilities(
        List.of("train-0", "train-0"), null, new double[][] {{1, 0}, {0, 1}}, Map.of()));
    assertEquals(TeacherOutputs.IN_MEMORY, e.source());
    assertEquals("row 1", e.location());
  }

  private void assertNoTempFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> tmp = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
      assertEquals(List.of(), tmp);
    }
  }
}
