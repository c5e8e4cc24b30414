package org.llkd.models.classifier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.llkd.models.encoder.Pooling;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.io.Sha256;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes and loads the self-contained model directory (docs/model-format.md):
 * <pre>
 *   model.json      format "llkd-model", formatVersion, labels, maxLength, architecture (incl. pooling),
 *                   weights {file, dtype, byteOrder, bytes, sha256, tensors [{name, shape}]}, tokenizer {file, sha256},
 *                   provenance
 *   weights.bin     every tensor of architecture.paramSpecs() in order, c-order, raw little-endian float32/float64
 *   tokenizer.json  the HuggingFace WordPiece tokenizer the model was trained with
 * </pre>
 * <b>Writing</b> fills a temporary sibling directory, forces every file, then renames it to the target in one
 * {@code ATOMIC_MOVE}: a crash leaves no directory under the final name, never a half model. The target must not
 * exist. <b>Loading</b> checks every field and refuses, with the file and expected vs found, a missing file, an
 * unknown or newer format version, a tensor list that does not match the architecture, a weights file of the wrong
 * size or SHA-256, non-finite weights and a changed tokenizer.json.
 */
public final class ModelDirectory {
  public static final String FORMAT = "llkd-model";
  /** The newest format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;
  public static final String MODEL_JSON = "model.json", WEIGHTS = "weights.bin", TOKENIZER = "tokenizer.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelDirectory() {}

  /** Writes {@code b} as a new model directory {@code dir} (which must not exist), atomically. */
  public static void write(Path dir, ModelBundle b) {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      throw new IllegalArgumentException("model directory " + target + " already exists; choose another path or delete it");
    }
    Path parent = target.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(parent);
      tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
      String weightsSha;
      long bytes;
      try (FileChannel ch = FileChannel.open(tmp.resolve(WEIGHTS), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        MessageDigest md = sha256();
        OutputStream out = new DigestOutputStream(java.nio.channels.Channels.newOutputStream(ch), md);
        bytes = writeWeights(out, b.params());
        out.flush();
        ch.force(true);
        weightsSha = org.llkd.models.io.Sha256.hex(md.digest());
      }
      writeForced(tmp.resolve(TOKENIZER), b.tokenizerJson());
      writeForced(tmp.resolve(MODEL_JSON), JSON.writeValueAsBytes(modelJson(b, weightsSha, bytes)));
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + parent + " cannot rename atomically; write the model to a local disk", e);
      } catch (FileAlreadyExistsException e) {
        throw new IOException("another process created " + target + " while the model was being written", e);
      }
      tmp = null;
      try (FileChannel d = FileChannel.open(parent, StandardOpenOption.READ)) {
        d.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write model directory " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) deleteTree(tmp);
    }
  }

  private static Map<String, Object> modelJson(ModelBundle b, String weightsSha, long bytes) {
    StudentConfig c = b.config();
    Map<String, Object> arch = new LinkedHashMap<>();
    arch.put("type", "bert-post-layernorm");
    arch.put("activation", "gelu-erf");
    arch.put("vocabSize", c.vocabSize());
    arch.put("hiddenSize", c.hiddenSize());
    arch.put("numLayers", c.numLayers());
    arch.put("numHeads", c.numHeads());
    arch.put("intermediateSize", c.intermediateSize());
    arch.put("maxPositions", c.maxPositions());
    arch.put("typeVocabSize", c.typeVocabSize());
    arch.put("numClasses", c.numClasses());
    arch.put("pooling", c.pooling().name());
    arch.put("layerNormEps", c.layerNormEps());
    arch.put("hiddenDropout", c.hiddenDropout());
    arch.put("attentionDropout", c.attentionDropout());
    List<Map<String, Object>> tensors = new ArrayList<>();
    for (ParamSpec s : b.params().specs()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("name", s.name());
      t.put("shape", s.shape());
      tensors.add(t);
    }
    Map<String, Object> weights = new LinkedHashMap<>();
    weights.put("file", WEIGHTS);
    weights.put("dtype", c.dataType().name());
    weights.put("byteOrder", "little-endian");
    weights.put("bytes", bytes);
    weights.put("sha256", weightsSha);
    weights.put("tensors", tensors);
    Map<String, Object> tok = new LinkedHashMap<>();
    tok.put("file", TOKENIZER);
    tok.put("type", "huggingface-wordpiece");
    tok.put("sha256", Sha256.of(b.tokenizerJson()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("formatVersion", FORMAT_VERSION);
    m.put("labels", b.labels());
    m.put("maxLength", b.maxLength());
    m.put("architecture", arch);
    m.put("weights", weights);
    m.put("tokenizer", tok);
    m.put("provenance", b.provenance());
    return m;
  }

  /** Raw little-endian values of {@code p} in spec order, in 1 MiB chunks; returns the byte count. */
  private static long writeWeights(OutputStream out, NamedParams p) throws IOException {
    boolean f32 = p.dataType() == DataType.FLOAT;
    int width = f32 ? 4 : 8;
    long n = p.flat().length();
    int chunk = 1 << 18; // values per write
    ByteBuffer buf = ByteBuffer.allocate(chunk * width).order(ByteOrder.LITTLE_ENDIAN);
    INDArray flat = p.flat().reshape('c', new long[] {n}); // [N]
    for (long off = 0; off < n; off += chunk) {
      long end = Math.min(n, off + chunk);
      INDArray part = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(off, end)); // [len]
      buf.clear();
      if (f32) buf.asFloatBuffer().put(part.toFloatVector()); else buf.asDoubleBuffer().put(part.toDoubleVector());
      out.write(buf.array(), 0, (int) (end - off) * width);
    }
    return n * width;
  }

  private static void writeForced(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
    }
  }

  // ------------------------------------------------------------------------------------------- loading

  /**
   * The SHA-256 of {@code dir}'s weights.bin as model.json records it (what ties an export to its model directory).
   * Reads model.json only; {@link #read} is what verifies the file against it.
   */
  public static String weightsSha256(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    Map<String, Object> m;
    try (InputStream in = Files.newInputStream(d.resolve(MODEL_JSON))) {
      m = JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new ModelFormatException(d, MODEL_JSON, "cannot read it: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    return new Fields(d, MODEL_JSON, m).object("weights").str("sha256");
  }

  /** Loads and validates a model directory; every refusal is a {@link ModelFormatException}. */
  public static ModelBundle read(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(d)) {
      throw new ModelFormatException(d, "(directory)", "does not exist or is not a directory; expected a model "
          + "directory written by llkd train (DIR/model) or ModelDirectory.write");
    }
    for (String f : List.of(MODEL_JSON, WEIGHTS, TOKENIZER)) {
      if (!Files.isRegularFile(d.resolve(f))) {
        throw new ModelFormatException(d, f, "missing; expected the files " + MODEL_JSON + ", " + WEIGHTS + " and "
            + TOKENIZER + " (copy the whole directory, not single files)");
      }
    }
    Map<String, Object> m;
    try (InputStream in = Files.newInputStream(d.resolve(MODEL_JSON))) {
      m = JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new ModelFormatException(d, MODEL_JSON, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    Fields f = new Fields(d, MODEL_JSON, m);
    String format = f.str("format");
    if (!FORMAT.equals(format)) {
      throw new ModelFormatException(d, MODEL_JSON, "format '" + format + "', expected '" + FORMAT + "'");
    }
    Object v = m.get("formatVersion");
    if (!(v instanceof Integer version) || version < 1) {
      throw new ModelFormatException(d, MODEL_JSON, "formatVersion " + v + ": expected an integer 1.." + FORMAT_VERSION);
    }
    if (version > FORMAT_VERSION) {
      throw new ModelFormatException(d, MODEL_JSON, "formatVersion " + version + " was written by a newer LLKD-J; this "
          + "build reads formatVersion up to " + FORMAT_VERSION + "; upgrade LLKD-J to load it");
    }
    List<String> labels = f.strings("labels");
    int maxLength = f.integer("maxLength");
    Fields a = f.object("architecture");
    Fields w = f.object("weights");
    Fields t = f.object("tokenizer");
    DataType dt;
    try {
      dt = DataType.valueOf(w.str("dtype"));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(d, MODEL_JSON, "weights.dtype '" + w.str("dtype") + "': expected FLOAT or DOUBLE");
    }
    StudentConfig cfg;
    Pooling pooling;
    try {
      pooling = Pooling.valueOf(a.str("pooling"));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(d, MODEL_JSON, "architecture.pooling '" + a.str("pooling") + "': expected CLS or MEAN");
    }
    try {
      cfg = new StudentConfig(
          new StudentConfig.Shape(a.integer("vocabSize"), a.integer("hiddenSize"), a.integer("numLayers"),
              a.integer("numHeads"), a.integer("intermediateSize"), a.integer("maxPositions"), a.integer("typeVocabSize")),
          new StudentConfig.Head(a.integer("numClasses"), pooling),
          new StudentConfig.Regularisation(a.number("hiddenDropout"), a.number("attentionDropout"),
              a.number("layerNormEps")), dt);
    } catch (ModelFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(d, MODEL_JSON, "architecture: " + e.getMessage());
    }
    List<ParamSpec> expected = cfg.paramSpecs();
    List<ParamSpec> found = w.tensors("tensors");
    checkTensors(d, expected, found);
    if (!WEIGHTS.equals(w.str("file")) || !TOKENIZER.equals(t.str("file"))) {
      throw new ModelFormatException(d, MODEL_JSON, "weights.file / tokenizer.file are '" + w.str("file") + "' / '"
          + t.str("file") + "', expected '" + WEIGHTS + "' / '" + TOKENIZER + "'");
    }
    NamedParams params = readWeights(d, cfg, w.str("sha256"));
    byte[] tok;
    try {
      tok = Files.readAllBytes(d.resolve(TOKENIZER));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + d.resolve(TOKENIZER) + ": " + e.getMessage(), e);
    }
    String tokSha = Sha256.of(tok);
    if (!tokSha.equals(t.str("sha256"))) {
      throw new ModelFormatException(d, TOKENIZER, "SHA-256 is " + tokSha + ", model.json records " + t.str("sha256")
          + "; the tokenizer was changed or corrupted (the weights only fit the original one)");
    }
    Map<String, Object> provenance = f.optionalObject("provenance");
    try {
      return new ModelBundle(cfg, params, tok, labels, maxLength, provenance);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(d, MODEL_JSON, e.getMessage());
    }
  }

  private static void checkTensors(Path d, List<ParamSpec> expected, List<ParamSpec> found) {
    String what = ParamSpec.firstMismatch(expected, found, "the architecture has", "weights.tensors lists",
        " (from architecture)");
    if (what != null) {
      throw new ModelFormatException(d, MODEL_JSON, "weights.tensors does not fit the architecture: " + what);
    }
  }


  private static NamedParams readWeights(Path d, StudentConfig cfg, String sha) {
    Path file = d.resolve(WEIGHTS);
    NamedParams p = new NamedParams(cfg.paramSpecs(), cfg.dataType());
    long n = p.flat().length();
    int width = cfg.dataType() == DataType.FLOAT ? 4 : 8;
    try {
      long size = Files.size(file);
      if (size != n * width) {
        throw new ModelFormatException(d, WEIGHTS, size + " bytes, expected " + n * width + " (" + n + " "
            + cfg.dataType() + " values of the architecture); the file is truncated or corrupted");
      }
      String actual = Sha256.of(file);
      if (!actual.equals(sha)) {
        throw new ModelFormatException(d, WEIGHTS, "SHA-256 is " + actual + ", model.json records " + sha
            + "; the weights are corrupted or were replaced");
      }
      INDArray flat = p.flat().reshape('c', new long[] {n}); // [N] view
      int chunk = 1 << 18;
      byte[] buf = new byte[chunk * width];
      try (InputStream in = Files.newInputStream(file)) {
        for (long off = 0; off < n; off += chunk) {
          int len = (int) Math.min(chunk, n - off);
          int got = in.readNBytes(buf, 0, len * width);
          if (got != len * width) throw new ModelFormatException(d, WEIGHTS, "ended early at value " + off);
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, len * width).order(ByteOrder.LITTLE_ENDIAN);
          INDArray part;
          if (width == 4) {
            float[] v = new float[len];
            bb.asFloatBuffer().get(v);
            part = Nd4j.createFromArray(v);
          } else {
            double[] v = new double[len];
            bb.asDoubleBuffer().get(v);
            part = Nd4j.createFromArray(v);
          }
          flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(off, off + len)).assign(part);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
    }
    for (ParamSpec s : p.specs()) {
      INDArray x = p.get(s.name());
      if (x.isNaN().any() || x.isInfinite().any()) {
        throw new ModelFormatException(d, WEIGHTS, "tensor '" + s.name() + "' holds NaN or infinite values; "
            + "expected finite weights (the run that saved it diverged)");
      }
    }
    return p;
  }

  private static MessageDigest sha256() {
    return org.llkd.models.io.Sha256.newDigest();
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort removal of our own temporary directory; the original failure is what the caller needs
    }
  }

  /** Typed access to one JSON object of model.json; every miss names the field. */
  private record Fields(Path dir, String file, String prefix, Map<String, Object> m) {
    Fields(Path dir, String file, Map<String, Object> m) { this(dir, file, "", m); }

    private Object need(String key, String expected) {
      Object v = m.get(key);
      if (v == null) throw new ModelFormatException(dir, file, "field '" + prefix + key + "' missing; expected " + expected);
      return v;
    }

    private ModelFormatException bad(String key, String expected, Object found) {
      return new ModelFormatException(dir, file, "field '" + prefix + key + "': expected " + expected + ", found " + found);
    }

    String str(String key) {
      Object v = need(key, "a string");
      if (!(v instanceof String s)) throw bad(key, "a string", v);
      return s;
    }

    int integer(String key) {
      Object v = need(key, "an integer");
      if (!(v instanceof Integer i)) throw bad(key, "an integer", v);
      return i;
    }

    double number(String key) {
      Object v = need(key, "a number");
      if (!(v instanceof Number n)) throw bad(key, "a number", v);
      return n.doubleValue();
    }

    List<String> strings(String key) {
      Object v = need(key, "a list of strings");
      if (!(v instanceof List<?> l)) throw bad(key, "a list of strings", v);
      List<String> out = new ArrayList<>();
      for (Object o : l) {
        if (!(o instanceof String s)) throw bad(key, "a list of strings", v);
        out.add(s);
      }
      return out;
    }

    @SuppressWarnings("unchecked")
    Fields object(String key) {
      Object v = need(key, "an object");
      if (!(v instanceof Map<?, ?>)) throw bad(key, "an object", v);
      return new Fields(dir, file, prefix + key + ".", (Map<String, Object>) v);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> optionalObject(String key) {
      Object v = m.get(key);
      if (v == null) return Map.of();
      if (!(v instanceof Map<?, ?>)) throw bad(key, "an object", v);
      return (Map<String, Object>) v;
    }

    List<ParamSpec> tensors(String key) {
      Object v = need(key, "a list of {name, shape}");
      if (!(v instanceof List<?> l)) throw bad(key, "a list of {name, shape}", v);
      List<ParamSpec> out = new ArrayList<>();
      for (Object o : l) {
        if (!(o instanceof Map<?, ?> t) || !(t.get("name") instanceof String name) || !(t.get("shape") instanceof List<?> shape)) {
          throw bad(key, "entries {name: string, shape: [ints]}", o);
        }
        long[] s = new long[shape.size()];
        for (int i = 0; i < s.length; i++) {
          if (!(shape.get(i) instanceof Number n)) throw bad(key, "integer shapes", o);
          s[i] = n.longValue();
        }
        try {
          out.add(new ParamSpec(name, s));
        } catch (IllegalArgumentException e) {
          throw bad(key, "valid shapes", o + " (" + e.getMessage() + ")");
        }
      }
      return out;
    }
  }
}
