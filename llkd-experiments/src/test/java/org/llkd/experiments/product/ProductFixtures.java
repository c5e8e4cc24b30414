package org.llkd.experiments.product;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.cli.LlkdCli;
import org.llkd.models.classifier.ModelBundle;
import org.llkd.models.classifier.ModelDirectory;
import org.llkd.models.encoder.Pooling;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.tokenizer.WordPieceTokenizer;
import picocli.CommandLine;

/** Fixtures for the product commands: a small random model directory and a CLI runner. */
public final class ProductFixtures {
  private ProductFixtures() {}

  /** A model directory with MiniLM's vocabulary, H 16, 2 layers, labels [négatif, "neutral, mixed", positive]. */
  public static Path modelDir(Path dir, Pooling pooling, long seed) {
    StudentConfig c = new StudentConfig(new StudentConfig.Shape(30522, 16, 2, 2, 32, 64, 2),
        new StudentConfig.Head(3, pooling), new StudentConfig.Regularisation(0.0, 0.0, 1e-12),
        org.nd4j.linalg.api.buffer.DataType.FLOAT);
    StudentTransformer m = StudentTransformer.initRandom(c, seed);
    m.params().get("classifier.weight").muli(50); // spread the predictions over the labels
    byte[] tok;
    try (WordPieceTokenizer t = WordPieceTokenizer.miniLm()) {
      tok = t.json();
    }
    ModelDirectory.write(dir, new ModelBundle(c, m.params(), tok, List.of("négatif", "neutral, mixed", "positive"), 32,
        Map.of("fixture", "ProductFixtures")));
    return dir;
  }

  /** Result of one CLI run. */
  public record Run(int exit, String out, String err) {}

  public static Run cli(String... args) {
    CommandLine cl = LlkdCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
