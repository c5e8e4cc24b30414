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
 * Machine check, not a model benchmark: how fast is ND4J's BLAS on the encoder's biggest GEMM shape,
 * [M, in] x [in, out] into a preallocated c-order output ({@code Nd4j.gemm})? GFLOP/s = 2 M in out / time.
 * On an unrecognised CPU the bundled OpenBLAS falls back to slow kernels (scripts/cpu-env.sh), which this shows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xmx1g"})
public class GemmBench {
  @Param({"4096"}) int m;
  @Param({"384"}) int in;
  @Param({"1536"}) int out;

  INDArray a, w, c;

  @Setup(Level.Trial)
  public void setUp() {
    a = Nd4j.rand(DataType.FLOAT, m, in);   // [M, in]
    w = Nd4j.rand(DataType.FLOAT, in, out); // [in, out]
    c = Nd4j.create(DataType.FLOAT, m, out); // [M, out]
  }

  @Benchmark
  public INDArray gemm() {
    return Nd4j.gemm(a, w, c, false, false, 1.0, 0.0);
  }
}
