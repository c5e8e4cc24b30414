package org.llkd.bench;

import java.util.concurrent.TimeUnit;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.kernels.Kernels;
import org.llkd.models.loss.WeightedCrossEntropy;
import org.llkd.models.optim.AdamW;
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
 * How long is one full train step of the student, as the PyTorch reference's {@code --mode train}:
 * zero the gradients, {@code forwardTrain}, weighted CE, {@code backward}, AdamW (BERT config, clipping at 1).
 * One op = one step; single-shot timing, so each measured step is one sample (median in the report).
 * Dropout defaults to 0 and pooling is MEAN with 2 classes; run the reference with {@code --pool mean}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 3, jvmArgsAppend = {"-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=10G", "--add-modules=jdk.incubator.vector"})
public class TrainStepBench {
  @Param({"minilm-l6"}) String model;
  @Param({"128", "64"}) int seqLen;
  @Param({"32"}) int batch;
  @Param({"2"}) int numClasses;
  @Param({"0.0"}) double dropout;
  /**
   * Which implementation of GELU, softmax and LayerNorm runs (set in this fork before the model is built):
   * {@code vector} (the default: {@code -Dllkd.kernels=vector}, the fused Vector API kernels that are on by default),
   * {@code vector-all} (every fused kernel, also those off by default: {@code -Dllkd.kernels.ops=all}) or
   * {@code nd4j} (the composed ND4J ops). {@code -p kernels=nd4j,vector} compares two in one JMH run.
   */
  @Param({"vector"}) String kernels;

  StudentTransformer student;
  AdamW optimizer;
  BenchInputs.Batch in;
  int[] labels;
  INDArray weights;
  long step;

  @Setup(Level.Trial)
  public void setUp() {
    System.setProperty(Kernels.PROPERTY, kernels.equals("vector-all") ? "vector" : kernels);
    if (kernels.equals("vector-all")) System.setProperty(Kernels.OPS_PROPERTY, "all");
    StudentConfig cfg = BenchInputs.config(model, numClasses, dropout);
    student = StudentTransformer.initRandom(cfg, 1234L);
    student.reserve(batch, seqLen);
    optimizer = new AdamW(AdamW.Config.bert(5e-5, 0.01, 10, 1_000_000), student.params());
    in = BenchInputs.batch(cfg, batch, seqLen, 7L);
    labels = BenchInputs.labels(batch, numClasses, 8L);
    weights = BenchInputs.weights(batch, 9L, cfg.dataType());
  }

  /** One train step; returns the loss (and the step stats keep the update live). */
  @Benchmark
  public double trainStep() {
    student.grads().flat().assign(0);
    INDArray z = student.forwardTrain(in.idsArray(), in.maskArray(), in.typesArray(), 1000L + step++); // [B, C]
    WeightedCrossEntropy.Result r = WeightedCrossEntropy.compute(z, labels, weights);
    student.backward(r.dLogits());
    AdamW.StepStats s = optimizer.step(student.params(), student.grads());
    return r.loss() + s.gradNorm();
  }
}
