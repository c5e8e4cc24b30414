package org.llkd.models.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.shade.protobuf.ByteString;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class PretrainedWeightsTest {
  // all-MiniLM-L6-v2: V 30522, P 512, H 384, F 1536, 6 layers.
  static final long V = 30522, P = 512, H = 384, F = 1536, L = 6;
  static final long EMBEDDINGS = V * H + P * H + 2 * H + 2 * H;
  static final long PER_LAYER = 4 * (H * H + H) + 2 * H + (H * F + F) + (F * H + H) + 2 * H;

  private static OnnxInitializerReader.OnnxFile file;
  private static PretrainedWeights w;

  @BeforeAll static void read() {
    file = OnnxInitializerReader.parseResource(PretrainedWeights.MINILM_ONNX_RESOURCE); // parsed once: 90 MB
    w = PretrainedWeights.of(file);
  }

  @Test void mapsEveryInitializerOfMiniLm() {
    assertEquals(6, w.numLayers());
    assertEquals(5 + 16 * 6, w.tensors().size());
    assertEquals(22_565_376L, EMBEDDINGS + L * PER_LAYER);
    assertEquals(EMBEDDINGS + L * PER_LAYER, w.parameterCount());
    assertEquals(w.parameterCount(), PretrainedWeights.parameterCountOfResource(PretrainedWeights.MINILM_ONNX_RESOURCE));
    assertEquals(List.of("embeddings.position_ids"), List.copyOf(w.ignored().keySet()));
    assertEquals(146, w.constantNodeCount());
    // Unnamed weights are named through their MatMul node; all kept [in, out].
    assertEquals("onnx::MatMul_787", w.onnxName("encoder.layer.0.attention.self.query.weight"));
    assertEquals("onnx::MatMul_791", w.onnxName("encoder.layer.0.attention.self.value.weight"));
    assertEquals("onnx::MatMul_864", w.onnxName("encoder.layer.5.output.dense.weight"));
    assertArrayEquals(new long[] {H, F}, w.tensors().get("encoder.layer.2.intermediate.dense.weight").shape());
    assertArrayEquals(new long[] {F, H}, w.tensors().get("encoder.layer.2.output.dense.weight").shape());
    assertArrayEquals(new long[] {V, H}, w.tensors().get("embeddings.word_embeddings.weight").shape());
    assertEquals("embeddings.LayerNorm.bias", w.onnxName("embeddings.LayerNorm.bias"));
    assertEquals(DataType.FLOAT, w.tensors().get("encoder.layer.0.attention.self.query.weight").dataType());
    Map<String, INDArray> raw = OnnxInitializerReader.readInitializers(file);
    assertEquals(102, raw.size());
    assertEquals(raw.get("onnx::MatMul_799"), w.tensors().get("encoder.layer.0.output.dense.weight"));
    assertEquals(DataType.INT64, raw.get("embeddings.position_ids").dataType());
    assertFalse(w.tensors().containsKey("embeddings.position_ids"));
  }

  @Test void recordsSha256OfTheFile() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    long size = 0;
    try (InputStream in = getClass().getResourceAsStream(PretrainedWeights.MINILM_ONNX_RESOURCE)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; size += n) md.update(buf, 0, n);
    }
    assertEquals(HexFormat.of().formatHex(md.digest()), w.sha256());
    assertEquals(90_387_606L, size);
    assertEquals(size, w.sizeBytes());
  }

  @Test void loadsFullAndTruncatedStudents() {
    NamedParams full = new NamedParams(w.specs(6), DataType.FLOAT);
    PretrainedWeights.LoadReport r = w.loadInto(full, 6);
    assertEquals(101, r.loaded().size());
    assertEquals(w.parameterCount(), r.loadedParameterCount());
    assertEquals(full.count(), w.parameterCount());
    assertTrue(r.droppedLayerTensors().isEmpty());
    for (String n : full.names()) assertEquals(w.tensors().get(n), full.get(n), n);

    // 2 layers + a head: layers 0-1 and embeddings equal the full model's; the head is left to the caller.
    List<ParamSpec> specs = new ArrayList<>(w.specs(2));
    specs.add(new ParamSpec("classifier.weight", new long[] {H, 3}));
    specs.add(new ParamSpec("classifier.bias", new long[] {3}));
    NamedParams two = new NamedParams(specs, DataType.DOUBLE);
    PretrainedWeights.LoadReport r2 = w.loadInto(two, 2);
    assertEquals(List.of("classifier.weight", "classifier.bias"), r2.notFromOnnx());
    assertEquals(4 * 16, r2.droppedLayerTensors().size());
    assertEquals(EMBEDDINGS + 2 * PER_LAYER, r2.loadedParameterCount());
    for (String n : full.names()) {
      if (PretrainedWeights.layerOf(n) < 2) {
        assertEquals(full.get(n).castTo(DataType.DOUBLE), two.get(n), n);
      }
    }
    assertEquals(0.0, two.get("classifier.weight").sumNumber().doubleValue());
  }

  @Test void failsNamingMissingExtraAndMisShapedTensors() {
    List<ParamSpec> good = w.specs(2);

    List<ParamSpec> misShaped = new ArrayList<>(good);
    int q = indexOf(misShaped, "encoder.layer.1.attention.self.query.weight");
    misShaped.set(q, new ParamSpec("encoder.layer.1.attention.self.query.weight", new long[] {H, H + 1}));
    NamedParams target = new NamedParams(misShaped, DataType.FLOAT);
    String msg = assertThrows(IllegalArgumentException.class, () -> w.loadInto(target, 2)).getMessage();
    assertTrue(msg.contains("encoder.layer.1.attention.self.query.weight expected [384, 385] (target), found [384, 384]"), msg);
    assertEquals(0.0, target.flat().sumNumber().doubleValue(), "nothing written on failure");

    List<ParamSpec> missing = new ArrayList<>(good);
    missing.add(new ParamSpec("embeddings.LayerNorm.gamma", new long[] {H}));
    msg = assertThrows(IllegalArgumentException.class, () -> w.loadInto(new NamedParams(missing, DataType.FLOAT), 2)).getMessage();
    assertTrue(msg.contains("missing: target tensor embeddings.LayerNorm.gamma [384]"), msg);

    List<ParamSpec> lacking = new ArrayList<>(good);
    lacking.remove(indexOf(lacking, "encoder.layer.0.attention.self.key.bias"));
    msg = assertThrows(IllegalArgumentException.class, () -> w.loadInto(new NamedParams(lacking, DataType.FLOAT), 2)).getMessage();
    assertTrue(msg.contains("extra: ONNX tensor encoder.layer.0.attention.self.key.bias [384]"), msg);

    msg = assertThrows(IllegalArgumentException.class, () -> w.loadInto(new NamedParams(w.specs(3), DataType.FLOAT), 2)).getMessage();
    assertTrue(msg.contains("is in layer 2, but keepLayers = 2"), msg);
    assertThrows(IllegalArgumentException.class, () -> w.loadInto(new NamedParams(good, DataType.FLOAT), 7));
  }

  @Test void failsOnUnknownInitializerAndOddPositionIds() {
    Onnx.ModelProto unknown = model(
        floatInit("embeddings.LayerNorm.weight", 4), floatInit("mystery.scale", 4),
        node("Mul", "/embeddings/LayerNorm/Mul", "x", "embeddings.LayerNorm.weight"),
        node("Mul", "/mystery/Mul", "y", "mystery.scale"));
    String msg = assertThrows(IllegalArgumentException.class,
        () -> PretrainedWeights.of(new OnnxInitializerReader.OnnxFile(unknown, "synthetic.onnx", "-", 0))).getMessage();
    assertTrue(msg.contains("initializer 'mystery.scale' [4]") && msg.contains("maps to no student parameter"), msg);

    Onnx.ModelProto strangeMatMul = model(floatInit("onnx::MatMul_1", 4),
        node("MatMul", "/pooler/dense/MatMul", "x", "onnx::MatMul_1"));
    msg = assertThrows(IllegalArgumentException.class,
        () -> PretrainedWeights.of(new OnnxInitializerReader.OnnxFile(strangeMatMul, "synthetic.onnx", "-", 0))).getMessage();
    assertTrue(msg.contains("'onnx::MatMul_1'") && msg.contains("/pooler/dense/MatMul"), msg);

    ByteBuffer b = ByteBuffer.allocate(3 * 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(2).putLong(1);
    Onnx.TensorProto pos = Onnx.TensorProto.newBuilder().setName("embeddings.position_ids").addDims(1).addDims(3)
        .setDataType(Onnx.TensorProto.DataType.INT64_VALUE).setRawData(ByteString.copyFrom(b.array())).build();
    Onnx.ModelProto badPos = model(pos);
    msg = assertThrows(IllegalArgumentException.class,
        () -> PretrainedWeights.of(new OnnxInitializerReader.OnnxFile(badPos, "synthetic.onnx", "-", 0))).getMessage();
    assertTrue(msg.contains("embeddings.position_ids[1] = 2, expected 1"), msg);
  }

  @Test void pathApiOnASyntheticModel(@TempDir Path dir) throws Exception {
    Onnx.TensorProto.Builder wq = Onnx.TensorProto.newBuilder().setName("onnx::MatMul_9").addDims(4).addDims(2)
        .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE);
    for (int i = 0; i < 8; i++) wq.addFloatData(i / 8f);
    ByteBuffer b = ByteBuffer.allocate(3 * 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(1).putLong(2);
    Onnx.TensorProto pos = Onnx.TensorProto.newBuilder().setName("embeddings.position_ids").addDims(1).addDims(3)
        .setDataType(Onnx.TensorProto.DataType.INT64_VALUE).setRawData(ByteString.copyFrom(b.array())).build();
    Onnx.ModelProto m = model(floatInit("embeddings.LayerNorm.weight", 4), wq.build(), pos,
        node("Mul", "/embeddings/LayerNorm/Mul", "x", "embeddings.LayerNorm.weight"),
        node("MatMul", "/encoder/layer.0/attention/self/query/MatMul", "x", "onnx::MatMul_9"));
    Path f = dir.resolve("tiny.onnx");
    Files.write(f, m.toByteArray());

    assertEquals(4 + 8, PretrainedWeights.parameterCount(f));
    Map<String, INDArray> raw = OnnxInitializerReader.readInitializers(f);
    assertEquals(List.of("embeddings.LayerNorm.weight", "onnx::MatMul_9", "embeddings.position_ids"), List.copyOf(raw.keySet()));
    NamedParams target = new NamedParams(List.of(new ParamSpec("embeddings.LayerNorm.weight", new long[] {4}),
        new ParamSpec("encoder.layer.0.attention.self.query.weight", new long[] {4, 2})), DataType.DOUBLE);
    PretrainedWeights.LoadReport r = PretrainedWeights.load(f, target, 1);
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))), r.sha256());
    assertEquals(12, r.loadedParameterCount());
    assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, target.get("encoder.layer.0.attention.self.query.weight")
        .getColumn(0).toDoubleVector(), 0.0); // row-major [4, 2] kept as stored ([in, out])
    assertArrayEquals(new double[] {0, 1, 2, 3}, target.get("embeddings.LayerNorm.weight").toDoubleVector(), 0.0);
  }

  private static int indexOf(List<ParamSpec> specs, String name) {
    for (int i = 0; i < specs.size(); i++) if (specs.get(i).name().equals(name)) return i;
    throw new AssertionError(name);
  }

  private static Onnx.TensorProto floatInit(String name, int n) {
    Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).addDims(n)
        .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE);
    for (int i = 0; i < n; i++) t.addFloatData(i);
    return t.build();
  }

  private static Onnx.NodeProto node(String op, String name, String in0, String in1) {
    return Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addInput(in0).addInput(in1).addOutput(name + "_out").build();
  }

  private static Onnx.ModelProto model(Object... parts) {
    Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder();
    for (Object p : parts) {
      if (p instanceof Onnx.TensorProto t) g.addInitializer(t);
      else g.addNode((Onnx.NodeProto) p);
    }
    return Onnx.ModelProto.newBuilder().setGraph(g).build();
  }
}
