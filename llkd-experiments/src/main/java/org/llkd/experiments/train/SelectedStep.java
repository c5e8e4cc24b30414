package org.llkd.experiments.train;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.llkd.experiments.metrics.SelectionTracker;
import org.llkd.models.loss.SoftLabelDistillation;
import org.llkd.models.train.SelectiveTrainStep;
import org.llkd.selection.Diagnostics;
import org.llkd.selection.LossKind;
import org.llkd.selection.SampleSelector;
import org.llkd.selection.Selection;
import org.llkd.selection.StepBatch;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training step of a run: the batch's rows from {@link TrainingData}, the models' {@link SelectiveTrainStep} with
 * the run's selector as its chooser (the selection is recorded in the run's {@link SelectionTracker}), and what
 * steps.csv logs of it.
 */
final class SelectedStep {
  private SelectedStep() {}

  /**
   * What one step did.
   *
   * @param step the models step's outcome (rows trained on, loss, learning rate, gradient norm)
   * @param batch rows in the batch
   * @param teacherAccBatch teacher accuracy on the batch (meaningful with gold labels only)
   * @param teacherAccSelected teacher accuracy on the selected rows
   * @param diagnostics the selector's diagnostics
   * @param chosenRows train-set rows the step trained on
   */
  record Outcome(SelectiveTrainStep.Outcome step, int batch, double teacherAccBatch, double teacherAccSelected,
      Map<String, Double> diagnostics, int[] chosenRows) {
    /** Selector diagnostics that have their own steps.csv column (tau_t, tau_s, weight_min/mean/max). */
    static final List<String> COLUMN_DIAGNOSTICS = List.of(Diagnostics.TAU_T, Diagnostics.TAU_S,
        Diagnostics.WEIGHT_MIN, Diagnostics.WEIGHT_MEAN, Diagnostics.WEIGHT_MAX);

    double ratio() {
      return step.selected() / (double) batch;
    }

    double diag(String key) {
      Double v = diagnostics.get(key);
      return v == null ? Double.NaN : v;
    }

    /** Every other diagnostic as sorted {@code key=value} pairs joined by ';'. */
    String rest() {
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, Double> e : new TreeMap<>(diagnostics).entrySet()) {
        if (COLUMN_DIAGNOSTICS.contains(e.getKey())) continue;
        if (sb.length() > 0) sb.append(';');
        sb.append(e.getKey()).append('=').append(e.getValue());
      }
      return sb.toString();
    }
  }

  /** Trains on the train rows {@code local} (one batch, in order) with dropout seed {@code dropoutSeed}. */
  static Outcome run(SelectiveTrainStep trainStep, TrainingData data, SampleSelector selector,
      SelectionTracker tracker, int[] local, long dropoutSeed) {
    int b = local.length;
    TokenizedSplit.Batch all = data.trainTokens.batch(local);
    INDArray teacher = data.teacherBatch(local); // [B, C] DOUBLE
    int[] pseudo = new int[b];
    int[] gold = new int[b];
    long[] ids = new long[b];
    for (int i = 0; i < b; i++) {
      pseudo[i] = data.pseudoLabels[local[i]];
      gold[i] = data.goldLabels[local[i]];
      ids[i] = data.rows[local[i]];
    }
    Selection[] sel = new Selection[1];
    SelectionTracker.StepStats[] stats = new SelectionTracker.StepStats[1];
    SelectiveTrainStep.Outcome out = trainStep.run(
        new SelectiveTrainStep.Batch(all.inputIds(), all.attentionMask(), all.tokenTypeIds(), teacher, pseudo),
        (logits, studentLoss) -> {
          StepBatch sb = StepBatch.of(ids, teacher, logits).withStudentLoss(studentLoss);
          if (data.trainHasGold()) sb = sb.withGoldLabels(gold); // rows without gold: the selectors never see gold
          sel[0] = selector.select(sb);
          stats[0] = tracker.record(local, sel[0].mask(), pseudo, gold);
          return choice(sel[0], pseudo, gold);
        }, dropoutSeed);
    int[] chosen = sel[0].selectedIndices();
    int[] chosenRows = new int[out.empty() ? 0 : chosen.length];
    for (int j = 0; j < chosenRows.length; j++) chosenRows[j] = local[chosen[j]];
    return new Outcome(out, b, stats[0].teacherAccuracyBatch(), stats[0].teacherAccuracySelected(),
        sel[0].diagnostics(), chosenRows);
  }

  /** The selector's decision as the models step takes it: rows, weights, and the loss its {@code LossSpec} names. */
  private static SelectiveTrainStep.Choice choice(Selection sel, int[] pseudo, int[] gold) {
    int[] chosen = sel.selectedIndices();
    if (chosen.length == 0) return new SelectiveTrainStep.Choice(chosen, null, null, null);
    double[] w = sel.weights().toDoubleVector();
    boolean soft = sel.loss().kind() == LossKind.SOFT_KL;
    int[] labels = sel.loss().kind() == LossKind.GOLD_CE ? gold : pseudo;
    SoftLabelDistillation.Config softCfg = soft
        ? SoftLabelDistillation.Config.ofProbabilities(sel.loss().temperature()) : null;
    return new SelectiveTrainStep.Choice(chosen, w, labels, softCfg);
  }
}
