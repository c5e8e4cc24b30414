package org.llkd.models.classifier;

import java.util.List;
import java.util.Map;
import org.llkd.models.encoder.Pooling;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.tokenizer.WordPieceTokenizer;
import org.nd4j.linalg.api.buffer.DataType;

/** Test fixtures: a small random student over the real MiniLM vocabulary (so real text tokenizes). */
public final class TinyModels {
  private TinyModels() {}

  /** MiniLM vocab 30522, H 16, 2 layers, 2 heads, F 32, 64 positions, 3 classes, FLOAT, random weights. */
  public static ModelBundle bundle(Pooling pooling, long seed, int maxLength) {
    StudentConfig c = new StudentConfig(new StudentConfig.Shape(30522, 16, 2, 2, 32, 64, 2),
        new StudentConfig.Head(3, pooling), new StudentConfig.Regularisation(0.0, 0.0, 1e-12), DataType.FLOAT);
    StudentTransformer m = StudentTransformer.initRandom(c, seed);
    // random init gives near-uniform outputs; scale the head so that predictions differ between texts
    m.params().get("classifier.weight").muli(50);
    byte[] tok;
    try (WordPieceTokenizer t = WordPieceTokenizer.miniLm()) {
      tok = t.json();
    }
    return new ModelBundle(c, m.params(), tok, List.of("négatif", "neutral, mixed", "positive"), maxLength,
        Map.of("test", "TinyModels", "seed", seed));
  }

  /** Texts of mixed length (1 to ~60 words), some Unicode, deterministic. */
  public static List<String> texts(int n) {
    String[] words = {"the", "movie", "was", "great", "awful", "café", "naïve", "plot", "I", "loved", "hated", "it",
        "😀", "not", "really", "boring", "brilliant", "acting", "music", "end", "東京", "weather", "today"};
    java.util.Random r = new java.util.Random(n * 31L + 7);
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = 1 + (i * 7919 % 60);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < len; w++) sb.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
      out.add(sb.toString());
    }
    return out;
  }
}
