package org.llkd.models.classifier;

import org.llkd.models.tokenizer.EncodedBatch;

/**
 * Turns a tokenized batch into class probabilities. {@link TextClassifier} calls it under its lock, so an
 * implementation need not be thread-safe. Implementations: {@link Nd4jRuntime} (the hand-written ND4J student) and,
 * in llkd-experiments, the exported ONNX graph in onnxruntime.
 */
public interface InferenceRuntime extends AutoCloseable {
  /** Probabilities [batch][numClasses] (softmax of the head) for a right-padded batch. */
  double[][] probabilities(EncodedBatch batch);

  /** A short name for logs ("nd4j", "onnx"). */
  String name();

  @Override default void close() {}
}
