package org.llkd.experiments.product;

import org.llkd.experiments.ort.OrtRuntime;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.llkd.models.classifier.InferenceRuntime;
import org.llkd.models.onnx.OnnxExporter;
import org.llkd.models.tokenizer.EncodedBatch;

/**
 * Runs a graph written by {@link OnnxExporter} in onnxruntime (CPU, one intra-op thread unless told otherwise).
 * Checks at open that the graph has the inputs {@code input_ids}, {@code attention_mask} and the output
 * {@code probabilities} with the model's class count.
 */
public final class OnnxInference implements InferenceRuntime {
  private final OrtEnvironment env = OrtRuntime.environment();
  private final OrtSession session;
  private final int numClasses;

  public OnnxInference(Path onnxFile, int numClasses, int threads) {
    if (!Files.isRegularFile(onnxFile)) {
      throw new IllegalArgumentException("no ONNX file at " + onnxFile + "; write it with llkd export onnx --model DIR "
          + "--out " + onnxFile + " (or pass --onnx FILE)");
    }
    this.numClasses = numClasses;
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(threads);
      session = env.createSession(onnxFile.toString(), opts);
    } catch (OrtException e) {
      throw new IllegalArgumentException(onnxFile + ": onnxruntime cannot load it (" + e.getMessage() + ")", e);
    }
    if (!session.getInputNames().contains(OnnxExporter.INPUT_IDS) || !session.getInputNames().contains(OnnxExporter.ATTENTION_MASK)
        || !session.getOutputNames().contains(OnnxExporter.PROBABILITIES)) {
      close();
      throw new IllegalArgumentException(onnxFile + ": expected inputs [input_ids, attention_mask] and output probabilities"
          + " (a graph from llkd export onnx), found inputs " + session.getInputNames() + ", outputs " + session.getOutputNames());
    }
  }

  @Override public double[][] probabilities(EncodedBatch batch) {
    try (OnnxTensor ids = OnnxTensor.createTensor(env, batch.inputIds());            // [B, T] int64
         OnnxTensor mask = OnnxTensor.createTensor(env, batch.attentionMask());      // [B, T] int64
         OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT_IDS, ids, OnnxExporter.ATTENTION_MASK, mask))) {
      float[][] p = (float[][]) r.get(OnnxExporter.PROBABILITIES).orElseThrow().getValue(); // [B, C]
      double[][] out = new double[p.length][];
      for (int i = 0; i < p.length; i++) {
        if (p[i].length != numClasses) {
          throw new IllegalStateException("the ONNX graph returned " + p[i].length + " classes, the model has " + numClasses
              + "; export it again from this model directory");
        }
        out[i] = new double[numClasses];
        for (int c = 0; c < numClasses; c++) out[i][c] = p[i][c];
      }
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException("onnxruntime failed: " + e.getMessage(), e);
    }
  }

  @Override public String name() { return "onnx"; }

  @Override public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the onnxruntime session failed: " + e.getMessage(), e);
    }
  }
}
