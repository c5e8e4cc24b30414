package org.llkd.models.classifier;

import org.llkd.models.tokenizer.EncodedBatch;

/**
 * Turns a tokenized batch into class probabilities. {@link TextClassifier} gives each instance to one caller at a
 * time unless it declares itself {@link #threadSafe()}, so an implementation need not be thread-safe. Implementations: {@link Nd4jRuntime} (the hand-written ND4J student) and,
 * in llkd-experiments, the exported ONNX graph in onnxruntime.
 */
public interface InferenceRuntime extends AutoCloseable {
  /** Probabilities [batch][numClasses] (softmax of the head) for a right-padded batch. */
  double[][] probabilities(EncodedBatch batch);

  /** A short name for logs ("nd4j", "onnx"). */
  String name();

  /** True when concurrent {@link #probabilities} calls on this one instance are safe (then it is shared, not pooled). */
  default boolean threadSafe() { return false; }

  @Override default void close() {}
}
