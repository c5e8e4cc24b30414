package org.llkd.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.llkd.models.classifier.ModelBundle;
import org.llkd.models.classifier.ModelDirectory;
import org.llkd.models.classifier.TextClassifier;
import org.llkd.models.classifier.TinyModels;
import org.llkd.models.encoder.Pooling;
import org.llkd.models.tokenizer.EncodedBatch;

/**
 * The exported graph in onnxruntime against the ND4J student on 120 texts of mixed length (1 to ~60 words plus a
 * 100k-character text, truncated), in batches of 1, 7 and 32 so padding differs: max |p_onnx - p_nd4j| <= 1e-4.
 */
class OnnxExportTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Pooling.class)
  void onnxRuntimeMatchesNd4j(Pooling pooling) throws Exception {
    ModelBundle b = TinyModels.bundle(pooling, 23, 48);
    ModelDirectory.write(tmp.resolve("model"), b);
    Path onnx = tmp.resolve("student.onnx");
    OnnxExporter.export(b, onnx);
    List<String> texts = new ArrayList<>(TinyModels.texts(119));
    texts.add("café ".repeat(20_000)); // 100k characters
    try (TextClassifier clf = TextClassifier.load(tmp.resolve("model"))) {
      double[][] expected = clf.probabilities(texts);
      double maxDiff = 0;
      int compared = 0;
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
        opts.setIntraOpNumThreads(1);
        try (OrtSession s = env.createSession(onnx.toString(), opts)) {
          assertEquals(List.of(OnnxExporter.INPUT_IDS, OnnxExporter.ATTENTION_MASK), List.copyOf(s.getInputNames()));
          int from = 0;
          int[] sizes = {1, 7, 32};
          for (int k = 0; from < texts.size(); k++) {
            int to = Math.min(texts.size(), from + sizes[k % sizes.length]);
            EncodedBatch enc = clf.tokenizer().encodeBatch(texts.subList(from, to));
            try (OnnxTensor ids = OnnxTensor.createTensor(env, enc.inputIds());
                 OnnxTensor mask = OnnxTensor.createTensor(env, enc.attentionMask());
                 OrtSession.Result r = s.run(Map.of(OnnxExporter.INPUT_IDS, ids, OnnxExporter.ATTENTION_MASK, mask))) {
              float[][] p = (float[][]) r.get(OnnxExporter.PROBABILITIES).get().getValue(); // [b, C]
              assertEquals(to - from, p.length);
              for (int i = 0; i < p.length; i++) {
                for (int c = 0; c < p[i].length; c++) {
                  maxDiff = Math.max(maxDiff, Math.abs(p[i][c] - expected[from + i][c]));
                  compared++;
                }
              }
            }
            from = to;
          }
        }
      }
      assertEquals(120 * 3, compared);
      assertTrue(maxDiff <= 1e-4, pooling + ": max |p_onnx - p_nd4j| = " + maxDiff);
      // the comparison discriminates: another model's probabilities are far from these
      ModelBundle other = TinyModels.bundle(pooling, 24, 48);
      try (TextClassifier o = TextClassifier.of(other)) {
        double[][] q = o.probabilities(texts.subList(0, 20));
        double d = 0;
        for (int i = 0; i < 20; i++) for (int c = 0; c < 3; c++) d = Math.max(d, Math.abs(q[i][c] - expected[i][c]));
        assertTrue(d > 1e-2, "a different model should differ by far more than the tolerance, found " + d);
      }
    }
  }

  @Test void graphHasDynamicAxesAndNamedIo() {
    var m = OnnxExporter.build(TinyModels.bundle(Pooling.MEAN, 1, 16));
    var in = m.getGraph().getInput(0).getType().getTensorType().getShape();
    assertEquals("batch", in.getDim(0).getDimParam());
    assertEquals("sequence", in.getDim(1).getDimParam());
    assertEquals(OnnxExporter.PROBABILITIES, m.getGraph().getOutput(0).getName());
    assertEquals(3, m.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
  }
}
