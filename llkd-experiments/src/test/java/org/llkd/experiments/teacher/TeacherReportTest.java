package org.llkd.experiments.teacher;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.selection.teacher.TeacherOutputWriter;
import org.llkd.selection.teacher.TeacherOutputs;

/** The README table is built from provenance files, and each JSONL is re-read and aligned to the dataset. */
class TeacherReportTest {
  private static final List<String> LABELS = List.of("sadness", "joy", "love", "anger", "fear", "surprise");

  private static String provenance(double devAcc, double majority) {
    return """
        {"config": {"splits": ["dev"]},
         "dataset": {"name": "emotion"},
         "teacher": {"teacher": "zeroshot-bge", "temperature": {"value": 0.02, "choice": "documented default"}},
         "quality": {"coverage": 1.0, "bySplit": {"dev": {"n": 5, "accuracy": %s, "macroF1": 0.5, "ece": 0.1,
           "majorityClass": "joy", "majorityRate": %s, "confidenceAuroc": 0.7}}},
         "exportWallSeconds": 3.0}
        """.formatted(devAcc, majority);
  }

  private static void writeJsonl(Path file, int rows) {
    List<String> ids = new java.util.ArrayList<>();
    double[][] p = new double[rows][];
    for (int i = 0; i < rows; i++) {
      ids.add("dev-" + i);
      p[i] = new double[] {0.5, 0.1, 0.1, 0.1, 0.1, 0.1};
    }
    TeacherOutputWriter.writeJsonl(TeacherOutputs.ofProbabilities(ids, LABELS, p, Map.of("teacher", "zeroshot-bge")), file);
  }

  @Test
  void tableRowsComeFromProvenanceAndWeakTeachersAreMarked(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("emotion"));
    Files.writeString(root.resolve("emotion/zeroshot-bge.jsonl.provenance.json"), provenance(0.40, 0.35));
    writeJsonl(root.resolve("emotion/zeroshot-bge.jsonl"), 5);
    Path readme = root.resolve("README.md");
    TeacherReport.write(root, readme, TeacherExporterTest.dataRoot());
    String md = Files.readString(readme);
    assertTrue(md.contains("| emotion | zeroshot-bge |"), md);
    assertTrue(md.contains("| 0.400 |"), md);
    assertTrue(md.contains("**weak**"), md);
    assertTrue(md.contains("yes, 5 rows"), md);
  }

  @Test
  void aFileMissingDatasetRowsFailsVerification(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("emotion"));
    Files.writeString(root.resolve("emotion/zeroshot-bge.jsonl.provenance.json"), provenance(0.8, 0.35));
    writeJsonl(root.resolve("emotion/zeroshot-bge.jsonl"), 4);   // dev has 5 rows
    assertThrows(RuntimeException.class, () -> TeacherReport.write(root, root.resolve("README.md"), TeacherExporterTest.dataRoot()));
  }
}
