package org.llkd.bench;

import java.util.concurrent.TimeUnit;
import org.llkd.selection.SampleSelector;
import org.llkd.selection.Selection;
import org.llkd.selection.Selectors;
import org.llkd.selection.StepBatch;
import org.llkd.models.loss.WeightedCrossEntropy;
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
 * How long does one selector step take ({@code select} on a ready {@link StepBatch}: EMA updates,
 * thresholds, mask, weights, diagnostics)? Adaptive selectors keep updating their state on the same
 * batch, as they would step after step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xmx1g", "--add-modules=jdk.incubator.vector"})
public class SelectorStepBench {
  @Param({"32", "256"}) int batch;
  @Param({"5", "28"}) int numClasses;
  @Param({"llkd", "random", "freematch"}) String selector;

  SampleSelector s;
  StepBatch b;

  @Setup(Level.Trial)
  public void setUp() {
    s = Selectors.create(selector, Selectors.Params.defaults(numClasses).withSeed(3L));
    double[][] p = BenchInputs.teacherProbs(batch, numClasses, 11L);
    INDArray logits = BenchInputs.logits(batch, numClasses, 12L); // [B, C]
    StepBatch sb = StepBatch.of(BenchInputs.ids(batch), Nd4j.createFromArray(p), logits);
    INDArray loss = WeightedCrossEntropy.compute(logits.castTo(DataType.DOUBLE), sb.pseudoLabels(),
        Nd4j.ones(DataType.DOUBLE, batch)).perSample(); // [B]
    b = sb.withStudentLoss(loss);
  }

  @Benchmark
  public Selection step() {
    return s.select(b);
  }
}
