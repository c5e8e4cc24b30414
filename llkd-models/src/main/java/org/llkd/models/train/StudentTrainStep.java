package org.llkd.models.train;

import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.loss.SoftLabelDistillation;
import org.llkd.models.loss.WeightedCrossEntropy;
import org.llkd.models.optim.AdamW;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One optimisation step of the student on the rows of a batch whose weight is &gt; 0.
 *
 * <p>The selected rows are gathered into a sub-batch and trimmed to their own longest sequence, so the
 * forward and backward cost what the selected rows cost (LLKD's compute saving); the loss is the
 * per-sample weighted cross-entropy (or soft-label KL) normalised by the number of selected rows. A batch
 * with no positive weight does no update. Deterministic for a fixed dropout seed on CPU.
 */
public final class StudentTrainStep {
  private final StudentTransformer model;
  private final AdamW optimizer;
  private INDArray sharedLogits; // [B, C] of the last forwardShared, until its finish

  public StudentTrainStep(StudentTransformer model, AdamW optimizer) {
    this.model = model;
    this.optimizer = optimizer;
  }

  /** What a step did: rows trained on (0 = no update), loss, and the optimiser's step statistics (null if none). */
  public record Result(int rows, double loss, AdamW.StepStats stats) {
    public boolean updated() { return rows > 0; }
  }

  /** Student logits [B, C] for every row, no dropout, no gradient bookkeeping. */
  public INDArray forwardNoGrad(INDArray inputIds, INDArray attentionMask, INDArray tokenTypeIds) {
    return model.forwardLogits(inputIds, attentionMask, tokenTypeIds);
  }

  /**
   * Hard-label step: weighted CE of {@code labels} [B] with {@code weights} [B] on the rows with weight &gt; 0.
   *
   * @param inputIds [B, T], attentionMask [B, T], tokenTypeIds [B, T] or null
   */
  public Result step(INDArray inputIds, INDArray attentionMask, INDArray tokenTypeIds, int[] labels,
      double[] weights, long dropoutSeed) {
    return run(inputIds, attentionMask, tokenTypeIds, labels, null, weights, null, dropoutSeed);
  }

  /** Soft-label step: KL to {@code teacherProbs} [B, C] with temperature, on the rows with weight &gt; 0. */
  public Result stepSoft(INDArray inputIds, INDArray attentionMask, INDArray tokenTypeIds, INDArray teacherProbs,
      double[] weights, SoftLabelDistillation.Config soft, long dropoutSeed) {
    return run(inputIds, attentionMask, tokenTypeIds, null, teacherProbs, weights, soft, dropoutSeed);
  }

  private Result run(INDArray ids, INDArray mask, INDArray types, int[] labels, INDArray teacher, double[] weights,
      SoftLabelDistillation.Config soft, long dropoutSeed) {
    int b = (int) ids.size(0);
    checkLengths(b, labels, weights);
    int[] rows = positive(weights);
    if (rows.length == 0) return new Result(0, Double.NaN, null);
    int t = longestSelected(mask, rows);
    INDArray subIds = gather(ids, rows, t);     // [b, t]
    INDArray subMask = gather(mask, rows, t);   // [b, t]
    INDArray subTypes = types == null ? null : gather(types, rows, t); // [b, t]
    model.zeroGrads();
    INDArray z = model.forwardTrain(subIds, subMask, subTypes, dropoutSeed); // [b, C]
    return update(z, rows, labels, teacher, weights, soft);
  }

  /**
   * The shared-forward step, part 1 ({@link SelectionForward#SHARED}): zeroes the gradients and runs one dropout
   * forward of all B rows, keeping its activations. The returned logits [B, C] are what the selector reads; finish
   * with {@link #finishShared} or {@link #finishSharedSoft}.
   */
  public INDArray forwardShared(INDArray inputIds, INDArray attentionMask, INDArray tokenTypeIds, long dropoutSeed) {
    model.zeroGrads();
    sharedLogits = model.forwardTrain(inputIds, attentionMask, tokenTypeIds, dropoutSeed); // [B, C]
    return sharedLogits;
  }

  /**
   * Part 2, hard labels: narrows the last {@link #forwardShared} to the rows with weight &gt; 0
   * ({@link StudentTransformer#keepRows}), weighted CE on them, backward of those rows only, AdamW. No update when
   * no weight is positive.
   */
  public Result finishShared(int[] labels, double[] weights) {
    return finish(labels, null, weights, null);
  }

  /** Part 2, soft labels: as {@link #finishShared} with the KL to {@code teacherProbs} [B, C]. */
  public Result finishSharedSoft(INDArray teacherProbs, double[] weights, SoftLabelDistillation.Config soft) {
    return finish(null, teacherProbs, weights, soft);
  }

  private Result finish(int[] labels, INDArray teacher, double[] weights, SoftLabelDistillation.Config soft) {
    if (sharedLogits == null) throw new IllegalStateException("finishShared needs a preceding forwardShared");
    INDArray all = sharedLogits; // [B, C]
    sharedLogits = null;
    checkLengths((int) all.size(0), labels, weights);
    int[] rows = positive(weights);
    if (rows.length == 0) return new Result(0, Double.NaN, null);
    model.keepRows(rows);
    INDArray z = rows.length == all.size(0) ? all : Nd4j.pullRows(all, 1, rows); // [b, C]
    return update(z, rows, labels, teacher, weights, soft);
  }

  /** Loss of the selected logits z [b, C] (rows of the batch {@code rows}), backward, AdamW. */
  private Result update(INDArray z, int[] rows, int[] labels, INDArray teacher, double[] weights,
      SoftLabelDistillation.Config soft) {
    double[] w = new double[rows.length];
    for (int j = 0; j < rows.length; j++) w[j] = weights[rows[j]];
    INDArray wArr = Nd4j.createFromArray(w).castTo(z.dataType()); // [b]
    double loss;
    INDArray dz;
    if (soft != null) {
      INDArray subTeacher = Nd4j.pullRows(teacher, 1, rows).castTo(z.dataType()); // [b, C]
      SoftLabelDistillation.Result r = SoftLabelDistillation.compute(z, subTeacher, wArr, soft);
      loss = r.loss();
      dz = r.dLogits();
    } else {
      int[] y = new int[rows.length];
      for (int j = 0; j < rows.length; j++) y[j] = labels[rows[j]];
      WeightedCrossEntropy.Result r = WeightedCrossEntropy.compute(z, y, wArr);
      loss = r.loss();
      dz = r.dLogits();
    }
    model.backward(dz);
    AdamW.StepStats stats = optimizer.lazyTensor() == null ? optimizer.step(model.params(), model.grads())
        : optimizer.step(model.params(), model.grads(), model.touchedWordRows());
    return new Result(rows.length, loss, stats);
  }

  private static void checkLengths(int b, int[] labels, double[] weights) {
    if (weights.length != b) {
      throw new IllegalArgumentException("weights has " + weights.length + " entries, batch has " + b + " rows");
    }
    if (labels != null && labels.length != b) {
      throw new IllegalArgumentException("labels has " + labels.length + " entries, batch has " + b + " rows");
    }
  }

  /** Indices of the rows with weight &gt; 0 (weights must be finite and non-negative). */
  static int[] positive(double[] weights) {
    int n = 0;
    for (int i = 0; i < weights.length; i++) {
      double w = weights[i];
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("weights[" + i + "] = " + w + ", expected finite and >= 0");
      }
      if (w > 0) n++;
    }
    int[] rows = new int[n];
    for (int i = 0, k = 0; i < weights.length; i++) if (weights[i] > 0) rows[k++] = i;
    return rows;
  }

  /** The longest real (mask = 1) length among {@code rows}, at least 1. */
  static int longestSelected(INDArray mask, int[] rows) {
    double[][] m = mask.toDoubleMatrix();
    int t = 1;
    for (int r : rows) {
      int len = 0;
      for (int j = 0; j < m[r].length; j++) if (m[r][j] != 0) len = j + 1;
      t = Math.max(t, len);
    }
    return t;
  }

  /** Rows {@code rows} of a [B, T] array, first {@code t} columns, as a fresh c-order [b, t] array. */
  static INDArray gather(INDArray a, int[] rows, int t) {
    INDArray picked = Nd4j.pullRows(a, 1, rows); // [b, T]
    if (t == a.size(1)) return picked;
    return picked.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t)).dup('c'); // [b, t]
  }
}
