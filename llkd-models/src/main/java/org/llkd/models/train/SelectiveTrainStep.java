package org.llkd.models.train;

import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.loss.SoftLabelDistillation;
import org.llkd.models.loss.WeightedCrossEntropy;
import org.llkd.models.optim.AdamW;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The trainer's whole step on one batch, as the experiments' {@code Trainer} runs it and {@code LlkdStepBench} times
 * it:
 * <ol>
 *   <li>the selector's view: student logits of all B rows, from a no-dropout forward ({@link SelectionForward#SEPARATE})
 *       or the training forward itself ({@link SelectionForward#SHARED}), and each row's cross-entropy against its
 *       pseudo-label;
 *   <li>the {@link Chooser} (a selector, which lives outside models) picks rows, weights and the loss;
 *   <li>{@link StudentTrainStep} trains on the chosen rows only (SEPARATE: their own forward; SHARED: the kept
 *       activations narrowed to them), then AdamW.
 * </ol>
 * A batch with nothing chosen makes no update. Deterministic for a fixed dropout seed on CPU.
 */
public final class SelectiveTrainStep {
  private final StudentTransformer model;
  private final AdamW optimizer;
  private final SelectionForward forward;

  public SelectiveTrainStep(StudentTransformer model, AdamW optimizer, SelectionForward forward) {
    if (forward == null) throw new IllegalArgumentException("forward: expected SEPARATE or SHARED, found null");
    this.model = model;
    this.optimizer = optimizer;
    this.forward = forward;
  }

  /**
   * One batch.
   *
   * @param inputIds [B, T], attentionMask [B, T], tokenTypeIds [B, T] or null
   * @param teacherProbs [B, C] DOUBLE, the teacher's distribution (the soft-label target)
   * @param pseudoLabels [B] the teacher's argmax (the selector's per-row loss is measured against it)
   */
  public record Batch(INDArray inputIds, INDArray attentionMask, INDArray tokenTypeIds, INDArray teacherProbs,
      int[] pseudoLabels) {
    public int size() {
      return pseudoLabels.length;
    }
  }

  /**
   * What the selector decided.
   *
   * @param selected indices into the batch of the chosen rows (empty = no update)
   * @param weights [B] per-row weights, &gt; 0 exactly on the rows trained on
   * @param labels [B] hard targets (pseudo or gold labels); ignored when {@code soft} is set
   * @param soft the soft-label loss (KL to the teacher's distribution), or null for the weighted cross-entropy
   */
  public record Choice(int[] selected, double[] weights, int[] labels, SoftLabelDistillation.Config soft) {}

  /** The selector's side of a step: sees the batch's logits and per-row losses, returns its choice. */
  @FunctionalInterface
  public interface Chooser {
    /**
     * @param logits [B, C] the student's logits the selector reads
     * @param studentLoss [B] DOUBLE, cross-entropy of each row against its pseudo-label
     */
    Choice choose(INDArray logits, INDArray studentLoss);
  }

  /**
   * What the step did.
   *
   * @param selected rows trained on (0 = no update)
   * @param loss the weighted loss of those rows (NaN when none)
   * @param learningRate the learning rate of the update (the current one when none)
   * @param gradNorm global gradient norm before clipping (NaN when no update)
   */
  public record Outcome(int selected, double loss, double learningRate, double gradNorm) {
    public boolean empty() {
      return selected == 0;
    }
  }

  /** Runs one step on {@code b}; {@code dropoutSeed} fixes the training forward's dropout masks. */
  public Outcome run(Batch b, Chooser chooser, long dropoutSeed) {
    int n = b.size();
    StudentTrainStep trainStep = new StudentTrainStep(model, optimizer);
    boolean shared = forward == SelectionForward.SHARED;
    INDArray logits = shared // [B, C]: the training forward itself (dropout, activations kept), or a no-grad one
        ? trainStep.forwardShared(b.inputIds(), b.attentionMask(), b.tokenTypeIds(), dropoutSeed)
        : model.forwardLogits(b.inputIds(), b.attentionMask(), b.tokenTypeIds());
    INDArray studentLoss = WeightedCrossEntropy.compute(logits.castTo(DataType.DOUBLE), b.pseudoLabels(),
        Nd4j.ones(DataType.DOUBLE, n)).perSample(); // [B]
    Choice c = chooser.choose(logits, studentLoss);
    int k = c.selected().length;
    if (k == 0) return new Outcome(0, Double.NaN, optimizer.currentLearningRate(), Double.NaN);
    // backward + AdamW on the selected rows only (those with weight > 0): SHARED narrows the training forward to
    // them; SEPARATE runs their own forward, trimmed to their length
    StudentTrainStep.Result r;
    if (shared) {
      r = c.soft() != null ? trainStep.finishSharedSoft(b.teacherProbs(), c.weights(), c.soft())
          : trainStep.finishShared(c.labels(), c.weights());
    } else {
      r = c.soft() != null
          ? trainStep.stepSoft(b.inputIds(), b.attentionMask(), b.tokenTypeIds(), b.teacherProbs(), c.weights(),
              c.soft(), dropoutSeed)
          : trainStep.step(b.inputIds(), b.attentionMask(), b.tokenTypeIds(), c.labels(), c.weights(), dropoutSeed);
    }
    return new Outcome(k, r.loss(), r.stats().learningRate(), r.stats().gradNorm());
  }
}
