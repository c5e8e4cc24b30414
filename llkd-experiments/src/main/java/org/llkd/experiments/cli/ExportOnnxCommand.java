package org.llkd.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llkd.models.classifier.ModelBundle;
import org.llkd.models.classifier.ModelDirectory;
import org.llkd.models.onnx.OnnxExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llkd export onnx}: the whole student as one ONNX graph; see {@link OnnxExporter}. */
@Command(
    name = "onnx",
    mixinStandardHelpOptions = true,
    description = {"Export a model directory as one ONNX graph (opset 13): inputs input_ids and attention_mask "
        + "(int64, [batch, sequence], both axes dynamic), output probabilities ([batch, classes], softmax).",
        "Tokenize with the model directory's tokenizer.json and maxLength; labels are in the graph's metadata."})
public final class ExportOnnxCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "Model directory (OUT/model of llkd train).")
  Path model;

  @Option(names = "--out", required = true, description = "ONNX file to write (atomically).")
  Path out;

  @Option(names = "--force", description = "Overwrite an existing --out file.")
  boolean force;

  @Override
  public Integer call() {
    if (Files.exists(out) && !force) {
      throw new IllegalArgumentException(out + " already exists; pass --force to overwrite or choose another --out");
    }
    ModelBundle b = ModelDirectory.read(model);
    OnnxExporter.export(b, out);
    spec.commandLine().getOut().printf("llkd export onnx: wrote %s (%d classes: %s)%n", out, b.labels().size(),
        String.join(", ", b.labels()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
