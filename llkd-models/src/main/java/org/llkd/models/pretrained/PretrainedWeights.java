package org.llkd.models.pretrained;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import onnx.Onnx;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The encoder weights of an ONNX export of a HuggingFace BERT model (all-MiniLM-L6-v2: 6 layers,
 * hidden 384, 12 heads, FFN 1536, vocab 30522, 512 positions; 22,565,376 parameters), under the
 * student's parameter names.
 *
 * <p><b>Name mapping.</b> Embeddings, biases and LayerNorm parameters keep their HF names in the ONNX
 * file ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.3.output.LayerNorm.bias}) and
 * are taken as they are. The dense weight matrices are unnamed ({@code onnx::MatMul_787}); each is
 * named after the single MatMul node that consumes it as its right operand:
 * {@code /encoder/layer.N/attention/self/query/MatMul} gives
 * {@code encoder.layer.N.attention.self.query.weight}. Both sides store them {@code [in, out]}
 * ({@code y = x·W + b}), so no transpose is applied.
 *
 * <p><b>What is not a parameter</b>, and is therefore not loaded (reported in {@link #ignored()}):
 * <ul>
 *   <li>{@code embeddings.position_ids} (INT64 {@code [1, 512]}): HF's buffer of position indices. It is
 *       checked to be exactly {@code 0..P-1}, so the student's implicit positions {@code 0..T-1} agree;
 *       any other content fails the read.
 *   <li>{@code Constant} nodes (146 in MiniLM): node attributes, not initializers, holding graph scalars
 *       and shape vectors (LayerNorm eps 1e-12 and exponent 2, attention scale sqrt(32), GELU's sqrt(2),
 *       0.5 and 1, reshape sizes 12/32/384, the mask fill value -3.4028235e38). They are counted in
 *       {@link #constantNodeCount()}, never read as weights.
 * </ul>
 * Every other initializer must map to a student name; an unknown one fails the read naming it.
 *
 * <p><b>Fewer layers.</b> {@link #loadInto(NamedParams, int)} with {@code keepLayers = k} fills layers
 * {@code 0..k-1} from the ONNX layers of the same index; ONNX layers {@code >= k} are expected and not
 * loaded (listed in {@link LoadReport#droppedLayerTensors()}). The target must then have exactly k layers.
 */
public final class PretrainedWeights {
  /** all-MiniLM-L6-v2 at the root of the langchain4j embeddings jar. */
  public static final String MINILM_ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";

  /** HF names kept as they are in the ONNX file (everything but the dense weight matrices). */
  private static final Pattern NAMED_PARAMETER = Pattern.compile(
      "embeddings\\.(word_embeddings|position_embeddings|token_type_embeddings)\\.weight"
          + "|embeddings\\.LayerNorm\\.(weight|bias)"
          + "|encoder\\.layer\\.\\d+\\.(attention\\.self\\.(query|key|value)|attention\\.output\\.dense"
          + "|intermediate\\.dense|output\\.dense)\\.bias"
          + "|encoder\\.layer\\.\\d+\\.(attention\\.output|output)\\.LayerNorm\\.(weight|bias)");
  /** MatMul nodes whose right operand is a dense weight, e.g. /encoder/layer.0/attention/self/query/MatMul. */
  private static final Pattern WEIGHT_MATMUL = Pattern.compile(
      "/encoder/layer\\.(\\d+)/(attention/self/query|attention/self/key|attention/self/value"
          + "|attention/output/dense|intermediate/dense|output/dense)/MatMul");
  private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\..+");
  private static final String POSITION_IDS = "embeddings.position_ids";

  private final Map<String, INDArray> tensors;   // student name -> tensor, file order
  private final Map<String, String> onnxNames;   // student name -> ONNX initializer name
  private final Map<String, String> ignored;     // ONNX name -> why it is not a parameter
  private final int numLayers;
  private final int constantNodeCount;
  private final String source;
  private final String sha256;
  private final long sizeBytes;
  private final long parameterCount;

  private PretrainedWeights(Map<String, INDArray> tensors, Map<String, String> onnxNames, Map<String, String> ignored,
      int numLayers, int constantNodeCount, String source, String sha256, long sizeBytes, long parameterCount) {
    this.tensors = Collections.unmodifiableMap(tensors);
    this.onnxNames = Collections.unmodifiableMap(onnxNames);
    this.ignored = Collections.unmodifiableMap(ignored);
    this.numLayers = numLayers;
    this.constantNodeCount = constantNodeCount;
    this.source = source;
    this.sha256 = sha256;
    this.sizeBytes = sizeBytes;
    this.parameterCount = parameterCount;
  }

  /** Reads and maps every initializer of an ONNX file. */
  public static PretrainedWeights read(Path onnx) {
    return of(OnnxInitializerReader.parse(onnx), true);
  }

  /** Reads and maps every initializer of a classpath ONNX model, e.g. {@link #MINILM_ONNX_RESOURCE}. */
  public static PretrainedWeights readResource(String resource) {
    return of(OnnxInitializerReader.parseResource(resource), true);
  }

  /** Maps an already parsed model. */
  public static PretrainedWeights of(OnnxInitializerReader.OnnxFile file) {
    return of(file, true);
  }

  /**
   * Fills every encoder tensor of {@code target} from the ONNX file, keeping its first {@code keepLayers}
   * layers. Fails, before writing anything, on a missing, extra or mis-shaped tensor.
   */
  public static LoadReport load(Path onnx, NamedParams target, int keepLayers) {
    return read(onnx).loadInto(target, keepLayers);
  }

  /** As {@link #load(Path, NamedParams, int)}, for a classpath model. */
  public static LoadReport loadResource(String resource, NamedParams target, int keepLayers) {
    return readResource(resource).loadInto(target, keepLayers);
  }

  /** Total number of scalars in the weight initializers of an ONNX file (the non-parameters excluded). */
  public static long parameterCount(Path onnx) {
    return of(OnnxInitializerReader.parse(onnx), false).parameterCount();
  }

  /** As {@link #parameterCount(Path)}, for a classpath model. */
  public static long parameterCountOfResource(String resource) {
    return of(OnnxInitializerReader.parseResource(resource), false).parameterCount();
  }

  private static PretrainedWeights of(OnnxInitializerReader.OnnxFile file, boolean convert) {
    String src = file.source();
    Onnx.GraphProto g = file.model().getGraph();
    Map<String, Onnx.TensorProto> inits = new LinkedHashMap<>();
    for (Onnx.TensorProto t : g.getInitializerList()) {
      if (inits.put(t.getName(), t) != null) {
        throw new IllegalArgumentException(src + ": initializer '" + t.getName() + "' appears twice");
      }
    }
    // Which nodes consume each initializer, and as which input.
    Map<String, List<String>> consumers = new HashMap<>();
    Map<String, String> matmulWeightOf = new HashMap<>(); // initializer -> MatMul node using it as input 1
    int constants = 0;
    for (Onnx.NodeProto n : g.getNodeList()) {
      if ("Constant".equals(n.getOpType())) constants++;
      for (int i = 0; i < n.getInputCount(); i++) {
        String in = n.getInput(i);
        if (!inits.containsKey(in)) continue;
        consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n.getName() + "(" + n.getOpType() + " input " + i + ")");
        if ("MatMul".equals(n.getOpType()) && i == 1) matmulWeightOf.put(in, n.getName());
      }
    }

    Map<String, String> onnxNames = new LinkedHashMap<>();
    Map<String, String> ignored = new LinkedHashMap<>();
    Map<String, INDArray> tensors = new LinkedHashMap<>();
    long paramCount = 0;
    int maxLayer = -1;
    for (Onnx.TensorProto t : inits.values()) {
      String onnxName = t.getName();
      List<String> usedBy = consumers.getOrDefault(onnxName, List.of());
      if (POSITION_IDS.equals(onnxName)) {
        checkPositionIds(t, src);
        ignored.put(onnxName, "INT64 position-index buffer " + t.getDimsList() + " = 0..P-1 (checked); "
            + "the student indexes position_embeddings with 0..T-1 directly");
        continue;
      }
      String student;
      String matmul = matmulWeightOf.get(onnxName);
      if (matmul != null) {
        Matcher m = WEIGHT_MATMUL.matcher(matmul);
        if (!m.matches()) {
          throw new IllegalArgumentException(src + ": initializer '" + onnxName + "' " + t.getDimsList()
              + " is the weight of MatMul node '" + matmul + "', which is not a known encoder projection "
              + "(expected /encoder/layer.N/{attention/self/query|key|value, attention/output/dense, "
              + "intermediate/dense, output/dense}/MatMul); add a rule to PretrainedWeights");
        }
        student = "encoder.layer." + m.group(1) + "." + m.group(2).replace('/', '.') + ".weight";
      } else if (NAMED_PARAMETER.matcher(onnxName).matches()) {
        student = onnxName;
      } else {
        throw new IllegalArgumentException(src + ": initializer '" + onnxName + "' " + t.getDimsList() + " ("
            + OnnxInitializerReader.nd4jType(t.getDataType()) + ", used by " + usedBy + ") maps to no student "
            + "parameter and is not a known non-parameter; add a mapping or an explicit ignore rule to PretrainedWeights");
      }
      if (usedBy.size() != 1) {
        throw new IllegalArgumentException(src + ": initializer '" + onnxName + "' (student " + student + ") is used by "
            + usedBy.size() + " nodes " + usedBy + ", expected exactly 1 (tied or dead weights are not supported)");
      }
      if (t.getDataType() != Onnx.TensorProto.DataType.FLOAT_VALUE && t.getDataType() != Onnx.TensorProto.DataType.DOUBLE_VALUE) {
        throw new IllegalArgumentException(src + ": initializer '" + onnxName + "' (student " + student + ") has ONNX type "
            + t.getDataType() + ", expected FLOAT or DOUBLE");
      }
      String previous = onnxNames.put(student, onnxName);
      if (previous != null) {
        throw new IllegalArgumentException(src + ": initializers '" + previous + "' and '" + onnxName
            + "' both map to student parameter " + student);
      }
      Matcher lm = LAYER.matcher(student);
      if (lm.matches()) maxLayer = Math.max(maxLayer, Integer.parseInt(lm.group(1)));
      paramCount += OnnxInitializerReader.elementCount(t);
      if (convert) tensors.put(student, OnnxInitializerReader.toINDArray(t, src));
    }
    return new PretrainedWeights(tensors, onnxNames, ignored, maxLayer + 1, constants, src, file.sha256(),
        file.sizeBytes(), paramCount);
  }

  private static void checkPositionIds(Onnx.TensorProto t, String src) {
    INDArray p = OnnxInitializerReader.toINDArray(t, src);
    long[] v = p.dup('c').data().asLong();
    for (int i = 0; i < v.length; i++) {
      if (v[i] != i) {
        throw new IllegalArgumentException(src + ": " + POSITION_IDS + "[" + i + "] = " + v[i] + ", expected " + i
            + "; non-identity position ids are not supported by the student");
      }
    }
  }

  /**
   * Copies the encoder tensors into {@code target}, converting to its data type.
   *
   * <p>Every target tensor named {@code embeddings.*} or {@code encoder.*} must come from the ONNX file with
   * the same shape; other target tensors (the classifier head) are left untouched for the caller and listed
   * in {@link LoadReport#notFromOnnx()}. Every ONNX parameter of a layer below {@code keepLayers}, and every
   * embedding parameter, must exist in the target. Nothing is written unless all checks pass.
   *
   * @param keepLayers number of leading ONNX layers to load, {@code 1..}{@link #numLayers()}
   */
  public LoadReport loadInto(NamedParams target, int keepLayers) {
    if (keepLayers < 1 || keepLayers > numLayers) {
      throw new IllegalArgumentException(source + ": keepLayers = " + keepLayers + ", expected 1.." + numLayers
          + " (the ONNX model has " + numLayers + " layers)");
    }
    if (tensors.isEmpty()) throw new IllegalStateException("weights were read without data (parameterCount only)");
    List<String> problems = new ArrayList<>();
    List<String> loaded = new ArrayList<>();
    List<String> notFromOnnx = new ArrayList<>();
    for (ParamSpec s : target.specs()) {
      String name = s.name();
      if (!name.startsWith("embeddings.") && !name.startsWith("encoder.")) {
        notFromOnnx.add(name);
        continue;
      }
      int layer = layerOf(name);
      INDArray t = tensors.get(name);
      if (layer >= keepLayers) {
        problems.add("target tensor " + s + " is in layer " + layer + ", but keepLayers = " + keepLayers
            + "; build the target with " + keepLayers + " layers");
      } else if (t == null) {
        problems.add("missing: target tensor " + s + " has no initializer in " + source);
      } else if (!Arrays.equals(t.shape(), s.shape())) {
        problems.add("shape mismatch: tensor " + name + " expected " + Arrays.toString(s.shape()) + " (target), found "
            + Arrays.toString(t.shape()) + " (ONNX initializer '" + onnxNames.get(name) + "')");
      } else {
        loaded.add(name);
      }
    }
    List<String> dropped = new ArrayList<>();
    for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
      String name = e.getKey();
      if (layerOf(name) >= keepLayers) {
        dropped.add(name);
      } else if (!target.contains(name)) {
        problems.add("extra: ONNX tensor " + name + " " + Arrays.toString(e.getValue().shape()) + " (initializer '"
            + onnxNames.get(name) + "') has no parameter in the target model");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(source + " -> target (" + target.specs().size() + " tensors, keepLayers "
          + keepLayers + "): " + problems.size() + " problem(s): " + String.join("; ",
          problems.subList(0, Math.min(10, problems.size()))) + (problems.size() > 10 ? "; ..." : ""));
    }
    long count = 0;
    for (String name : loaded) {
      target.set(name, tensors.get(name));
      count += tensors.get(name).length();
    }
    return new LoadReport(source, sha256, numLayers, keepLayers, List.copyOf(loaded), List.copyOf(notFromOnnx),
        List.copyOf(dropped), ignored, count);
  }

  /** Layer index of {@code encoder.layer.N.*}, or -1 for other names. */
  static int layerOf(String name) {
    Matcher m = LAYER.matcher(name);
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Student name to tensor, for every encoder parameter in the file (all layers), in file order. */
  public Map<String, INDArray> tensors() { return tensors; }

  /** The ONNX initializer a student tensor came from (e.g. {@code onnx::MatMul_787}). */
  public String onnxName(String studentName) {
    String n = onnxNames.get(studentName);
    if (n == null) throw new IllegalArgumentException("no ONNX tensor maps to " + studentName);
    return n;
  }

  /** Student name to ONNX initializer name, for all mapped tensors. */
  public Map<String, String> onnxNames() { return onnxNames; }

  /** Initializers that are deliberately not loaded, with the reason. */
  public Map<String, String> ignored() { return ignored; }

  /** Total scalars of the weight initializers (what a full student encoder must hold). */
  public long parameterCount() { return parameterCount; }

  public int numLayers() { return numLayers; }

  public int constantNodeCount() { return constantNodeCount; }

  public String source() { return source; }

  /** SHA-256 of the ONNX file, for provenance. */
  public String sha256() { return sha256; }

  public long sizeBytes() { return sizeBytes; }

  /** Parameter specs of the mapped encoder tensors (keeping {@code keepLayers} layers), in file order. */
  public List<ParamSpec> specs(int keepLayers) {
    List<ParamSpec> out = new ArrayList<>();
    for (Map.Entry<String, String> e : onnxNames.entrySet()) {
      if (layerOf(e.getKey()) >= keepLayers) continue;
      INDArray t = tensors.get(e.getKey());
      if (t == null) throw new IllegalStateException("weights were read without data (parameterCount only)");
      out.add(new ParamSpec(e.getKey(), t.shape()));
    }
    return out;
  }

  /**
   * What a load did: where from (with SHA-256), which tensors it filled, which target tensors it left to
   * the caller, which ONNX layer tensors it skipped because of {@code keepLayers}, and the non-parameters.
   */
  public record LoadReport(String source, String sha256, int onnxLayers, int keptLayers, List<String> loaded,
      List<String> notFromOnnx, List<String> droppedLayerTensors, Map<String, String> ignored, long loadedParameterCount) {
    /** Provenance-friendly summary (sorted map, JSON-able values). */
    public Map<String, Object> toProvenance() {
      Map<String, Object> m = new TreeMap<>();
      m.put("source", source);
      m.put("sha256", sha256);
      m.put("onnxLayers", onnxLayers);
      m.put("keptLayers", keptLayers);
      m.put("loadedTensors", loaded.size());
      m.put("loadedParameters", loadedParameterCount);
      m.put("notFromOnnx", notFromOnnx);
      m.put("droppedLayerTensors", droppedLayerTensors.size());
      m.put("ignoredInitializers", ignored);
      return m;
    }
  }

  /** Data type the ONNX weights are stored in. */
  public DataType dataType() {
    return tensors.isEmpty() ? DataType.UNKNOWN : tensors.values().iterator().next().dataType();
  }
}
