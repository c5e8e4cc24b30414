package org.llkd.models.encoder;

import java.util.ArrayList;
import java.util.List;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Shape and regularisation of the student: a post-LayerNorm BERT encoder (as all-MiniLM-L6-v2) with a
 * Linear(H, C) head on the pooled vector and no tanh pooler. Validated once, here (the groups are checked by this
 * constructor, in the order of the flat accessors). {@code model.json}'s {@code architecture} lists the flat
 * accessors one by one ({@code ModelDirectory}), so the grouping is not on disk.
 *
 * @param shape          the encoder's sizes
 * @param head           the classifier on the pooled vector
 * @param regularisation dropouts and the LayerNorm epsilon
 * @param dataType       FLOAT or DOUBLE
 */
public record StudentConfig(Shape shape, Head head, Regularisation regularisation, DataType dataType) {

  /** The encoder's sizes (BERT names). */
  public record Shape(int vocabSize, int hiddenSize, int numLayers, int numHeads, int intermediateSize,
      int maxPositions, int typeVocabSize) {
  }

  /** Linear(H, C) on the {@code pooling} vector. */
  public record Head(int numClasses, Pooling pooling) {
  }

  /**
   * @param hiddenDropout    dropout after the embeddings and on each sub-block output before the residual
   * @param attentionDropout dropout on the attention probabilities
   * @param layerNormEps     LayerNorm epsilon
   */
  public record Regularisation(double hiddenDropout, double attentionDropout, double layerNormEps) {
  }

