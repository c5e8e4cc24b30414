package org.llkd.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.llkd.experiments.product.OnnxInference;
import org.llkd.models.classifier.ModelDirectory;
import org.llkd.models.classifier.TextClassifier;
import picocli.CommandLine.Option;

/** How {@code predict} and {@code serve} run a model directory: the runtime, the ONNX bundle, the threads. */
final class RuntimeOptions {
  @Option(names = "--runtime", defaultValue = "nd4j", description = "nd4j (the Java student) or onnx (the exported graph in onnxruntime) (default: ${DEFAULT-VALUE}).")
  String runtime = "nd4j";

  @Option(names = "--onnx", description = "For --runtime onnx: the bundle directory of llkd export onnx, or its model.onnx "
      + "(default: MODEL/model.onnx). Its metadata must name this model directory's labels and weights hash.")
  Path onnx;

  @Option(names = "--threads", description = "onnxruntime intra-op threads; with nd4j, the most forwards run at once "
      + "(one student's activation buffers each) (default: the available processors, ${sys:llkd.processors}).")
  Integer threads;

  static {
    System.setProperty("llkd.processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
  }

  int threads() {
    int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (t < 1 || t > 1024) throw new IllegalArgumentException("--threads: expected 1..1024, found " + t);
    return t;
  }

  /** The ONNX file that --onnx names (a bundle directory means its model.onnx). */
  Path onnxFile(Path model) {
    Path p = onnx != null ? onnx : model.resolve("model.onnx");
    return Files.isDirectory(p) ? p.resolve("model.onnx") : p;
  }

  /** The classifier on the chosen runtime, {@code batchSize} texts per forward. */
  TextClassifier open(Path model, int batchSize) {
    int t = threads();
    return switch (runtime) {
      case "nd4j" -> TextClassifier.load(model, TextClassifier::nd4j, batchSize, t);
      case "onnx" -> {
        Path file = onnxFile(model);
        String sha = ModelDirectory.weightsSha256(model);
        yield TextClassifier.load(model, b -> new OnnxInference(file, b.labels(), sha, t), batchSize, t);
      }
      default -> throw new IllegalArgumentException("--runtime: expected nd4j or onnx, found '" + runtime + "'");
    };
  }
}
