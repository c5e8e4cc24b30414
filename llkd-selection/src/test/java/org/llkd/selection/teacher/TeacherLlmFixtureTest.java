package org.llkd.selection.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.llkd.selection.teacher.TeacherTestFiles.resource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Imports {@code llm_teacher_example.jsonl}, a file in exactly the layout {@code scripts/llm_teacher.py}
 * writes (hand-made values: bf16-representable first-token logits for a 3-class, 5-row dataset,
 * {@code llm_teacher_example_train.tsv}).
 */
class TeacherLlmFixtureTest {
  /** softmax of the fixture's logits, computed with numpy (float64). */
  private static final double[][] EXPECTED = {
      {0.9934686402803561, 0.0052132449688808815, 0.00131811475076297},
      {0.00022375156758299748, 0.9704705763386405, 0.029305672093776346},
      {0.003511748584293975, 0.4059029475549833, 0.5905853038607227},
      {0.44388424362844425, 0.44388424362844425, 0.11223151274311144},
      {2.1438601771946056e-05, 0.9996826106296218, 0.00029595076860637886}};

  @Test
  void importsTheScriptFormatAndAlignsToItsDataset() throws Exception {
    Path tsv = resource("llm_teacher_example_train.tsv");
    List<String> lines = Files.readAllLines(tsv);
    List<String> datasetIds = new ArrayList<>();
    for (int r = 0; r < lines.size() - 1; r++) { // header excluded
      datasetIds.add("train-" + r);
    }
    TeacherOutputs t = TeacherOutputReader.read(resource("llm_teacher_example.jsonl"));
    Map<String, Object> meta = t.metadata();
    assertEquals("example/hand-written-fixture", meta.get("model"));
    assertEquals("first_token", meta.get("scoring"));
    assertEquals("logits", meta.get("values"));
    assertEquals("Classify the text into one of these categories: {labels}.\n\nText: {text}\nCategory:",
        meta.get("prompt_template"));
    assertEquals(org.llkd.models.io.Sha256.of(tsv), meta.get("input_sha256")); // provenance points at the dataset file
    assertEquals(TeacherValueKind.LOGITS, t.storedAs());

    // the dataset lists its classes in another order than the teacher: columns follow the dataset
    TeacherOutputs a = t.alignTo(datasetIds, List.of("love", "sadness", "joy"));
    for (int r = 0; r < EXPECTED.length; r++) {
      double[] e = EXPECTED[r];
      assertArrayEquals(new double[] {e[2], e[0], e[1]}, a.probs()[r], 1e-15, "row " + r);
    }
    assertEquals("line 2", a.sourceLocation(0)); // line 1 is the _meta header
  }
}
