package org.llkd.bench;

import java.util.concurrent.TimeUnit;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.kernels.Kernels;
import org.nd4j.linalg.api.ndarray.INDArray;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long is one inference forward ({@code forwardLogits}, eval mode, no gradient bookkeeping) of a
 * batch, as the PyTorch reference's {@code --mode infer}. One op = one batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 3, jvmArgsAppend = {"-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=10G", "--add-modules=jdk.incubator.vector"})
public class InferenceBench {
  @Param({"minilm-l6"}) String model;
  @Param({"128"}) int seqLen;
  @Param({"32", "64"}) int batch;
  @Param({"2"}) int numClasses;
  /**
   * Which implementation of GELU, softmax and LayerNorm runs (set in this fork before the model is built):
   * {@code vector} (the default: {@code -Dllkd.kernels=vector}, the fused Vector API kernels that are on by default),
   * {@code vector-all} (every fused kernel, also those off by default: {@code -Dllkd.kernels.ops=all}) or
   * {@code nd4j} (the composed ND4J ops). {@code -p kernels=nd4j,vector} compares two in one JMH run.
   */
  @Param({"vector"}) String kernels;

  StudentTransformer student;
  BenchInputs.Batch in;

  @Setup(Level.Trial)
  public void setUp() {
    System.setProperty(Kernels.PROPERTY, kernels.equals("vector-all") ? "vector" : kernels);
    if (kernels.equals("vector-all")) System.setProperty(Kernels.OPS_PROPERTY, "all");
    StudentConfig cfg = BenchInputs.config(model, numClasses);
    student = StudentTransformer.initRandom(cfg, 1234L);
    student.reserve(batch, seqLen);
    in = BenchInputs.batch(cfg, batch, seqLen, 7L);
  }

  /** Logits [batch, numClasses]. */
  @Benchmark
  public INDArray forward() {
    return student.forwardLogits(in.idsArray(), in.maskArray(), in.typesArray());
  }
}
