package org.llkd.models.classifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
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
 * <p><b>Thread-safety.</b> Safe for concurrent callers, without a global lock: the hand-written student reuses its
 * activation buffers, so each concurrent caller borrows its own student (sharing the weights) from a pool that grows
 * on demand up to {@link #maxConcurrency()} (default: the available processors; callers beyond it wait); a
 * thread-safe runtime (onnxruntime) is shared. Results do not depend on how calls interleave (each batch is computed
 * alone). Tokenization runs concurrently (DJL's tokenizer is stateless).
 */
public final class TextClassifier implements AutoCloseable {
  /** Texts per forward pass in {@link #predict(List)}. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final ModelBundle bundle;
  private final WordPieceTokenizer tokenizer;
  private final RuntimePool runtimes;
  private final int batchSize;
  private final int maxConcurrency;

  private TextClassifier(ModelBundle bundle, WordPieceTokenizer tokenizer, Function<ModelBundle, InferenceRuntime> factory,
      int batchSize, int maxConcurrency) {
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
    if (maxConcurrency < 1) throw new IllegalArgumentException("maxConcurrency must be >= 1, found " + maxConcurrency);
    this.bundle = bundle;
    this.tokenizer = tokenizer;
    this.batchSize = batchSize;
    this.maxConcurrency = maxConcurrency;
    this.runtimes = new RuntimePool(factory.apply(bundle), () -> factory.apply(bundle), maxConcurrency);
  }

  /** The ND4J student in eval mode over {@code b}'s weights (shared, not copied). */
  public static InferenceRuntime nd4j(ModelBundle b) {
    return new Nd4jRuntime(new StudentTransformer(b.config().withDropout(0, 0), b.params()));
  }

  /** Concurrent callers served in parallel by default: the available processors. */
  public static int defaultMaxConcurrency() { return Runtime.getRuntime().availableProcessors(); }

  /** Loads a model directory (validated, see {@link ModelDirectory#read}) onto the ND4J student. */
  public static TextClassifier load(Path modelDir) {
    return load(modelDir, TextClassifier::nd4j, DEFAULT_BATCH_SIZE);
  }

  /**
   * Loads a model directory and runs it on the runtime that {@code runtimeFactory} builds from the loaded bundle
   * (e.g. the exported ONNX graph in onnxruntime), with {@code batchSize} texts per forward and up to
   * {@link #defaultMaxConcurrency()} runtimes for concurrent callers.
   */
  public static TextClassifier load(Path modelDir, Function<ModelBundle, InferenceRuntime> runtimeFactory, int batchSize) {
    return load(modelDir, runtimeFactory, batchSize, defaultMaxConcurrency());
  }

  /**
   * As {@link #load(Path, Function, int)}; {@code runtimeFactory} is called again for each further concurrent caller
   * (up to {@code maxConcurrency} runtimes) unless its runtime is {@link InferenceRuntime#threadSafe()}.
   */
  public static TextClassifier load(Path modelDir, Function<ModelBundle, InferenceRuntime> runtimeFactory, int batchSize,
      int maxConcurrency) {
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
    try {
      return new TextClassifier(b, tok, runtimeFactory, batchSize, maxConcurrency);
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
  }

  /** A classifier over an in-memory bundle (no files), e.g. straight after training; shares the bundle's weights. */
  public static TextClassifier of(ModelBundle b) {
    WordPieceTokenizer tok = WordPieceTokenizer.fromJson(b.tokenizerJson(), "in-memory model bundle", b.maxLength());
    return new TextClassifier(b, tok, TextClassifier::nd4j, DEFAULT_BATCH_SIZE, defaultMaxConcurrency());
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
    EncodedBatch enc = tokenizer.encodeBatch(texts); // [b, T], T <= maxLength
    double[][] p = runtimes.with(r -> r.probabilities(enc));
    if (p.length != texts.size()) {
      throw new IllegalStateException(runtimeName() + " runtime returned " + p.length + " rows for " + texts.size() + " texts");
    }
    return p;
  }

  /** Label names, index i = class i. */
  public List<String> labels() { return bundle.labels(); }

  /** Tokens per text ([CLS] and [SEP] included) beyond which texts are truncated. */
  public int maxLength() { return bundle.maxLength(); }

  public int batchSize() { return batchSize; }

  /** Runtimes at most for concurrent callers (a thread-safe runtime is shared whatever this is). */
  public int maxConcurrency() { return maxConcurrency; }

  /** Runtimes built so far: 1 until two callers overlap; at most {@link #maxConcurrency()}. */
  public int runtimesBuilt() { return runtimes.size(); }

  /** The loaded directory's content (architecture, weights, provenance). */
  public ModelBundle bundle() { return bundle; }

  /** The runtime name ("nd4j" or "onnx"). */
  public String runtimeName() { return runtimes.first().name(); }

  /** The tokenizer (thread-safe for encoding; do not close it while the classifier is in use). */
  public WordPieceTokenizer tokenizer() { return tokenizer; }

  /** Waits for calls in progress to finish, then frees the runtimes and the tokenizer. */
  @Override public void close() {
    runtimes.close();
    tokenizer.close();
  }
}
