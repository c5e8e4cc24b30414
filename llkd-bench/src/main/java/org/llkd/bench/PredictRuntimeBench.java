package org.llkd.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.llkd.models.classifier.ModelBundle;
import org.llkd.models.classifier.Nd4jRuntime;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.onnx.OnnxExporter;
import org.llkd.models.tokenizer.EncodedBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Predict throughput of the distilled student: the hand-written ND4J forward ({@link Nd4jRuntime}, what
 * {@code llkd predict --runtime nd4j} runs) vs the same weights exported by {@link OnnxExporter} and run in
 * onnxruntime (one intra-op thread; {@code --runtime onnx}). One op = class probabilities of one pre-tokenized batch
 * (tokenization excluded: it is the same for both). Sizes: batch 1 and 32, sequence 64 and 128, the MiniLM-shaped
 * student cut to {@code layers}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 3, jvmArgsAppend = {"-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=10G", "--add-modules=jdk.incubator.vector"})
public class PredictRuntimeBench {
  @Param({"minilm-l6"}) String model;
  @Param({"2"}) int layers;
  @Param({"1", "32"}) int batch;
  @Param({"64", "128"}) int seqLen;
  @Param({"nd4j", "onnx"}) String runtime;

  Nd4jRuntime nd4j;
  OrtEnvironment env;
  OrtSession session;
  Path onnxFile;
  EncodedBatch in;
  OnnxTensor ids, mask;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    StudentConfig base = BenchInputs.config(model, 3, 0.0);
    StudentConfig cfg = base.withNumLayers(Math.min(layers, base.numLayers())).withNumClasses(3).withDropout(0.0, 0.0);
    StudentTransformer student = StudentTransformer.initRandom(cfg, 1234L);
    BenchInputs.Batch b = BenchInputs.batch(cfg, batch, seqLen, 7L);
    int[] lengths = new int[batch];
    for (int i = 0; i < batch; i++) for (long m : b.mask()[i]) lengths[i] += (int) m;
    in = new EncodedBatch(b.ids(), b.mask(), b.types(), lengths);
    if (runtime.equals("nd4j")) {
      student.reserve(batch, seqLen);
      nd4j = new Nd4jRuntime(student);
    } else {
      ModelBundle bundle = new ModelBundle(cfg, student.params(), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          java.util.List.of("a", "b", "c"), Math.min(seqLen, cfg.maxPositions()), Map.of());
      onnxFile = Files.createTempFile("predict-runtime-bench", ".onnx");
      OnnxExporter.export(bundle, onnxFile);
      env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
        o.setIntraOpNumThreads(1);
        session = env.createSession(onnxFile.toString(), o);
      }
      ids = OnnxTensor.createTensor(env, in.inputIds());
      mask = OnnxTensor.createTensor(env, in.attentionMask());
    }
  }

  /** Probabilities [batch][3]. */
  @Benchmark
  public Object predict() throws OrtException {
    if (nd4j != null) return nd4j.probabilities(in);
    try (OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT_IDS, ids, OnnxExporter.ATTENTION_MASK, mask))) {
      return r.get(0).getValue(); // float[batch][3], copied out before the result closes
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (session != null) {
      ids.close();
      mask.close();
      session.close();
      Files.deleteIfExists(onnxFile);
    }
  }
}
