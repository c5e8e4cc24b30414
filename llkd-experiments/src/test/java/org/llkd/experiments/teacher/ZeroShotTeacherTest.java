package org.llkd.experiments.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The real bge-small-en-v1.5 zero-shot teacher on six hand-written, unambiguous emotion sentences. */
class ZeroShotTeacherTest {
  private static final List<String> LABELS = List.of("sadness", "joy", "love", "anger", "fear", "surprise");

  @Test
  void labelsUnambiguousEmotionSentencesMostlyRight() {
    List<String> texts = List.of(
        "i feel so sad and lonely since my dog died",
        "i am so happy and excited, this is the best day of my life",
        "i love my wife so much, i feel so tender and affectionate towards her",
        "i am furious and so angry at my boss for lying to me",
        "i am terrified and scared that someone is following me home",
        "i was completely amazed and surprised when they told me the unexpected news");
    int[] gold = {0, 1, 2, 3, 4, 5};
    LabelDescriptions d = LabelDescriptions.forDataset("emotion", LABELS);
    try (ZeroShotTeacher t = ZeroShotTeacher.create(OnnxSentenceEncoder.open(EncoderModel.BGE_SMALL_EN_V15, 1), d,
        TemperatureSpec.AUTO, null)) {
      assertEquals("zeroshot-bge", t.name());
      assertEquals(0.02, t.temperature());
      double[][] p = t.predict(texts, n -> { });
      int right = 0;
      for (int i = 0; i < p.length; i++) {
        assertEquals(6, p[i].length);
        double sum = 0;
        int arg = 0;
        for (int c = 0; c < 6; c++) {
          assertTrue(p[i][c] >= 0 && p[i][c] <= 1, "probability in [0,1]");
          sum += p[i][c];
          if (p[i][c] > p[i][arg]) arg = c;
        }
        assertEquals(1.0, sum, 1e-9);
        if (arg == gold[i]) right++;
      }
      assertTrue(right >= 5, "expected >= 5 of 6 unambiguous sentences right, got " + right);
    }
  }

  @Test
  void encoderEmbeddingsAreUnitNormAndUnaffectedByPadding() {
    try (OnnxSentenceEncoder e = OnnxSentenceEncoder.open(EncoderModel.ALL_MINILM_L6_V2, 1, 4)) {
      List<String> texts = List.of("short", "a much longer sentence that needs more tokens than the first", "mid length text");
      float[][] a = e.encode(texts);
      float[][] alone = e.encode(List.of(texts.get(0)));  // batch of one: no padding
      for (float[] v : a) {
        double ss = 0;
        for (float x : v) ss += x * x;
        assertEquals(1.0, ss, 1e-5);
        assertEquals(384, v.length);
      }
      // Padding in a mixed-length batch must not change an embedding (mean pooling under the mask).
      for (int d = 0; d < 384; d++) assertEquals(alone[0][d], a[0][d], 1e-4);
      assertTrue(e.provenance().get("onnxSha256").toString().matches("[0-9a-f]{64}"));
    }
  }
}
