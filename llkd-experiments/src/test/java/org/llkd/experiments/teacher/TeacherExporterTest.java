package org.llkd.experiments.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.selection.teacher.TeacherOutputReader;
import org.llkd.selection.teacher.TeacherOutputs;

/** Exports on the tiny emotion-labelled TSVs in test resources (12 train rows, 5 dev rows). */
class TeacherExporterTest {
  private static final List<String> LABELS = List.of("sadness", "joy", "love", "anger", "fear", "surprise");

  static Path dataRoot() throws Exception {
    return Path.of(TeacherExporterTest.class.getResource("/teacher/data/emotion/labels.txt").toURI()).getParent().getParent();
  }

  @Test
  void zeroShotExportWritesReadableJsonlWithFullCoverageAndProvenance(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("zs.jsonl");
    TeacherExporter.Config c = config(List.of("dev"), "zeroshot-bge", out);
    TeacherExporter.Result r = TeacherExporter.run(c);
    assertEquals(5, r.rows());
    assertEquals(1.0, r.coverage());

    // The project's strict reader accepts the file, and every dev row of the dataset has a teacher row.
    TeacherOutputs back = TeacherOutputReader.read(out);
    List<String> devIds = List.of("dev-0", "dev-1", "dev-2", "dev-3", "dev-4");
    assertEquals(devIds, back.ids());
    assertEquals(LABELS, back.labelNames());
    assertEquals("zeroshot-bge", back.metadata().get("teacher"));
    TeacherOutputs aligned = back.forSplit("dev").alignTo(devIds, LABELS);
    assertEquals(5, aligned.numRows());
    for (double[] p : aligned.probs()) {
      double sum = 0;
      for (double x : p) sum += x;
      assertEquals(1.0, sum, 1e-5);
    }

    JsonNode prov = new ObjectMapper().readTree(TeacherExporter.provenancePath(out).toFile());
    assertEquals(1.0, prov.path("quality").path("coverage").asDouble());
    assertEquals(5, prov.path("quality").path("bySplit").path("dev").path("n").asInt());
    assertTrue(prov.path("teacher").path("encoder").path("onnxSha256").asText().matches("[0-9a-f]{64}"));
    assertEquals("CLS", prov.path("teacher").path("encoder").path("pooling").asText());
    assertTrue(prov.path("inputs").path("emotion/dev.tsv").asText().contains("sha256:"));
    assertTrue(prov.has("git") && prov.has("java") && prov.has("wallSeconds"));
    assertEquals("none", prov.path("teacher").path("goldLabelsUsed").asText());
  }

  @Test
  void fewShotExportRecordsShotsAndFittedTemperature(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("fs.jsonl");
    TeacherExporter.Config c = config(List.of("train", "dev"), "fewshot-minilm", out);
    TeacherExporter.Result r = TeacherExporter.run(c);
    assertEquals(17, r.rows());
    assertEquals(1.0, r.coverage());
    assertTrue(TemperatureFit.DEFAULT_GRID.contains(r.temperature()));
    JsonNode prov = new ObjectMapper().readTree(TeacherExporter.provenancePath(out).toFile());
    assertEquals(12, prov.path("teacher").path("shots").path("ids").size());
    assertEquals(2, prov.path("teacher").path("shots").path("k").asInt());
    assertTrue(prov.path("teacher").path("sharesStudentPrior").asText().contains("student"));
    assertTrue(prov.path("teacher").path("temperature").path("choice").asText().contains("leave-one-out"));
    // all 12 tiny train rows are shots: train-without-shots is empty, dev is untouched
    assertEquals(12, prov.path("quality").path("shotRowsExported").asInt());
    assertTrue(prov.path("quality").path("bySplitExcludingShots").path("train").isMissingNode());
    assertEquals(5, prov.path("quality").path("bySplitExcludingShots").path("dev").path("n").asInt());
  }

  @Test
  void refusesToOverwriteWithoutForceBeforeLoadingAnything(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("x.jsonl");
    Files.writeString(out, "keep\n");
    TeacherExporter.Config c = config(List.of("dev"), "zeroshot-bge", out);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TeacherExporter.run(c));
    assertTrue(e.getMessage().contains("--force"), e.getMessage());
    assertEquals("keep\n", Files.readString(out));
  }

  @Test
  void unknownTeacherIsRejectedInTheConfig() {
    assertThrows(IllegalArgumentException.class, () -> new TeacherExporter.Config.TeacherSpec("gpt-4", 16, 13,
        TemperatureSpec.AUTO, null));
  }

  /** emotion's {@code splits} by {@code teacher}: 2 shots per class, seed 13, one thread, no progress bar. */
  private static TeacherExporter.Config config(List<String> splits, String teacher, Path out) throws Exception {
    return new TeacherExporter.Config(new TeacherExporter.Config.Source(dataRoot(), "emotion", splits),
        new TeacherExporter.Config.TeacherSpec(teacher, 2, 13, TemperatureSpec.AUTO, null),
        new TeacherExporter.Config.Output(out, false), new TeacherExporter.Config.Run(1, false));
  }
}
