package org.llkd.bench;

import java.util.concurrent.TimeUnit;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.label.PseudoLabel;
import org.llkd.models.loss.WeightedCrossEntropy;
import org.llkd.models.optim.AdamW;
import org.llkd.models.train.SelectionForward;
import org.llkd.models.train.SelectiveTrainStep;
import org.llkd.selection.SampleSelector;
import org.llkd.selection.Selection;
import org.llkd.selection.StepBatch;
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
 *   <li>{@code selected=0.5 / 0.2}: the trainer's own step, {@link SelectiveTrainStep} (what llkd-experiments'
 *       {@code Trainer} runs every step) with {@code SelectionForward.SEPARATE}: a gradient-free
 *       {@code forwardLogits} of all B rows, per-row CE, {@code StepBatch}, the selector
 *       ({@link FixedFractionSelector}, exactly round(f B) rows), then the train step on the selected rows only,
 *       trimmed to their longest sequence.
 *   <li>{@code selected=0.5-shared / 0.2-shared}: the same step with {@code SelectionForward.SHARED}: one training
 *       forward of all B rows ({@code StudentTrainStep.forwardShared}), per-row CE and the selector on its logits,
 *       then the backward of the selected rows only on the kept activations ({@code finishShared},
 *       {@code StudentTransformer.keepRows}) and AdamW.
 * </ul>
 * Only the adapter from the selector's {@code Selection} to the step's {@code Choice} (rows, weights, pseudo-labels)
 * is written here; the trainer's adapter also maps soft and gold-label losses, which a fixed-fraction selector never
 * asks for.
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
@Fork(value = 3, jvmArgsAppend = {"-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=10G", "--add-modules=jdk.incubator.vector"})
public class LlkdStepBench {
  @Param({"minilm-l6"}) String model;
  @Param({"128"}) int seqLen;
  @Param({"40"}) int batch;
  @Param({"2"}) int numClasses;
  @Param({"all", "0.5", "0.2", "0.5-shared", "0.2-shared"}) String selected;

  StudentTransformer student;
  AdamW optimizer;
  SampleSelector selector; // null for "all"
  SelectiveTrainStep trainStep; // the trainer's step, SEPARATE or SHARED ("-shared" variants)
  BenchInputs.Batch in;
  INDArray teacher;        // [B, C]
  int[] pseudo;            // [B] teacher argmax
  long[] ids;              // [B]
  INDArray allWeights;     // [B] for the all-data step
  SelectiveTrainStep.Batch stepBatch;
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
    boolean shared = selected.endsWith("-shared");
    String fraction = shared ? selected.substring(0, selected.length() - "-shared".length()) : selected;
    selector = "all".equals(fraction) ? null : new FixedFractionSelector(Double.parseDouble(fraction));
    trainStep = new SelectiveTrainStep(student, optimizer,
        shared ? SelectionForward.SHARED : SelectionForward.SEPARATE);
    stepBatch = new SelectiveTrainStep.Batch(in.idsArray(), in.maskArray(), in.typesArray(), teacher, pseudo);
  }

  /** One step; returns the number of rows trained on plus the loss (both stay live). */
  @Benchmark
  public double step() {
    long dropoutSeed = 1000L + step++;
    if (selector == null) {
      return trainOn(in, pseudo, allWeights, dropoutSeed) + batch;
    }
    SelectiveTrainStep.Outcome o = trainStep.run(stepBatch, (logits, studentLoss) -> {
      Selection sel = selector.select(StepBatch.of(ids, teacher, logits).withStudentLoss(studentLoss));
      return new SelectiveTrainStep.Choice(sel.selectedIndices(), sel.weights().toDoubleVector(), pseudo, null);
    }, dropoutSeed);
    return o.loss() + o.selected();
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
