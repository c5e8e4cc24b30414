package org.llkd.experiments.teacher;

import org.llkd.experiments.ort.OrtRuntime;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.llkd.models.io.Sha256;

/**
 * A pretrained sentence encoder run through onnxruntime: DJL Hugging Face tokenizer (truncation at
 * {@link #MAX_TOKENS}), one ORT session, {@link Pooling} over {@code last_hidden_state}, L2
 * normalisation. Texts are encoded in batches of similar token length (sorted, padded to the longest in
 * the batch), and returned in input order. One instance per encoder; not thread-safe.
 */
public final class OnnxSentenceEncoder implements AutoCloseable {
  /** Token limit, special tokens included (as in TEACHERS.md). */
  public static final int MAX_TOKENS = 128;
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final EncoderModel model;
  private final int intraOpThreads;
  private final int batchSize;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean feedsTokenTypes;
  private final String onnxSha256;
  private final long onnxBytes;
  private final String tokenizerSha256;
  private final String onnxLocation;

  private OnnxSentenceEncoder(EncoderModel model, int intraOpThreads, int batchSize) {
    if (intraOpThreads < 1) throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    // DJL calls the EC2 metadata endpoint when creating a tokenizer unless offline (DEPENDENCIES.md, pitfall 1).
    System.setProperty("ai.djl.offline", "true");
    this.model = model;
    this.intraOpThreads = intraOpThreads;
    this.batchSize = batchSize;
    byte[] onnx = resource(model.onnxResource);
    byte[] tok = resource(model.tokenizerResource);
    this.onnxSha256 = Sha256.of(onnx);
    this.onnxBytes = onnx.length;
    this.tokenizerSha256 = Sha256.of(tok);
    URL url = OnnxSentenceEncoder.class.getResource(model.onnxResource);
    this.onnxLocation = String.valueOf(url);
    try {
      this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tok), Map.of(
          "maxLength", Integer.toString(MAX_TOKENS),
          "truncation", "true",
          "padding", "false"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not load tokenizer " + model.tokenizerResource, e);
    }
    try {
      this.env = OrtRuntime.environment();
      OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
      opts.setIntraOpNumThreads(intraOpThreads);
      opts.setInterOpNumThreads(1);
      opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      this.session = env.createSession(onnx, opts);
      for (String required : List.of("input_ids", "attention_mask")) {
        if (!session.getInputNames().contains(required)) {
          throw new IllegalStateException(model.onnxResource + " has inputs " + session.getInputNames()
              + ", expected " + required + " among them");
        }
      }
      this.feedsTokenTypes = session.getInputNames().contains("token_type_ids");
    } catch (OrtException e) {
      throw new IllegalStateException("could not create ORT session for " + model.onnxResource + ": " + e.getMessage(), e);
    }
  }

  /** Loads {@code model} with {@code intraOpThreads} ORT threads and the default batch size. */
  public static OnnxSentenceEncoder open(EncoderModel model, int intraOpThreads) {
    return new OnnxSentenceEncoder(model, intraOpThreads, DEFAULT_BATCH_SIZE);
  }

  public static OnnxSentenceEncoder open(EncoderModel model, int intraOpThreads, int batchSize) {
    return new OnnxSentenceEncoder(model, intraOpThreads, batchSize);
  }

  public EncoderModel model() {
    return model;
  }

  /** Embeds {@code texts}: {@code [texts.size()][hidden]}, each row of unit L2 norm. */
  public float[][] encode(List<String> texts) {
    return encode(texts, n -> { });
  }

