package org.llkd.experiments.product;

import org.llkd.experiments.ort.OrtRuntime;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llkd.models.classifier.InferenceRuntime;
import org.llkd.models.onnx.OnnxExporter;
import org.llkd.models.tokenizer.EncodedBatch;

/**
 * Runs a graph written by {@link OnnxExporter} in onnxruntime (CPU, {@code threads} intra-op threads). Checks at open
 * that the graph has the inputs {@code input_ids}, {@code attention_mask} and the output {@code probabilities}, and
 * that its metadata names the model directory's labels (same names, same order) and weights.bin hash: a graph
 * exported from another model (or retrained since) is refused, not run with the wrong labels. One session serves
 * concurrent callers (onnxruntime's {@code run} is thread-safe), so {@link #threadSafe()} is true.
 */
public final class OnnxInference implements InferenceRuntime {
  private final OrtEnvironment env = OrtRuntime.environment();
  private final OrtSession session;
  private final int numClasses;

  /**
   * @param labels        the model directory's label names, in class order
   * @param weightsSha256 the model directory's weights.bin hash ({@code ModelDirectory.weightsSha256})
   * @param threads       onnxruntime intra-op threads, >= 1
   */
  public OnnxInference(Path onnxFile, List<String> labels, String weightsSha256, int threads) {
    if (!Files.isRegularFile(onnxFile)) {
      throw new IllegalArgumentException("no ONNX file at " + onnxFile + "; write it with llkd export onnx --model DIR "
          + "--out BUNDLE (then pass --onnx BUNDLE or BUNDLE/model.onnx)");
    }
    if (threads < 1) throw new IllegalArgumentException("--threads: expected >= 1, found " + threads);
    this.numClasses = labels.size();
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
    Map<String, String> meta;
    try {
      meta = session.getMetadata().getCustomMetadata();
    } catch (OrtException e) {
      close();
      throw new IllegalArgumentException(onnxFile + ": cannot read the graph's metadata (" + e.getMessage() + ")", e);
    }
    String problem = mismatch(meta, labels, weightsSha256);
    if (problem != null) {
      close();
      throw new IllegalArgumentException(onnxFile + " does not belong to this model directory: " + problem
          + "; export it again with llkd export onnx --model DIR --out BUNDLE");
    }
  }

  /** What in the graph's metadata disagrees with the model directory, or null when both the labels and hash match. */
  static String mismatch(Map<String, String> meta, List<String> labels, String weightsSha256) {
    String sha = meta.get(OnnxExporter.META_WEIGHTS_SHA256);
    if (sha == null) {
      return "its metadata has no " + OnnxExporter.META_WEIGHTS_SHA256 + " (exported by an older LLKD-J or from memory)";
    }
    if (!sha.equals(weightsSha256)) {
      return "its metadata records weights.bin SHA-256 " + sha + ", the model directory's is " + weightsSha256;
    }
    String l = meta.get(OnnxExporter.META_LABELS);
    List<String> found = l == null ? List.of() : List.of(l.split("\n", -1));
    if (!found.equals(labels)) {
      return "its labels are " + found + ", the model directory's are " + labels;
    }
    return null;
  }

  @Override public boolean threadSafe() { return true; }

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
