package org.llkd.experiments.teacher;

import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A stand-in for the LLM teacher: class probabilities for texts, with the provenance that says how they
 * were made. Implementations never see gold labels of the texts they label.
 */
public interface Teacher extends AutoCloseable {
  /** Teacher name as used in file names, e.g. {@code zeroshot-bge}. */
  String name();

  /** Class names in class-id order. */
  List<String> labelNames();

  /** The softmax temperature in use. */
  double temperature();

  /**
   * Class probabilities {@code [texts.size()][numClasses]} (rows sum to 1), calling {@code progress} with
   * the number of texts finished as work proceeds.
   */
  double[][] predict(List<String> texts, IntConsumer progress);

  /**
   * Class probabilities {@code [n][numClasses]} from the unit-norm embeddings {@code [n][hidden]} of the texts by
   * this teacher's encoder ({@link #encoder()}), computed elsewhere (a {@link TextEmbedder}).
   */
  double[][] predictEmbeddings(float[][] embeddings);

  /** The sentence encoder whose embeddings {@link #predictEmbeddings} expects. */
  EncoderModel encoder();

  /** How this teacher was built: encoder, temperature and how it was chosen, descriptions or shots. */
  Map<String, Object> provenance();

  @Override
  void close();
}
