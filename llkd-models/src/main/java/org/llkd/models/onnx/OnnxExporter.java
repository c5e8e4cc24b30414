package org.llkd.models.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import onnx.Onnx;
import org.llkd.models.classifier.ModelBundle;
import org.llkd.models.encoder.Pooling;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.io.AtomicFiles;
import org.llkd.models.params.NamedParams;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * The whole student as one ONNX graph (opset 13, IR 8), the same computation as {@code StudentTransformer}'s eval
 * forward followed by a softmax:
 * <pre>
 *   inputs   input_ids [batch, seq] int64, attention_mask [batch, seq] int64 (1 real token, 0 padding)
 *   h0       = LN(word[ids] + position[0..seq-1] + type[0])                         [batch, seq, H]
 *   layer l  : q,k,v = h Wq + bq, ...  -> [batch, nh, seq, d]
 *              P = softmax(q k^T / sqrt(d) + (1 - mask) * -10000)                   [batch, nh, seq, seq]
 *              a = LN(h + (P v) Wo + bo);  h' = LN(a + gelu_erf(a Wi + bi) Wo2 + bo2) [batch, seq, H]
 *   pooled   = MEAN: sum_t mask h / sum_t mask,  CLS: h[:, 0]                      [batch, H]
 *   output   probabilities = softmax(pooled Wc + bc)                               [batch, C]
 * </pre>
 * Batch and sequence axes are dynamic ({@code batch}, {@code sequence}); sequences longer than maxPositions fail
 * in the position Gather, so tokenize with the model's maxLength. Weights are stored as float32 initializers with
 * the model directory's tensor names (a DOUBLE model is rounded to float32). Token type ids are fixed to 0 (single
 * sentences), which is what the model directory's tokenizer produces.
 */
public final class OnnxExporter {
  public static final String INPUT_IDS = "input_ids", ATTENTION_MASK = "attention_mask", PROBABILITIES = "probabilities";
  /**
   * Metadata keys: the label names joined by '\n' (index i = column i of probabilities), the tokenizer's maxLength,
   * and the SHA-256 of the model directory's weights.bin the graph was exported from (absent when exported from an
   * in-memory bundle).
   */
  public static final String META_LABELS = "labels", META_MAX_LENGTH = "max_length", META_WEIGHTS_SHA256 = "weights_sha256";
  static final int OPSET = 13;
  static final long IR_VERSION = 8;

  private OnnxExporter() {}

  /** Writes the graph of {@code b} to {@code out} atomically (no weights hash in its metadata). */
  public static void export(ModelBundle b, Path out) {
    export(b, null, out);
  }

  /**
   * Writes the graph of {@code b} to {@code out} atomically, with {@code weightsSha256} (the model directory's
   * weights.bin hash, see {@code ModelDirectory.weightsSha256}) in its metadata; null writes none.
   */
  public static void export(ModelBundle b, String weightsSha256, Path out) {
    byte[] bytes = build(b, weightsSha256).toByteArray();
    AtomicFiles.write(out, o -> o.write(bytes));
  }

  /** The ONNX model of {@code b}, without a weights hash. */
  public static Onnx.ModelProto build(ModelBundle b) {
    return build(b, null);
  }

