package org.llkd.models.encoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.llkd.models.memory.NativeArrays;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The student: a post-LayerNorm BERT encoder plus a pooled Linear head, forward and backward written
 * by hand on INDArrays (see package doc). One instance is not thread-safe: it owns the activation
 * buffers of the last forward.
 *
 * <pre>
 *   h0 = dropout(LN(word[ids] + pos[0..T-1] + type[types]))      [B*T, H]
 *   h_{l+1} = layer_l(h_l, (1 - mask) * -10000)                   [B*T, H]
 *   logits = pool(h_L) Wc + bc                                    [B, C]
 * </pre>
 *
 * Usage per train step: {@code grads().flat().assign(0); z = forwardTrain(...); backward(dLdz);}.
 * {@link #backward} must directly follow the {@link #forwardTrain} it differentiates; any other
 * forward in between invalidates the caches (and is rejected).
 *
 * <p>{@link #close} frees the native buffers it owns: its parameters, their gradients and every activation buffer
 * (docs/memory.md: left to the garbage collector they pile up run after run).
 */
public final class StudentTransformer implements AutoCloseable {
  private static final double INIT_STD = 0.02;
  private static final double MASK_BIAS = -10000.0;

  private final StudentConfig cfg;
  private final NamedParams params;
  private final NamedParams grads;
  private final Embeddings embeddings;
  private final List<EncoderLayer> layers = new ArrayList<>();
  private final ClassifierHead head;
  private final Arena arena = new Arena();

  private int batch = -1, seqLen = -1;
  private INDArray maskIn;       // [B, T] the attention mask in the model type
  private INDArray maskFlat;     // [M] view
  private INDArray maskBias;     // [B, T] (1 - mask) * -10000
  private INDArray poolWeights;  // [B, T] mask / rowsum(mask)
  private INDArray tokenCount;   // [B] rowsum(mask), and [B, 1] view
  private INDArray tokenCountCol;
  private boolean trainCachesValid;
  private boolean closed;

  public StudentTransformer(StudentConfig cfg, NamedParams params) {
    if (cfg == null || params == null) throw new IllegalArgumentException("cfg and params must not be null");
    List<ParamSpec> expected = cfg.paramSpecs();
    if (!expected.equals(params.specs())) {
      throw new IllegalArgumentException("params do not match the config: " + firstMismatch(expected, params.specs())
          + "; build them with new NamedParams(cfg.paramSpecs(), cfg.dataType())");
    }
    if (params.dataType() != cfg.dataType()) {
      throw new IllegalArgumentException("params are " + params.dataType() + " but the config says " + cfg.dataType());
    }
    this.cfg = cfg;
    this.params = params;
    this.grads = params.zerosLike();
    ParamsAndGrads pg = new ParamsAndGrads(params, grads);
    embeddings = new Embeddings(pg, cfg);
    for (int l = 0; l < cfg.numLayers(); l++) layers.add(new EncoderLayer(l, pg, cfg));
    head = new ClassifierHead(pg, cfg);
  }

  private static String firstMismatch(List<ParamSpec> expected, List<ParamSpec> found) {
    for (int i = 0; i < Math.min(expected.size(), found.size()); i++) {
      if (!expected.get(i).equals(found.get(i))) {
        return "parameter " + i + " expected " + expected.get(i) + ", found " + found.get(i);
      }
    }
    return "expected " + expected.size() + " parameters, found " + found.size();
  }

  /**
   * BERT initialisation: weights and embedding tables normal(0, 0.02), LayerNorm gains 1, biases 0,
   * drawn in {@link StudentConfig#paramSpecs()} order from one ND4J Random seeded with {@code seed}.
   */
  public static StudentTransformer initRandom(StudentConfig cfg, long seed) {
    NamedParams p = new NamedParams(cfg.paramSpecs(), cfg.dataType());
    try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed)) {
      for (ParamSpec s : p.specs()) {
        String n = s.name();
        if (n.endsWith("LayerNorm.weight")) {
          p.get(n).assign(1.0);
        } else if (n.endsWith(".bias")) {
          p.get(n).assign(0.0);
        } else {
          INDArray draw = NativeArrays.detachedZeros(cfg.dataType(), s.shape()); // once, at init
          Nd4j.getExecutioner().exec(new GaussianDistribution(draw, 0.0, INIT_STD), rng);
          p.get(n).assign(draw);
          NativeArrays.close(draw); // the word table's draw alone is 47 MB
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("closing the init Random failed", e);
    }
    return new StudentTransformer(cfg, p);
  }

  public NamedParams params() { return params; }

  public NamedParams grads() { return grads; }

  /** Name of the word-embedding table, the first tensor of the layout. */
  public static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";

  /**
   * Zeroes {@link #grads()} before a step: every tensor but the word-embedding table densely, and of the table
   * (30,522 x 384, 11.7M of a 2-layer student's 15.5M parameters) only the rows a backward wrote since the last
   * call. Code that writes into {@code grads()} other than through {@link #backward} must zero it itself.
   */
  public void zeroGrads() {
    INDArray flat = grads.flat(); // [1, N]
    long wordLen = grads.spec(WORD_EMBEDDINGS).length();
    flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(wordLen, flat.length())).assign(0);
    embeddings.clearWordGrad();
  }

  /** Ascending word-embedding rows (token ids) whose gradient a backward wrote since the last {@link #zeroGrads}. */
  public int[] touchedWordRows() { return embeddings.writtenWordRows(); }

  public StudentConfig config() { return cfg; }

  /** Allocates every buffer for batches up to [maxBatch, maxSeqLen] now, so no later step allocates. */
  public void reserve(int maxBatch, int maxSeqLen) {
    bind(maxBatch, maxSeqLen);
  }

  /** Last hidden states [B, T, H], a fresh array; eval mode (no dropout). */
  public INDArray encode(INDArray inputIds, INDArray attentionMask, INDArray tokenTypeIds) {
    INDArray h = encoderForward(inputIds, attentionMask, tokenTypeIds, null);
    trainCachesValid = false;
    return h.reshape('c', batch, seqLen, cfg.hiddenSize()).dup(); // [B, T, H]
  }

  /** Logits [B, C], a fresh array; eval mode, no gradient bookkeeping. */
  public INDArray forwardLogits(INDArray inputIds, INDArray attentionMask, INDArray tokenTypeIds) {
    INDArray h = encoderForward(inputIds, attentionMask, tokenTypeIds, null);
    trainCachesValid = false;
    return head.forward(h).dup(); // [B, C]
  }

  /**
   * Logits [B, C] (a fresh array) in train mode: dropout masks drawn from a Random seeded with
   * {@code dropoutSeed}; caches what {@link #backward} needs.
   */
  public INDArray forwardTrain(INDArray inputIds, INDArray attentionMask, INDArray tokenTypeIds, long dropoutSeed) {
    INDArray logits;
    try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(dropoutSeed)) {
      INDArray h = encoderForward(inputIds, attentionMask, tokenTypeIds, rng);
      logits = head.forward(h).dup(); // [B, C]
    } catch (RuntimeException e) {
      trainCachesValid = false;
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing the dropout Random failed", e);
    }
    trainCachesValid = true;
    return logits;
  }

  /**
   * Narrows the last {@link #forwardTrain} to the samples {@code rows}: their cached activations move to the front
   * of every buffer and the model rebinds to a batch of {@code rows.length} (same padded length), so the next
   * {@link #backward} takes dL/dlogits [rows.length, C] and costs what those rows cost. The gradients equal those of
   * a backward over the whole batch with zero dL/dlogits on the other rows (rows are independent through the
   * encoder). This is how a step selects from its own dropout forward and back-propagates the selected rows only,
   * without a second forward. Nothing is allocated.
   *
   * @param rows strictly ascending indices in [0, B), at least one
   */
  public void keepRows(int[] rows) {
    if (!trainCachesValid) {
      throw new IllegalStateException("keepRows needs the caches of a directly preceding forwardTrain");
    }
    if (rows == null || rows.length == 0) throw new IllegalArgumentException("keepRows: expected at least one row");
    for (int j = 0; j < rows.length; j++) {
      if (rows[j] < 0 || rows[j] >= batch || (j > 0 && rows[j] <= rows[j - 1])) {
        throw new IllegalArgumentException("keepRows: expected strictly ascending rows in [0, " + batch + "), found "
            + Arrays.toString(rows));
      }
    }
    if (rows.length == batch) return; // every row kept: nothing moves
    Slabs.keep(poolWeights, batch, rows); // [B, T] for the MEAN-pooling backward
    embeddings.keepRows(rows);
    for (EncoderLayer layer : layers) layer.keepRows(batch, rows);
    head.keepRows(rows);
    bind(rows.length, seqLen);
    INDArray h = embeddings.output(); // [M', H] views of the compacted data
    for (EncoderLayer layer : layers) h = layer.reattach(h);
  }

  /** Accumulates dL/dparams into {@link #grads()} given dL/dlogits [B, C] of the last {@link #forwardTrain}. */
  public void backward(INDArray dLogits) {
    if (!trainCachesValid) {
      throw new IllegalStateException("backward needs the caches of a directly preceding forwardTrain; "
          + "call forwardTrain again (forwardLogits/encode/backward consume them)");
    }
    if (dLogits == null || dLogits.rank() != 2 || dLogits.size(0) != batch || dLogits.size(1) != cfg.numClasses()) {
      throw new IllegalArgumentException("dLogits: expected shape [" + batch + ", " + cfg.numClasses() + "], found "
          + (dLogits == null ? "null" : Arrays.toString(dLogits.shape())));
    }
    trainCachesValid = false; // the backward reuses forward buffers as scratch
    INDArray d = head.backward(dLogits); // [M, H]
    for (int l = layers.size() - 1; l >= 0; l--) d = layers.get(l).backward(d);
    embeddings.backward(d);
  }

  /**
   * Frees every native buffer of this model: activation and scratch buffers, gradients, and the parameters it was
   * built with (so a caller that shares those parameters must not close the model). Idempotent; the model is
   * unusable afterwards.
   */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    trainCachesValid = false;
    embeddings.close();
    for (EncoderLayer layer : layers) layer.close();
    head.close();
    arena.close();
    grads.close();
    params.close();
    batch = -1;
    seqLen = -1;
  }

  // ---------------------------------------------------------------------------------------------

  private void bind(int b, int t) {
    if (closed) throw new IllegalStateException("the model was closed; its buffers are freed");
    if (b == batch && t == seqLen) return;
    if (b <= 0 || t <= 0) throw new IllegalArgumentException("batch and seqLen must be > 0, found [" + b + ", " + t + "]");
    if (t > cfg.maxPositions()) {
      throw new IllegalArgumentException("seqLen " + t + " exceeds maxPositions " + cfg.maxPositions()
          + "; truncate inputs to at most " + cfg.maxPositions() + " tokens");
    }
    DataType dt = cfg.dataType();
    long m = (long) b * t;
    maskIn = arena.view("mask", dt, b, t);
    maskFlat = maskIn.reshape('c', new long[] {m}); // [M]
    maskBias = arena.view("maskBias", dt, b, t);
    poolWeights = arena.view("poolWeights", dt, b, t);
    tokenCount = arena.view("tokenCount", dt, b);
    tokenCountCol = tokenCount.reshape('c', b, 1);
    embeddings.bind(b, t);
    for (EncoderLayer layer : layers) layer.bind(b, t);
    head.bind(b, t, poolWeights);
    batch = b;
    seqLen = t;
  }

  /** Validates and loads the inputs, runs embeddings and layers; returns the last hidden states [M, H]. */
  private INDArray encoderForward(INDArray ids, INDArray mask, INDArray types, Random rng) {
    if (ids == null || ids.rank() != 2) {
      throw new IllegalArgumentException("inputIds: expected [batch, seqLen], found "
          + (ids == null ? "null" : Arrays.toString(ids.shape())));
    }
    if (ids.dataType() != DataType.INT && ids.dataType() != DataType.LONG) {
      throw new IllegalArgumentException("inputIds: expected INT or LONG, found " + ids.dataType());
    }
    checkSameShape("attentionMask", mask, ids);
    if (types != null) checkSameShape("tokenTypeIds", types, ids);
    bind((int) ids.size(0), (int) ids.size(1));

    INDArray idBuf = embeddings.ids(); // [M] INT
    idBuf.reshape('c', batch, seqLen).assign(ids);
    checkRange("inputIds", idBuf, cfg.vocabSize());
    INDArray typeBuf = embeddings.typeIds(); // [M] INT
    if (types == null) {
      typeBuf.assign(0);
    } else {
      typeBuf.reshape('c', batch, seqLen).assign(types);
      checkRange("tokenTypeIds", typeBuf, cfg.typeVocabSize());
    }
    maskIn.assign(mask); // [B, T] in the model type
    checkMask();
    maskBias.assign(maskIn).rsubi(1.0).muli(MASK_BIAS);   // [B, T]
    maskIn.sum(tokenCount, 1);                             // [B]
    poolWeights.assign(maskIn).diviColumnVector(tokenCountCol); // [B, T]

    INDArray h = embeddings.forward(rng); // [M, H]
    for (EncoderLayer layer : layers) h = layer.forward(h, maskBias, rng);
    return h;
  }

  private static void checkSameShape(String what, INDArray a, INDArray ids) {
    if (a == null || !Arrays.equals(a.shape(), ids.shape())) {
      throw new IllegalArgumentException(what + ": expected shape " + Arrays.toString(ids.shape()) + " like inputIds, found "
          + (a == null ? "null" : Arrays.toString(a.shape())));
    }
  }

  private void checkRange(String what, INDArray flat, int size) {
    int min = flat.minNumber().intValue();
    int max = flat.maxNumber().intValue();
    if (min >= 0 && max < size) return;
    int[] v = flat.toIntVector();
    for (int i = 0; i < v.length; i++) {
      if (v[i] < 0 || v[i] >= size) {
        throw new IllegalArgumentException(what + "[" + (i / seqLen) + ", " + (i % seqLen) + "] = " + v[i]
            + ": expected an id in [0, " + size + "); check the tokenizer's vocabulary matches the model");
      }
    }
  }

  private void checkMask() {
    double[] m = maskFlat.toDoubleVector();
    for (int b = 0; b < batch; b++) {
      boolean any = false;
      for (int t = 0; t < seqLen; t++) {
        double v = m[b * seqLen + t];
        if (v != 0.0 && v != 1.0) {
          throw new IllegalArgumentException("attentionMask[" + b + ", " + t + "] = " + v + ": expected 0 or 1");
        }
        any |= v == 1.0;
      }
      if (!any) {
        throw new IllegalArgumentException("attentionMask row " + b + " has no token; drop empty texts before batching");
      }
    }
  }
}
