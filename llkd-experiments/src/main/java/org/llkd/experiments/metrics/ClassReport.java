package org.llkd.experiments.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.evaluation.classification.ConfusionMatrix;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-class precision, recall, F1 and support and the confusion matrix of one prediction set, from ND4J's
 * {@link Evaluation} (undefined precision/recall/F1 reported as 0, as in {@link ClassificationMetrics}), plus the
 * share of predictions in the most predicted class and the accuracy of a constant majority-class predictor: the
 * inputs of the degenerate-run flags in the result tables.
 *
 * @param labels      class names in class-id order
 * @param precision   per class, [C]
 * @param recall      per class, [C]
 * @param f1          per class, [C]
 * @param support     gold rows per class, [C]
 * @param confusion   {@code confusion[gold][predicted]} counts, [C][C]
 * @param topPredictedShare fraction of rows predicted as the most predicted class
 */
public record ClassReport(List<String> labels, double[] precision, double[] recall, double[] f1, int[] support,
    int[][] confusion, double topPredictedShare) {

  /** The report of {@code probs} [N, C] (argmax, first index on ties) against {@code gold} [N]. */
  public static ClassReport of(int[] gold, INDArray probs, List<String> labelNames) {
    int c = labelNames.size();
    INDArray p = Inputs.checkedProbabilities(gold, probs, c); // [N, C] double
    INDArray oneHot = Nd4j.create(DataType.DOUBLE, gold.length, c); // [N, C]
    for (int i = 0; i < gold.length; i++) oneHot.putScalar(i, gold[i], 1.0);
    Evaluation eval = new Evaluation(labelNames);
    eval.eval(oneHot, p);
    ConfusionMatrix<Integer> cm = eval.getConfusionMatrix();
    double[] prec = new double[c], rec = new double[c], f = new double[c];
    int[] sup = new int[c];
    int[][] conf = new int[c][c];
    int[] predicted = new int[c];
    for (int g = 0; g < c; g++) {
      prec[g] = eval.precision(g, 0.0);
      rec[g] = eval.recall(g, 0.0);
      f[g] = eval.f1(g);
      for (int q = 0; q < c; q++) {
        conf[g][q] = cm.getCount(g, q);
        sup[g] += conf[g][q];
        predicted[q] += conf[g][q];
      }
    }
    int top = 0;
    for (int q = 0; q < c; q++) top = Math.max(top, predicted[q]);
    return new ClassReport(List.copyOf(labelNames), prec, rec, f, sup, conf, gold.length == 0 ? 0 : top / (double) gold.length);
  }

  /** Accuracy on {@code gold} of always predicting {@code majorityClass}. */
  public static double constantAccuracy(int[] gold, int majorityClass) {
    if (gold.length == 0) return Double.NaN;
    int ok = 0;
    for (int g : gold) if (g == majorityClass) ok++;
    return ok / (double) gold.length;
  }

  /** The most frequent class id of {@code labels} (lowest id on ties); -1 for none. */
  public static int majorityClass(int[] labels, int numClasses) {
    int[] counts = new int[numClasses];
    int best = -1;
    for (int y : labels) if (y >= 0 && y < numClasses) counts[y]++;
    for (int k = 0; k < numClasses; k++) if (counts[k] > 0 && (best < 0 || counts[k] > counts[best])) best = k;
    return best;
  }

  /** As a JSON-ready map: per class {precision, recall, f1, support}, the confusion matrix and the top share. */
  public Map<String, Object> toMap() {
    Map<String, Object> perClass = new LinkedHashMap<>();
    for (int k = 0; k < labels.size(); k++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("precision", precision[k]);
      m.put("recall", recall[k]);
      m.put("f1", f1[k]);
      m.put("support", support[k]);
      perClass.put(labels.get(k), m);
    }
    List<List<Integer>> rows = new ArrayList<>();
    for (int[] r : confusion) {
      List<Integer> row = new ArrayList<>();
      for (int v : r) row.add(v);
      rows.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("labels", labels);
    out.put("perClass", perClass);
    out.put("confusion", Map.of("rowsAreGold", true, "counts", rows));
    out.put("topPredictedShare", topPredictedShare);
    return out;
  }
}
