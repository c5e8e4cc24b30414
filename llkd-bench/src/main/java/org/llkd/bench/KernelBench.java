package org.llkd.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.llkd.models.kernels.FusedOps;
import org.llkd.models.kernels.Kernels;
import org.llkd.models.kernels.LayerNormScratch;
import org.llkd.models.kernels.Nd4jOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Is each fused Vector API kernel faster than the composed ND4J ops it replaces? The production implementations of
 * {@link FusedOps} ({@code impl=nd4j}: {@link Nd4jOps}, the encoder's original code; {@code impl=vector}: the fused
 * kernels of {@link Kernels#vector()}), on the student's shapes (all-MiniLM-L6-v2: hidden 384, intermediate 1536,
 * 12 heads) at {@code shape = batch x seqLen}: 32x64 and 32x128 (TrainStepBench), 64x128 (InferenceBench's larger
 * batch). One op = one call over the whole batch:
 * <ul>
 *   <li>GELU forward/backward on [B*T, 1536] (h, cdf, act, d(act));</li>
 *   <li>softmax forward (with the [B, T] mask bias) and backward on the scores [B, 12, T, T];</li>
 *   <li>LayerNorm forward/backward on [B*T, 384] (with the gain/bias gradient column sums).</li>
 * </ul>
 * The kernels use {@code OMP_NUM_THREADS} threads (scripts/bench.sh sets 2), as ND4J does. In-place ops get their
 * input restored before each call (outside the timing). Run: {@code CLASSES=KernelBench scripts/bench.sh}, or with
 * one shape: {@code java ... org.openjdk.jmh.Main KernelBench -p shape=32x128}. The JVM needs
 * {@code --add-modules jdk.incubator.vector} (in the fork arguments below).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=4G", "--add-modules=jdk.incubator.vector"})
public class KernelBench {
  static final int HIDDEN = 384, INTERMEDIATE = 1536, HEADS = 12;
  static final double LN_EPS = 1e-12;

  @Param({"32x64", "32x128", "64x128"}) String shape;
  @Param({"nd4j", "vector"}) String impl;

  FusedOps ops;
  int batch, seqLen, rows;
  // GELU [M, F]
  INDArray h, cdf, act, dAct, dAct0, geluScratch;
  // softmax [B, nh, T, T], mask bias [B, T], row sums [B, nh, T]
  INDArray scores, scores0, maskBias, probs, dP, dP0, softmaxScratch, rowSum;
  // LayerNorm [M, H], [M], [H], [1, H]
  INDArray x, y, xhat, rstd, gain, bias, dy, dx, gainGrad, biasGrad;
  LayerNormScratch lnScratch;
  Runnable restore = () -> { };

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String[] bt = shape.split("x");
    batch = Integer.parseInt(bt[0]);
    seqLen = Integer.parseInt(bt[1]);
    rows = batch * seqLen;
    ops = switch (impl) {
      case "nd4j" -> Nd4jOps.INSTANCE;
      case "vector" -> Kernels.vector();
      default -> throw new IllegalArgumentException("impl param '" + impl + "': expected nd4j or vector");
    };
    String bench = params.getBenchmark();
    if (bench.contains(".gelu")) {
      h = randn(7, 2.0, rows, INTERMEDIATE);                             // [M, F] pre-activations
      cdf = h.ulike();
      act = h.ulike();
      geluScratch = h.ulike();
      ops.geluForward(h, cdf, act, true);                                // cdf as the backward reads it
      dAct0 = randn(8, 1.0, rows, INTERMEDIATE);                         // [M, F] d(act)
      dAct = dAct0.dup();
      restore = () -> dAct.assign(dAct0);
    } else if (bench.contains(".softmax")) {
      scores0 = randn(9, 3.0, batch, HEADS, seqLen, seqLen);            // [B, nh, T, T]
      scores = scores0.dup();
      maskBias = BenchInputs.batch(BenchInputs.config("minilm-l6", 2), batch, seqLen, 7L)
          .maskArray().castTo(DataType.FLOAT).rsubi(1.0).muli(-10000.0); // [B, T] as StudentTransformer makes it
      probs = scores.ulike();
      softmaxScratch = scores.ulike();
      rowSum = Nd4j.create(DataType.FLOAT, batch, HEADS, seqLen);        // [B, nh, T]
      ops.softmaxForward(scores, maskBias, probs);
      dP0 = randn(10, 1.0, batch, HEADS, seqLen, seqLen);               // [B, nh, T, T] d(P)
      dP = dP0.dup();
      restore = bench.endsWith("softmaxForward") ? () -> scores.assign(scores0) : () -> dP.assign(dP0);
    } else if (bench.contains(".layerNorm")) {
      x = randn(11, 1.0, rows, HIDDEN);                                  // [M, H]
      y = x.ulike();
      xhat = x.ulike();
      rstd = Nd4j.create(DataType.FLOAT, rows);                          // [M]
      gain = randn(12, 0.1, HIDDEN).addi(1.0);                           // [H]
      bias = randn(13, 0.1, HIDDEN);                                     // [H]
      lnScratch = LayerNormScratch.allocate(DataType.FLOAT, rows, HIDDEN, rstd);
      ops.layerNormForward(x, gain, bias, LN_EPS, xhat, rstd, y, true, lnScratch);
      dy = randn(14, 1.0, rows, HIDDEN);                                 // [M, H]
      dx = dy.ulike();
      gainGrad = Nd4j.create(DataType.FLOAT, 1, HIDDEN);                 // [1, H] accumulated
      biasGrad = Nd4j.create(DataType.FLOAT, 1, HIDDEN);
    } else {
      throw new IllegalStateException("unknown benchmark " + bench);
    }
  }

  /** Restores the input an in-place op overwrote (not timed). */
  @Setup(Level.Invocation)
  public void restoreInput() { restore.run(); }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (lnScratch != null) lnScratch.close();
  }

  /** cdf, act = Phi(h), h Phi(h) on [B*T, 1536] (train mode: cdf kept). */
  @Benchmark
  public INDArray geluForward() {
    ops.geluForward(h, cdf, act, true);
    return act;
  }

  /** d(h) = d(act) gelu'(h) in place on [B*T, 1536]. */
  @Benchmark
  public INDArray geluBackward() {
    ops.geluBackward(h, cdf, dAct, geluScratch);
    return dAct;
  }

  /** P = softmax(S + mask bias) on [B, 12, T, T]. */
  @Benchmark
  public INDArray softmaxForward() {
    ops.softmaxForward(scores, maskBias, probs);
    return probs;
  }

  /** dS = P (dP - rowsum(dP P)) in place on [B, 12, T, T]. */
  @Benchmark
  public INDArray softmaxBackward() {
    ops.softmaxBackward(probs, dP, softmaxScratch, rowSum);
    return dP;
  }

  /** y, xhat, rstd = LN(x) on [B*T, 384]. */
  @Benchmark
  public INDArray layerNormForward() {
    ops.layerNormForward(x, gain, bias, LN_EPS, xhat, rstd, y, true, lnScratch);
    return y;
  }

  /** dx and the gain/bias gradient column sums on [B*T, 384]. */
  @Benchmark
  public INDArray layerNormBackward() {
    ops.layerNormBackward(dy, xhat, rstd, gain, gainGrad, biasGrad, dx, lnScratch);
    return dx;
  }

  /** FLOAT [shape] ~ N(0, std^2) from a fixed seed. */
  static INDArray randn(long seed, double std, long... shape) {
    long n = 1;
    for (long d : shape) n *= d;
    float[] v = new float[Math.toIntExact(n)];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < v.length; i++) {
      double u = 1.0 - r.nextDouble();
      v[i] = (float) (std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble()));
    }
    return Nd4j.createFromArray(v).reshape('c', shape);
  }
}
