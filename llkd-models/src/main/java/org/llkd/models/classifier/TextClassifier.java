package org.llkd.models.classifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.tokenizer.EncodedBatch;
import org.llkd.models.tokenizer.WordPieceTokenizer;

/**
 * A trained student ready to classify texts:
 * <pre>{@code
 * try (TextClassifier clf = TextClassifier.load(Path.of("out/model"))) {
 *   Prediction p = clf.predict("I love this");   // p.label(), p.probabilities()
 *   List<Prediction> ps = clf.predict(texts);    // in input order
 * }
 * }</pre>
 * Texts are tokenized with the model's own tokenizer.json and truncated to its maxLength tokens (a text of any
 * length is accepted; the tail beyond maxLength tokens is ignored, as in training). Lists are processed in batches
 * of {@link #batchSize()} texts, so memory is bounded by one batch whatever the list size (plus the results).
 *
 * <p><b>Thread-safety.</b> Safe for concurrent callers. The hand-written student reuses its activation buffers, so
 * one instance serialises its batches with a fair lock (tokenize + forward of one batch at a time); concurrent
 * callers get correct results but no parallel speed-up. For parallel throughput, load one TextClassifier per thread.
 */
public final class TextClassifier implements AutoCloseable {
  /** Texts per forward pass in {@link #predict(List)}. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final ModelBundle bundle;
  private final WordPieceTokenizer tokenizer;
  private final InferenceRuntime runtime;
  private final int batchSize;
  private final ReentrantLock lock = new ReentrantLock(true);

  private TextClassifier(ModelBundle bundle, WordPieceTokenizer tokenizer, InferenceRuntime runtime, int batchSize) {
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
    this.bundle = bundle;
    this.tokenizer = tokenizer;
    this.runtime = runtime;
    this.batchSize = batchSize;
  }

  /** Loads a model directory (validated, see {@link ModelDirectory#read}) onto the ND4J student. */
  public static TextClassifier load(Path modelDir) {
    return load(modelDir, b -> new Nd4jRuntime(new StudentTransformer(b.config().withDropout(0, 0), b.params())),
        DEFAULT_BATCH_SIZE);
  }

  /**
   * Loads a model directory and runs it on the runtime that {@code runtimeFactory} builds from the loaded bundle
   * (e.g. the exported ONNX graph in onnxruntime), with {@code batchSize} texts per forward.
   */
  public static TextClassifier load(Path modelDir, Function<ModelBundle, InferenceRuntime> runtimeFactory, int batchSize) {
    ModelBundle b = ModelDirectory.read(modelDir);
    Path dir = modelDir.toAbsolutePath().normalize();
    WordPieceTokenizer tok;
    try {
      tok = WordPieceTokenizer.fromPath(dir.resolve(ModelDirectory.TOKENIZER), b.maxLength());
    } catch (RuntimeException e) {
      throw new ModelFormatException(dir, ModelDirectory.TOKENIZER, "not a usable WordPiece tokenizer: " + e.getMessage(), e);
    }
    if (tok.vocabSize() != b.config().vocabSize()) {
      tok.close();
      throw new ModelFormatException(dir, ModelDirectory.TOKENIZER, "vocabulary of " + tok.vocabSize()
          + " tokens, expected " + b.config().vocabSize() + " (architecture.vocabSize)");
    }
    return new TextClassifier(b, tok, runtimeFactory.apply(b), batchSize);
  }

  /** A classifier over an in-memory bundle (no files), e.g. straight after training; shares the bundle's weights. */
  public static TextClassifier of(ModelBundle b) {
    StudentConfig c = b.config().withDropout(0, 0);
    WordPieceTokenizer tok = WordPieceTokenizer.fromJson(b.tokenizerJson(), "in-memory model bundle", b.maxLength());
    return new TextClassifier(b, tok, new Nd4jRuntime(new StudentTransformer(c, b.params())), DEFAULT_BATCH_SIZE);
  }

  /** The prediction for one text. */
  public Prediction predict(String text) {
    Objects.requireNonNull(text, "text");
    return predict(List.of(text)).get(0);
  }

  /** Predictions for {@code texts}, in the same order. An empty list gives an empty list. */
  public List<Prediction> predict(List<String> texts) {
    double[][] p = probabilities(texts);
    List<Prediction> out = new ArrayList<>(p.length);
    for (double[] row : p) out.add(Prediction.of(bundle.labels(), row));
    return out;
  }

  /** Probabilities [texts.size()][numClasses] in label order, computed {@link #batchSize()} texts at a time. */
  public double[][] probabilities(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) throw new IllegalArgumentException("texts[" + i + "] is null; expected a string");
    }
    double[][] out = new double[texts.size()][];
    for (int from = 0; from < texts.size(); from += batchSize) {
      int to = Math.min(texts.size(), from + batchSize);
      double[][] p = batch(texts.subList(from, to));
      System.arraycopy(p, 0, out, from, p.length);
    }
    return out;
  }

  private double[][] batch(List<String> texts) {
    lock.lock();
    try {
      EncodedBatch enc = tokenizer.encodeBatch(texts); // [b, T], T <= maxLength
      double[][] p = runtime.probabilities(enc);
      if (p.length != texts.size()) {
        throw new IllegalStateException(runtime.name() + " runtime returned " + p.length + " rows for " + texts.size() + " texts");
      }
      return p;
    } finally {
      lock.unlock();
    }
  }

  /** Label names, index i = class i. */
  public List<String> labels() { return bundle.labels(); }

  /** Tokens per text ([CLS] and [SEP] included) beyond which texts are truncated. */
  public int maxLength() { return bundle.maxLength(); }

  public int batchSize() { return batchSize; }

  /** The loaded directory's content (architecture, weights, provenance). */
  public ModelBundle bundle() { return bundle; }

  /** The runtime name ("nd4j" or "onnx"). */
  public String runtimeName() { return runtime.name(); }

  /** The tokenizer (thread-safe for encoding; do not close it while the classifier is in use). */
  public WordPieceTokenizer tokenizer() { return tokenizer; }

  @Override public void close() {
    lock.lock();
    try {
      runtime.close();
      tokenizer.close();
    } finally {
      lock.unlock();
    }
  }


}
