package org.llkd.models.encoder;

import java.util.ArrayList;
import java.util.List;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Shape and regularisation of the student: a post-LayerNorm BERT encoder (as all-MiniLM-L6-v2) with a
 * Linear(H, C) head on the pooled vector and no tanh pooler. Validated once, here.
 *
 * @param hiddenDropout    dropout after the embeddings and on each sub-block output before the residual
 * @param attentionDropout dropout on the attention probabilities
 */
public record StudentConfig(int vocabSize, int hiddenSize, int numLayers, int numHeads, int intermediateSize,
    int maxPositions, int typeVocabSize, int numClasses, Pooling pooling, double hiddenDropout,
    double attentionDropout, double layerNormEps, DataType dataType) {

  public StudentConfig {
    positive("vocabSize", vocabSize);
    positive("hiddenSize", hiddenSize);
    positive("numLayers", numLayers);
    positive("numHeads", numHeads);
    positive("intermediateSize", intermediateSize);
    positive("maxPositions", maxPositions);
    positive("typeVocabSize", typeVocabSize);
    if (numClasses < 2) throw new IllegalArgumentException("numClasses must be >= 2, found " + numClasses);
    if (hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException("hiddenSize " + hiddenSize + " must be divisible by numHeads " + numHeads);
    }
    if (pooling == null) throw new IllegalArgumentException("pooling must be CLS or MEAN, found null");
    probability("hiddenDropout", hiddenDropout);
    probability("attentionDropout", attentionDropout);
    if (!(layerNormEps > 0) || !Double.isFinite(layerNormEps)) {
      throw new IllegalArgumentException("layerNormEps must be finite and > 0, found " + layerNormEps);
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

  /**
   * all-MiniLM-L6-v2's encoder (30522 vocab, H 384, 6 layers, 12 heads, F 1536, 512 positions, 2 types),
   * BERT dropout 0.1, eps 1e-12, FLOAT, MEAN pooling (how the sentence-transformers model was trained).
   */
  public static StudentConfig miniLmL6(int numClasses) {
    return new StudentConfig(30522, 384, 6, 12, 1536, 512, 2, numClasses, Pooling.MEAN, 0.1, 0.1, 1e-12, DataType.FLOAT);
  }

  /** Test size: vocab 16, 8 positions, 2 layers, H 8, 2 heads, F 16, 2 types, 3 classes. */
  public static StudentConfig tiny(Pooling pooling, double dropout, DataType dataType) {
    return new StudentConfig(16, 8, 2, 2, 16, 8, 2, 3, pooling, dropout, dropout, 1e-12, dataType);
  }

  /** {@link #tiny(Pooling, double, DataType)} with CLS pooling, no dropout, DOUBLE. */
  public static StudentConfig tiny() {
    return tiny(Pooling.CLS, 0.0, DataType.DOUBLE);
  }

  public StudentConfig withPooling(Pooling p) {
    return new StudentConfig(vocabSize, hiddenSize, numLayers, numHeads, intermediateSize, maxPositions, typeVocabSize,
        numClasses, p, hiddenDropout, attentionDropout, layerNormEps, dataType);
  }

  public StudentConfig withDropout(double hidden, double attention) {
    return new StudentConfig(vocabSize, hiddenSize, numLayers, numHeads, intermediateSize, maxPositions, typeVocabSize,
        numClasses, pooling, hidden, attention, layerNormEps, dataType);
  }

  public StudentConfig withDataType(DataType dt) {
    return new StudentConfig(vocabSize, hiddenSize, numLayers, numHeads, intermediateSize, maxPositions, typeVocabSize,
        numClasses, pooling, hiddenDropout, attentionDropout, layerNormEps, dt);
  }

  public int headSize() { return hiddenSize / numHeads; }

  /**
   * Number of parameters by formula: embeddings (V + P + types) H + 2H; per layer 4(H^2 + H) + 2H +
   * (HF + F) + (FH + H) + 2H; head HC + C.
   */
  public long parameterCount() {
    long h = hiddenSize, f = intermediateSize;
    long emb = ((long) vocabSize + maxPositions + typeVocabSize) * h + 2 * h;
    long layer = 4 * (h * h + h) + 2 * h + (h * f + f) + (f * h + h) + 2 * h;
    return emb + numLayers * layer + h * numClasses + numClasses;
  }

  /** Every parameter with its HF BERT name and shape, in storage order. Weight matrices are [in, out]. */
  public List<ParamSpec> paramSpecs() {
    long h = hiddenSize, f = intermediateSize;
    List<ParamSpec> s = new ArrayList<>();
    s.add(new ParamSpec("embeddings.word_embeddings.weight", new long[] {vocabSize, h}));
    s.add(new ParamSpec("embeddings.position_embeddings.weight", new long[] {maxPositions, h}));
    s.add(new ParamSpec("embeddings.token_type_embeddings.weight", new long[] {typeVocabSize, h}));
    s.add(new ParamSpec("embeddings.LayerNorm.weight", new long[] {h}));
    s.add(new ParamSpec("embeddings.LayerNorm.bias", new long[] {h}));
    for (int l = 0; l < numLayers; l++) {
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
    s.add(new ParamSpec("classifier.weight", new long[] {h, numClasses}));
    s.add(new ParamSpec("classifier.bias", new long[] {numClasses}));
    return s;
  }

  /** "encoder.layer.N." */
  public static String layerPrefix(int layer) { return "encoder.layer." + layer + "."; }
}
