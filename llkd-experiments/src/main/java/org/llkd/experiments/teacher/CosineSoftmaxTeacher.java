package org.llkd.experiments.teacher;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * What the stand-in teachers share: one unit-norm vector per class (a label description's embedding or a few-shot
 * prototype) and {@code p = softmax(cos(text, vector_c) / T)} over the texts' embeddings by the same encoder.
 * Subclasses say how the vectors and T were chosen ({@link #provenance()}).
 */
abstract class CosineSoftmaxTeacher implements Teacher {
  protected final OnnxSentenceEncoder encoder;
  private final float[][] classVectors; // [numClasses][hidden], unit norm
  private final double temperature;

  /** Takes ownership of {@code encoder} (closed by {@link #close()}). */
  CosineSoftmaxTeacher(OnnxSentenceEncoder encoder, float[][] classVectors, double temperature) {
    this.encoder = encoder;
    this.classVectors = classVectors;
    this.temperature = temperature;
  }

  /** Cosines of {@code texts} with each class vector, {@code [n][numClasses]}. */
  public double[][] scores(List<String> texts, IntConsumer progress) {
    return Prototypes.cosine(encoder.encode(texts, progress), classVectors);
  }

  @Override
  public double temperature() {
    return temperature;
  }

  @Override
  public double[][] predict(List<String> texts, IntConsumer progress) {
    return Prototypes.softmax(scores(texts, progress), temperature);
  }

  @Override
  public double[][] predictEmbeddings(float[][] embeddings) {
    return Prototypes.softmax(Prototypes.cosine(embeddings, classVectors), temperature);
  }

  @Override
  public EncoderModel encoder() {
    return encoder.model();
  }

  @Override
  public void close() {
    encoder.close();
  }
}