  /** The ONNX model of {@code b}; {@code weightsSha256} (nullable) goes into the metadata. */
  public static Onnx.ModelProto build(ModelBundle b, String weightsSha256) {
    StudentConfig c = b.config();
    G g = new G();
    NamedParams p = b.params();
    for (var s : p.specs()) {
      if (s.name().equals("embeddings.token_type_embeddings.weight")) continue; // only row 0 is used
      g.initializer(s.name(), p.get(s.name()));
    }
    g.initializer("embeddings.token_type_embeddings.row0", p.get("embeddings.token_type_embeddings.weight").getRow(0)); // [H]
    long h = c.hiddenSize(), nh = c.numHeads(), d = c.headSize();

    // embeddings
    String word = g.node("Gather", List.of("embeddings.word_embeddings.weight", INPUT_IDS), attrInt("axis", 0)); // [B, T, H]
    String shape = g.node("Shape", List.of(INPUT_IDS));                                                // [2]
    String seq = g.node("Gather", List.of(shape, g.constLongScalar(1)), attrInt("axis", 0));         // scalar T
    String posIdx = g.node("Range", List.of(g.constLongScalar(0), seq, g.constLongScalar(1)));       // [T]
    String pos = g.node("Gather", List.of("embeddings.position_embeddings.weight", posIdx), attrInt("axis", 0)); // [T, H]
    String e = g.node("Add", List.of(word, pos));                                                     // [B, T, H]
    e = g.node("Add", List.of(e, "embeddings.token_type_embeddings.row0"));                          // [B, T, H]
    String hidden = layerNorm(g, e, "embeddings.LayerNorm", c.layerNormEps());

    // mask
    String maskF = g.node("Cast", List.of(ATTENTION_MASK), attrInt("to", Onnx.TensorProto.DataType.FLOAT_VALUE)); // [B, T]
    String bias = g.node("Mul", List.of(g.node("Sub", List.of(g.constFloat(1f), maskF)), g.constFloat(-10000f))); // [B, T]
    String bias4 = g.node("Unsqueeze", List.of(bias, g.constLongs(1, 2)));                          // [B, 1, 1, T]
    String headShape = g.constLongs(0, 0, nh, d);
    String mergeShape = g.constLongs(0, 0, h);

    for (int l = 0; l < c.numLayers(); l++) {
      String pre = StudentConfig.layerPrefix(l);
      String q = heads(g, hidden, pre + "attention.self.query", headShape, new long[] {0, 2, 1, 3}); // [B, nh, T, d]
      String k = heads(g, hidden, pre + "attention.self.key", headShape, new long[] {0, 2, 3, 1});   // [B, nh, d, T]
      String v = heads(g, hidden, pre + "attention.self.value", headShape, new long[] {0, 2, 1, 3}); // [B, nh, T, d]
      String s = g.node("MatMul", List.of(q, k));                                                    // [B, nh, T, T]
      s = g.node("Mul", List.of(s, g.constFloat((float) (1.0 / Math.sqrt(d)))));
      s = g.node("Add", List.of(s, bias4));
      String prob = g.node("Softmax", List.of(s), attrInt("axis", -1));                             // [B, nh, T, T]
      String ctx = g.node("MatMul", List.of(prob, v));                                               // [B, nh, T, d]
      ctx = g.node("Transpose", List.of(ctx), attrInts("perm", 0, 2, 1, 3));                         // [B, T, nh, d]
      ctx = g.node("Reshape", List.of(ctx, mergeShape));                                             // [B, T, H]
      String a = linear(g, ctx, pre + "attention.output.dense");                                    // [B, T, H]
      String h1 = layerNorm(g, g.node("Add", List.of(a, hidden)), pre + "attention.output.LayerNorm", c.layerNormEps());
      String f = linear(g, h1, pre + "intermediate.dense");                                          // [B, T, F]
      String cdf = g.node("Add", List.of(g.constFloat(1f),
          g.node("Erf", List.of(g.node("Div", List.of(f, g.constFloat((float) Math.sqrt(2.0))))))));
      String gelu = g.node("Mul", List.of(g.node("Mul", List.of(f, g.constFloat(0.5f))), cdf));    // [B, T, F] exact erf GELU
      String o = linear(g, gelu, pre + "output.dense");                                              // [B, T, H]
      hidden = layerNorm(g, g.node("Add", List.of(o, h1)), pre + "output.LayerNorm", c.layerNormEps());
    }

    String pooled;
    if (c.pooling() == Pooling.CLS) {
      pooled = g.node("Gather", List.of(hidden, g.constLongScalar(0)), attrInt("axis", 1));        // [B, H]
    } else {
      String count = g.node("ReduceSum", List.of(maskF, g.constLongs(1)), attrInt("keepdims", 1)); // [B, 1]
      String w = g.node("Div", List.of(maskF, count));                                              // [B, T]
      String w3 = g.node("Unsqueeze", List.of(w, g.constLongs(1)));                                 // [B, 1, T]
      String p3 = g.node("MatMul", List.of(w3, hidden));                                            // [B, 1, H]
      pooled = g.node("Squeeze", List.of(p3, g.constLongs(1)));                                     // [B, H]
    }
    String logits = linear(g, pooled, "classifier");                                                // [B, C]
    g.nodes.add(Onnx.NodeProto.newBuilder().setOpType("Softmax").setName("softmax_out").addInput(logits)
        .addOutput(PROBABILITIES).addAttribute(attrInt("axis", -1)).build());                      // [B, C]

    Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("llkd_student")
        .addInput(valueInfo(INPUT_IDS, Onnx.TensorProto.DataType.INT64_VALUE, "batch", "sequence"))
        .addInput(valueInfo(ATTENTION_MASK, Onnx.TensorProto.DataType.INT64_VALUE, "batch", "sequence"))
        .addOutput(valueInfo(PROBABILITIES, Onnx.TensorProto.DataType.FLOAT_VALUE, "batch", c.numClasses()))
        .addAllInitializer(g.initializers).addAllNode(g.nodes);
    Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("llkd-j").setProducerVersion("1")
        .setDocString("LLKD-J student; labels: " + String.join(", ", b.labels()) + "; maxLength " + b.maxLength())
        .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(META_LABELS).setValue(String.join("\n", b.labels())))
        .addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(META_MAX_LENGTH).setValue(Integer.toString(b.maxLength())));
    if (weightsSha256 != null) {
      m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(META_WEIGHTS_SHA256).setValue(weightsSha256));
    }
    return m.setGraph(graph).build();
  }

  /** x W + b with the tensors {@code prefix.weight} [in, out] and {@code prefix.bias} [out]. */
  private static String linear(G g, String x, String prefix) {
    return g.node("Add", List.of(g.node("MatMul", List.of(x, prefix + ".weight")), prefix + ".bias"));
  }

  /** Projection of x [B, T, H] split into heads and transposed by {@code perm}. */
  private static String heads(G g, String x, String prefix, String headShape, long[] perm) {
    String y = g.node("Reshape", List.of(linear(g, x, prefix), headShape)); // [B, T, nh, d]
    return g.node("Transpose", List.of(y), attrInts("perm", perm));
  }

  /** LayerNorm over the last axis with biased variance: (x - mean) / sqrt(var + eps) * g + b. */
  private static String layerNorm(G g, String x, String prefix, double eps) {
    String mean = g.node("ReduceMean", List.of(x), attrInts("axes", -1), attrInt("keepdims", 1));
    String xc = g.node("Sub", List.of(x, mean));
    String var = g.node("ReduceMean", List.of(g.node("Mul", List.of(xc, xc))), attrInts("axes", -1), attrInt("keepdims", 1));
    String std = g.node("Sqrt", List.of(g.node("Add", List.of(var, g.constFloat((float) eps)))));
    String y = g.node("Div", List.of(xc, std));
    return g.node("Add", List.of(g.node("Mul", List.of(y, prefix + ".weight")), prefix + ".bias"));
  }

  private static Onnx.AttributeProto attrInt(String name, long v) {
    return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(v).build();
  }

  private static Onnx.AttributeProto attrInts(String name, long... v) {
    Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
    for (long x : v) a.addInts(x);
    return a.build();
  }

  /** dims: fixed sizes (Integer/Long) or symbolic names (String). */
  private static Onnx.ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
    Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
    for (Object dim : dims) {
      Onnx.TensorShapeProto.Dimension.Builder db = Onnx.TensorShapeProto.Dimension.newBuilder();
      if (dim instanceof String s) db.setDimParam(s);
      else db.setDimValue(((Number) dim).longValue());
      shape.addDim(db);
    }
    return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
        .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
  }

  /** Graph under construction: nodes in topological order, initializers, unique value names. */
  private static final class G {
    final List<Onnx.NodeProto> nodes = new ArrayList<>();
    final List<Onnx.TensorProto> initializers = new ArrayList<>();
    private int counter;

    String node(String op, List<String> inputs, Onnx.AttributeProto... attrs) {
      String out = op.toLowerCase() + "_" + counter++;
      Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out);
      for (Onnx.AttributeProto a : attrs) n.addAttribute(a);
      nodes.add(n.build());
      return out;
    }

    void initializer(String name, INDArray x) {
      float[] v = x.dup('c').reshape('c', new long[] {x.length()}).toFloatVector();
      ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(v);
      Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
          .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b.array()));
      for (long s : x.shape()) t.addDims(s);
      initializers.add(t.build());
    }

    String constFloat(float v) {
      String name = "const_" + counter++;
      ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v);
      initializers.add(Onnx.TensorProto.newBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
          .setRawData(ByteString.copyFrom(b.array())).build()); // scalar
      return name;
    }

    String constLongScalar(long v) {
      String name = "const_" + counter++;
      ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
      initializers.add(Onnx.TensorProto.newBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.INT64_VALUE)
          .setRawData(ByteString.copyFrom(b.array())).build()); // scalar
      return name;
    }

    String constLongs(long... v) {
      String name = "const_" + counter++;
      ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      for (long x : v) b.putLong(x);
      initializers.add(Onnx.TensorProto.newBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.INT64_VALUE)
          .addDims(v.length).setRawData(ByteString.copyFrom(b.array())).build()); // [n]
      return name;
    }
  }
}
