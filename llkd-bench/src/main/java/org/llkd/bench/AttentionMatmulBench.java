package org.llkd.bench;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Why SelfAttention keeps a K^T copy: the attention scores S = Q K^T [B, nh, T, T] from Q, K [B, nh, T, d] by ND4J's
 * rank-4 {@code Nd4j.matmul}, either with its transpose-B flag ({@code layout=transB}, the earlier code) or as a plain
 * product with a K^T [B, nh, d, T] made by a permute-assign in the same op ({@code layout=copyT}, the current code; the
 * copy is included in the time). Same result; GFLOP/s = 2 B nh T T d / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xmx1g"})
public class AttentionMatmulBench {
  @Param({"32"}) int batch;
  @Param({"12"}) int heads;
  @Param({"128"}) int seqLen;
  @Param({"32"}) int headSize;
  @Param({"transB", "copyT"}) String layout;

  INDArray q, k, kT, scores;

  @Setup(Level.Trial)
  public void setUp() {
    q = Nd4j.rand(DataType.FLOAT, batch, heads, seqLen, headSize);       // [B, nh, T, d]
    k = Nd4j.rand(DataType.FLOAT, batch, heads, seqLen, headSize);       // [B, nh, T, d]
    kT = Nd4j.create(DataType.FLOAT, batch, heads, headSize, seqLen);    // [B, nh, d, T]
    scores = Nd4j.create(DataType.FLOAT, batch, heads, seqLen, seqLen);  // [B, nh, T, T]
  }

  @Benchmark
  public INDArray scores() {
    if ("transB".equals(layout)) return Nd4j.matmul(q, k, scores, false, true, false);
    kT.assign(k.permute(0, 1, 3, 2));
    return Nd4j.matmul(q, kT, scores, false, false, false);
  }
}