  /**
   * Embeds {@code texts} ({@code [texts.size()][hidden]}, unit L2 norm per row, input order), calling
   * {@code progress} with the number of texts finished after each batch.
   */
  public float[][] encode(List<String> texts, IntConsumer progress) {
    int n = texts.size();
    long[][] ids = new long[n][];
    long[][] types = new long[n][];
    for (int from = 0; from < n; from += 1024) {
      int to = Math.min(n, from + 1024);
      Encoding[] enc = tokenizer.batchEncode(texts.subList(from, to));
      for (int i = from; i < to; i++) {
        ids[i] = enc[i - from].getIds();
        types[i] = enc[i - from].getTypeIds();
        if (ids[i].length > MAX_TOKENS) {
          throw new IllegalStateException("tokenizer returned " + ids[i].length + " tokens for text " + i
              + ", expected <= " + MAX_TOKENS + " (truncation not applied?)");
        }
      }
    }
    // Longest first: similar lengths share a batch (little padding); a memory problem shows at once.
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> ids[i].length).reversed().thenComparingInt(i -> i));
    float[][] out = new float[n][];
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      int[] rows = new int[to - from];
      for (int j = 0; j < rows.length; j++) rows[j] = order[from + j];
      float[][] emb = encodeBatch(rows, ids, types);
      for (int j = 0; j < rows.length; j++) out[rows[j]] = emb[j];
      progress.accept(rows.length);
    }
    return out;
  }

  private float[][] encodeBatch(int[] rows, long[][] ids, long[][] types) {
    int batch = rows.length;
    int seqLen = 0;
    for (int r : rows) seqLen = Math.max(seqLen, ids[r].length);
    long[] inputIds = new long[batch * seqLen];      // [batch, seqLen], 0 = [PAD]
    long[] mask = new long[batch * seqLen];          // [batch, seqLen]
    long[] typeIds = new long[batch * seqLen];       // [batch, seqLen]
    for (int b = 0; b < batch; b++) {
      long[] x = ids[rows[b]];
      System.arraycopy(x, 0, inputIds, b * seqLen, x.length);
      System.arraycopy(types[rows[b]], 0, typeIds, b * seqLen, x.length);
      Arrays.fill(mask, b * seqLen, b * seqLen + x.length, 1L);
    }
    long[] shape = {batch, seqLen};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      if (feedsTokenTypes) inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(typeIds), shape));
      try (OrtSession.Result result = session.run(inputs)) {
        Optional<OnnxValue> v = result.get("last_hidden_state");
        OnnxTensor hiddenT = (OnnxTensor) v.orElseThrow(() -> new IllegalStateException(
            model.onnxResource + " has no output last_hidden_state"));
        long[] hs = hiddenT.getInfo().getShape();  // [batch, seqLen, hidden]
        if (hs.length != 3 || hs[0] != batch || hs[1] != seqLen) {
          throw new IllegalStateException("last_hidden_state shape " + Arrays.toString(hs) + ", expected ["
              + batch + ", " + seqLen + ", hidden]");
        }
        int hidden = (int) hs[2];
        FloatBuffer h = hiddenT.getFloatBuffer();
        return pool(h, mask, batch, seqLen, hidden, model.pooling);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ORT run failed for a batch of " + batch + " x " + seqLen + " tokens: " + e.getMessage(), e);
    } finally {
      for (OnnxTensor t : inputs.values()) t.close();
    }
  }

  /**
   * Pools {@code h} ({@code [batch, seqLen, hidden]} row-major) under {@code mask} ({@code [batch,
   * seqLen]}) and L2-normalises each row. Returns {@code [batch][hidden]}.
   */
  static float[][] pool(FloatBuffer h, long[] mask, int batch, int seqLen, int hidden, Pooling pooling) {
    float[][] out = new float[batch][hidden];
    for (int b = 0; b < batch; b++) {
      float[] v = out[b];
      if (pooling == Pooling.CLS) {
        int base = b * seqLen * hidden;
        for (int d = 0; d < hidden; d++) v[d] = h.get(base + d);
      } else {
        int count = 0;
        double[] acc = new double[hidden];
        for (int t = 0; t < seqLen; t++) {
          if (mask[b * seqLen + t] == 0) continue;
          count++;
          int base = (b * seqLen + t) * hidden;
          for (int d = 0; d < hidden; d++) acc[d] += h.get(base + d);
        }
        if (count == 0) throw new IllegalStateException("row " + b + " of the batch has an all-zero attention mask");
        for (int d = 0; d < hidden; d++) v[d] = (float) (acc[d] / count);
      }
      Prototypes.normaliseInPlace(v);
    }
    return out;
  }

  /** Model artifact, version, file hashes, tokenizer and pooling settings, for provenance. */
  public Map<String, Object> provenance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", model.shortName);
    m.put("model", model.hfModel);
    m.put("artifact", model.coordinates());
    m.put("onnxResource", model.onnxResource);
    m.put("onnxLocation", onnxLocation);
    m.put("onnxBytes", onnxBytes);
    m.put("onnxSha256", onnxSha256);
    m.put("tokenizer", "DJL HuggingFaceTokenizer " + tokenizerVersion() + " over " + model.tokenizerResource);
    m.put("tokenizerSha256", tokenizerSha256);
    m.put("maxTokens", MAX_TOKENS);
    m.put("truncation", true);
    m.put("pooling", model.pooling.name());
    m.put("normalisation", "L2");
    m.put("batchSize", batchSize);
    m.put("onnxruntime", onnxRuntimeVersion());
    m.put("intraOpThreads", intraOpThreads);
    return m;
  }

  private String onnxRuntimeVersion() {
    String v = OrtEnvironment.class.getPackage().getImplementationVersion();
    return v != null ? v : env.getVersion();
  }

  private static String tokenizerVersion() {
    Package p = HuggingFaceTokenizer.class.getPackage();
    String v = p.getImplementationVersion() != null ? p.getImplementationVersion() : p.getSpecificationVersion();
    return v != null ? v : "(jar manifest has no version)";
  }

  private static byte[] resource(String name) {
    try (InputStream in = OnnxSentenceEncoder.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("resource " + name + " not on the classpath (langchain4j embeddings jar missing?)");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read resource " + name, e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("could not close ORT session: " + e.getMessage(), e);
    } finally {
      tokenizer.close();
    }
  }
}