  public StudentConfig {
    if (shape == null || head == null || regularisation == null) {
      throw new IllegalArgumentException("shape, head and regularisation are required, found " + shape + ", " + head
          + ", " + regularisation);
    }
    positive("vocabSize", shape.vocabSize);
    positive("hiddenSize", shape.hiddenSize);
    positive("numLayers", shape.numLayers);
    positive("numHeads", shape.numHeads);
    positive("intermediateSize", shape.intermediateSize);
    positive("maxPositions", shape.maxPositions);
    positive("typeVocabSize", shape.typeVocabSize);
    if (head.numClasses < 2) throw new IllegalArgumentException("numClasses must be >= 2, found " + head.numClasses);
    if (shape.hiddenSize % shape.numHeads != 0) {
      throw new IllegalArgumentException("hiddenSize " + shape.hiddenSize + " must be divisible by numHeads "
          + shape.numHeads);
    }
    if (head.pooling == null) throw new IllegalArgumentException("pooling must be CLS or MEAN, found null");
    probability("hiddenDropout", regularisation.hiddenDropout);
    probability("attentionDropout", regularisation.attentionDropout);
    double eps = regularisation.layerNormEps;
    if (!(eps > 0) || !Double.isFinite(eps)) {
      throw new IllegalArgumentException("layerNormEps must be finite and > 0, found " + eps);
    }
    if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
      throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, found " + dataType);
    }
  }

  private static void positive(String name, int v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be > 0, found " + v);
  }

  private static void probability(String name, double p) {
    if (!(p >= 0 && p < 1)) throw new IllegalArgumentException(name + " must be in [0, 1), found " + p);
  }

  /** all-MiniLM-L6-v2's sizes: 30522 vocab, H 384, 6 layers, 12 heads, F 1536, 512 positions, 2 types. */
  public static final Shape MINILM_L6 = new Shape(30522, 384, 6, 12, 1536, 512, 2);

  /** Test sizes: vocab 16, H 8, 2 layers, 2 heads, F 16, 8 positions, 2 types. */
  public static final Shape TINY = new Shape(16, 8, 2, 2, 16, 8, 2);

  /** BERT's regularisation: dropout 0.1 on both, eps 1e-12. */
  public static final Regularisation BERT = new Regularisation(0.1, 0.1, 1e-12);

  /**
   * all-MiniLM-L6-v2's encoder ({@link #MINILM_L6}), BERT dropout 0.1, eps 1e-12, FLOAT, MEAN pooling (how the
   * sentence-transformers model was trained).
   */
  public static StudentConfig miniLmL6(int numClasses) {
    return new StudentConfig(MINILM_L6, new Head(numClasses, Pooling.MEAN), BERT, DataType.FLOAT);
  }

  /** Test size ({@link #TINY}), 3 classes. */
  public static StudentConfig tiny(Pooling pooling, double dropout, DataType dataType) {
    return new StudentConfig(TINY, new Head(3, pooling), new Regularisation(dropout, dropout, 1e-12), dataType);
  }

  /** {@link #tiny(Pooling, double, DataType)} with CLS pooling, no dropout, DOUBLE. */
  public static StudentConfig tiny() {
    return tiny(Pooling.CLS, 0.0, DataType.DOUBLE);
  }

  public StudentConfig withNumLayers(int layers) {
    Shape s = shape;
    return new StudentConfig(new Shape(s.vocabSize, s.hiddenSize, layers, s.numHeads, s.intermediateSize,
        s.maxPositions, s.typeVocabSize), head, regularisation, dataType);
  }

  public StudentConfig withNumClasses(int c) {
    return new StudentConfig(shape, new Head(c, head.pooling), regularisation, dataType);
  }

  public StudentConfig withPooling(Pooling p) {
    return new StudentConfig(shape, new Head(head.numClasses, p), regularisation, dataType);
  }

  public StudentConfig withDropout(double hidden, double attention) {
    return new StudentConfig(shape, head, new Regularisation(hidden, attention, regularisation.layerNormEps),
        dataType);
  }

  public StudentConfig withDataType(DataType dt) {
    return new StudentConfig(shape, head, regularisation, dt);
  }

  public int vocabSize() { return shape.vocabSize; }

  public int hiddenSize() { return shape.hiddenSize; }

  public int numLayers() { return shape.numLayers; }

  public int numHeads() { return shape.numHeads; }

  public int intermediateSize() { return shape.intermediateSize; }

  public int maxPositions() { return shape.maxPositions; }

  public int typeVocabSize() { return shape.typeVocabSize; }

  public int numClasses() { return head.numClasses; }

  public Pooling pooling() { return head.pooling; }

  public double hiddenDropout() { return regularisation.hiddenDropout; }

  public double attentionDropout() { return regularisation.attentionDropout; }

  public double layerNormEps() { return regularisation.layerNormEps; }

  /** As the flat record printed itself before the grouping (logs compare by it). */
  @Override
  public String toString() {
    return "StudentConfig[vocabSize=" + vocabSize() + ", hiddenSize=" + hiddenSize() + ", numLayers=" + numLayers()
        + ", numHeads=" + numHeads() + ", intermediateSize=" + intermediateSize() + ", maxPositions=" + maxPositions()
        + ", typeVocabSize=" + typeVocabSize() + ", numClasses=" + numClasses() + ", pooling=" + pooling()
        + ", hiddenDropout=" + hiddenDropout() + ", attentionDropout=" + attentionDropout() + ", layerNormEps="
        + layerNormEps() + ", dataType=" + dataType + "]";
  }

  public int headSize() { return shape.hiddenSize / shape.numHeads; }

  /**
   * Number of parameters by formula: embeddings (V + P + types) H + 2H; per layer 4(H^2 + H) + 2H +
   * (HF + F) + (FH + H) + 2H; head HC + C.
   */
  public long parameterCount() {
    long h = shape.hiddenSize, f = shape.intermediateSize;
    long emb = ((long) shape.vocabSize + shape.maxPositions + shape.typeVocabSize) * h + 2 * h;
    long layer = 4 * (h * h + h) + 2 * h + (h * f + f) + (f * h + h) + 2 * h;
    return emb + shape.numLayers * layer + h * head.numClasses + head.numClasses;
  }

  /** Every parameter with its HF BERT name and shape, in storage order. Weight matrices are [in, out]. */
  public List<ParamSpec> paramSpecs() {
    long h = shape.hiddenSize, f = shape.intermediateSize;
    List<ParamSpec> s = new ArrayList<>();
    s.add(new ParamSpec("embeddings.word_embeddings.weight", new long[] {shape.vocabSize, h}));
    s.add(new ParamSpec("embeddings.position_embeddings.weight", new long[] {shape.maxPositions, h}));
    s.add(new ParamSpec("embeddings.token_type_embeddings.weight", new long[] {shape.typeVocabSize, h}));
    s.add(new ParamSpec("embeddings.LayerNorm.weight", new long[] {h}));
    s.add(new ParamSpec("embeddings.LayerNorm.bias", new long[] {h}));
    for (int l = 0; l < shape.numLayers; l++) {
      String p = layerPrefix(l);
      for (String qkv : new String[] {"query", "key", "value"}) {
        s.add(new ParamSpec(p + "attention.self." + qkv + ".weight", new long[] {h, h}));
        s.add(new ParamSpec(p + "attention.self." + qkv + ".bias", new long[] {h}));
      }
      s.add(new ParamSpec(p + "attention.output.dense.weight", new long[] {h, h}));
      s.add(new ParamSpec(p + "attention.output.dense.bias", new long[] {h}));
      s.add(new ParamSpec(p + "attention.output.LayerNorm.weight", new long[] {h}));
      s.add(new ParamSpec(p + "attention.output.LayerNorm.bias", new long[] {h}));
      s.add(new ParamSpec(p + "intermediate.dense.weight", new long[] {h, f}));
      s.add(new ParamSpec(p + "intermediate.dense.bias", new long[] {f}));
      s.add(new ParamSpec(p + "output.dense.weight", new long[] {f, h}));
      s.add(new ParamSpec(p + "output.dense.bias", new long[] {h}));
      s.add(new ParamSpec(p + "output.LayerNorm.weight", new long[] {h}));
      s.add(new ParamSpec(p + "output.LayerNorm.bias", new long[] {h}));
    }
    s.add(new ParamSpec("classifier.weight", new long[] {h, head.numClasses}));
    s.add(new ParamSpec("classifier.bias", new long[] {head.numClasses}));
    return s;
  }

  /** "encoder.layer.N." */
  public static String layerPrefix(int layer) { return "encoder.layer." + layer + "."; }
}
