package org.llkd.models.classifier;

import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.tokenizer.EncodedBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The hand-written ND4J student in eval mode. Not thread-safe (the student reuses its activation buffers);
 * {@link TextClassifier} gives each concurrent caller its own instance (the weights are shared). Token type ids are all 0 (single sentences), as the exported ONNX graph
 * assumes.
 */
public final class Nd4jRuntime implements InferenceRuntime {
  private final StudentTransformer model;

  public Nd4jRuntime(StudentTransformer model) {
    this.model = model;
  }

  @Override public double[][] probabilities(EncodedBatch batch) {
    INDArray ids = batch.inputIdsArray();                 // [B, T] INT64
    INDArray mask = batch.attentionMaskArray();           // [B, T] INT64
    INDArray logits = model.forwardLogits(ids, mask, null); // [B, C]
    INDArray p = Transforms.softmax(logits.castTo(DataType.DOUBLE), true); // [B, C] rows sum to 1
    return p.toDoubleMatrix();
  }

  @Override public String name() { return "nd4j"; }

  /** The wrapped student (tests compare it with the ONNX export). */
  public StudentTransformer model() { return model; }

}
