package org.llkd.bench;

import java.util.concurrent.TimeUnit;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.label.PseudoLabel;
import org.llkd.models.loss.WeightedCrossEntropy;
import org.llkd.models.optim.AdamW;
import org.llkd.models.train.StudentTrainStep;
import org.llkd.selection.SampleSelector;
import org.llkd.selection.Selection;
import org.llkd.selection.StepBatch;
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
 * What does data selection save per step? An LLKD step with a forced selected fraction against an
 * all-data step on the same batch.
 *
 * <ul>
 *   <li>{@code selected=all}: the plain train step on all B rows (zero grads, forwardTrain, weighted CE,
 *       backward, AdamW).
 *   <li>{@code selected=0.5 / 0.2}: the trainer's LLKD step shape (llkd-experiments {@code Trainer.step},
 *       re-implemented here from the models and selection APIs): a gradient-free {@code forwardLogits} of all
 *       B rows, per-row CE, {@code StepBatch}, the selector ({@link FixedFractionSelector}, exactly
 *       round(f B) rows), then the train step on the selected rows only ({@code SelectionForward.SEPARATE}).
 *   <li>{@code selected=0.5-shared / 0.2-shared}: {@code SelectionForward.SHARED}: one training forward of all B rows
 *       ({@code StudentTrainStep.forwardShared}), per-row CE and the selector on its logits, then the backward of the
 *       selected rows only on the kept activations ({@code finishShared}, {@code StudentTransformer.keepRows}) and
 *       AdamW.
 * </ul>
 *
 * Bounds in "train step = forward + 2 x forward" units: with the selection forward (this step shape)
 * 3 / (1 + 3f) = 1.88x at f = 0.2; if the selected rows' activations were reused, 3 / (1 + 2f) = 2.14x.
 * Sequences keep the fixed padded length T (no per-sub-batch re-padding), as the reference pads to S.
 * The default batch is 40, so both fractions select a whole number of rows (8 and 20).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 3, jvmArgsAppend = {"-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=10G"})
public class LlkdStepBench {
  @Param({"minilm-l6"}) String model;
  @Param({"128"}) int seqLen;
  @Param({"40"}) int batch;
  @Param({"2"}) int numClasses;
  @Param({"all", "0.5", "0.2", "0.5-shared", "0.2-shared"}) String selected;

  StudentTransformer student;
  AdamW optimizer;
  SampleSelector selector; // null for "all"
  boolean shared;          // the "-shared" variants
  StudentTrainStep trainStep;
  BenchInputs.Batch in;
  INDArray teacher;        // [B, C]
  int[] pseudo;            // [B] teacher argmax
  long[] ids;              // [B]
  INDArray allWeights;     // [B] for the all-data step
  INDArray ones;           // [B] DOUBLE, for the per-row CE
  long step;

  @Setup(Level.Trial)
  public void setUp() {
    StudentConfig cfg = BenchInputs.config(model, numClasses, 0.0);
    student = StudentTransformer.initRandom(cfg, 1234L);
    student.reserve(batch, seqLen);
    optimizer = new AdamW(AdamW.Config.bert(5e-5, 0.01, 10, 1_000_000), student.params());
    in = BenchInputs.batch(cfg, batch, seqLen, 7L);
    double[][] p = BenchInputs.teacherProbs(batch, numClasses, 11L);
    teacher = Nd4j.createFromArray(p); // [B, C] DOUBLE, as the trainer's teacher batch
    pseudo = PseudoLabel.argmax(p);
    ids = BenchInputs.ids(batch);
    allWeights = Nd4j.ones(cfg.dataType(), batch);
    ones = Nd4j.ones(DataType.DOUBLE, batch);
    shared = selected.endsWith("-shared");
    String fraction = shared ? selected.substring(0, selected.length() - "-shared".length()) : selected;
    selector = "all".equals(fraction) ? null : new FixedFractionSelector(Double.parseDouble(fraction));
    trainStep = new StudentTrainStep(student, optimizer);
  }

  /** One step; returns the number of rows trained on plus the loss (both stay live). */
  @Benchmark
  public double step() {
    long dropoutSeed = 1000L + step++;
    if (selector == null) {
      return trainOn(in, pseudo, allWeights, dropoutSeed) + batch;
    }
    INDArray logits = shared // [B, C]
        ? trainStep.forwardShared(in.idsArray(), in.maskArray(), in.typesArray(), dropoutSeed)
        : student.forwardLogits(in.idsArray(), in.maskArray(), in.typesArray());
    INDArray studentLoss = WeightedCrossEntropy.compute(logits.castTo(DataType.DOUBLE), pseudo, ones).perSample(); // [B]
    Selection sel = selector.select(StepBatch.of(ids, teacher, logits).withStudentLoss(studentLoss));
    int[] chosen = sel.selectedIndices();
    double[] w = sel.weights().toDoubleVector();
    if (shared) {
      StudentTrainStep.Result r = trainStep.finishShared(pseudo, w);
      return r.loss() + r.rows();
    }
    int[] subLabels = new int[chosen.length];
    double[] subWeights = new double[chosen.length];
    for (int j = 0; j < chosen.length; j++) {
      subLabels[j] = pseudo[chosen[j]];
      subWeights[j] = w[chosen[j]];
    }
    INDArray weights = Nd4j.createFromArray(subWeights).castTo(logits.dataType()); // [b]
    return trainOn(in.rows(chosen), subLabels, weights, dropoutSeed) + chosen.length;
  }

  private double trainOn(BenchInputs.Batch b, int[] labels, INDArray weights, long dropoutSeed) {
    student.grads().flat().assign(0);
    INDArray z = student.forwardTrain(b.idsArray(), b.maskArray(), b.typesArray(), dropoutSeed); // [b, C]
    WeightedCrossEntropy.Result r = WeightedCrossEntropy.compute(z, labels, weights);
    student.backward(r.dLogits());
    optimizer.step(student.params(), student.grads());
    return r.loss();
  }
}
