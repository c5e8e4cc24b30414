package org.llkd.experiments.teacher;

import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Embeds the texts a teacher labels somewhere other than the teacher's own encoder, e.g. as Spark partitions with
 * one onnxruntime session each ({@code SparkEngine#textEmbedder}). The teacher is still built in this JVM (class
 * vectors or prototypes, temperature) and turns the embeddings into probabilities
 * ({@link Teacher#predictEmbeddings}); only the per-text encoder passes, the cost of an export, move.
 */
public interface TextEmbedder {
  /**
   * Unit-norm embeddings {@code [texts.size()][hidden]} of {@code texts} by {@code model} (its pooling and
   * truncation, as {@link OnnxSentenceEncoder#encode} does them), in input order; {@code progress} receives the
   * number of texts finished.
   */
  float[][] embed(EncoderModel model, List<String> texts, IntConsumer progress);

  /** Where the texts were embedded, for the export's provenance. */
  Map<String, Object> describe();
}
