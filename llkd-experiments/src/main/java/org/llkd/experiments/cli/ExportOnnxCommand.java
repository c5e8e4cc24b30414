package org.llkd.experiments.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llkd.experiments.product.OnnxBundle;
import org.llkd.models.classifier.ModelBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llkd export onnx}: the student as an ONNX bundle directory that runs without LLKD-J; see {@link OnnxBundle}. */
@Command(
    name = "onnx",
    mixinStandardHelpOptions = true,
    description = {"Export a model directory as an ONNX bundle directory: model.onnx (opset 13; inputs input_ids and "
        + "attention_mask, int64 [batch, sequence], both axes dynamic; output probabilities [batch, classes], softmax; "
        + "metadata: labels, max_length, weights_sha256), tokenizer.json, labels.txt and a README.md with a Java example "
        + "(onnxruntime + DJL tokenizers, no LLKD-J).",
        "llkd predict --runtime onnx --onnx BUNDLE checks that the bundle's labels and weights hash are the model directory's."})
public final class ExportOnnxCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelDirectoryOption model = new ModelDirectoryOption();

  @Option(names = "--out", required = true, description = "Bundle directory to write (atomically), e.g. out/onnx.")
  Path out;

  @Option(names = "--force", description = "Replace an existing --out directory.")
  boolean force;

  @Override
  public Integer call() {
    ModelBundle b = OnnxBundle.write(model.dir, out, force);
    spec.commandLine().getOut().printf("llkd export onnx: wrote %s (%s, %s, %s, %s; %d classes: %s)%n", out, OnnxBundle.MODEL,
        OnnxBundle.TOKENIZER, OnnxBundle.LABELS, OnnxBundle.README, b.labels().size(), String.join(", ", b.labels()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
