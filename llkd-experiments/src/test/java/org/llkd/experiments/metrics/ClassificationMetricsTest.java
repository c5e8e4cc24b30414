package org.llkd.experiments.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.EvaluationAveraging;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ClassificationMetricsTest {
  static final List<String> ABC = List.of("A", "B", "C");

  /*
   * 8 rows, 3 classes; class C is never predicted.
   *   gold: A A A B B B C C
   *   pred: A A B B A A A B
   * A: TP 2 (rows 0,1), FP 3 (rows 4,5,6), FN 1 (row 2)  -> F1 = 4 / (4 + 3 + 1) = 1/2
   * B: TP 1 (row 3),    FP 2 (rows 2,7),   FN 2 (rows 4,5) -> F1 = 2 / (2 + 2 + 2) = 1/3
   * C: TP 0,            FP 0,              FN 2 (rows 6,7) -> F1 = 0 (precision 0/0)
   * accuracy = 3/8; macro-F1 over all classes = (1/2 + 1/3 + 0) / 3 = 5/18.
   */
  static final int[] GOLD8 = {0, 0, 0, 1, 1, 1, 2, 2};
  static final double[][] PROBS8 = {
      {0.70, 0.20, 0.10}, {0.60, 0.30, 0.10}, {0.30, 0.60, 0.10}, {0.20, 0.70, 0.10},
      {0.50, 0.40, 0.10}, {0.45, 0.35, 0.20}, {0.40, 0.30, 0.30}, {0.30, 0.40, 0.30}};

  @Test
  void eightRowExampleWithANeverPredictedClass() {
    ClassificationMetrics m = ClassificationMetrics.of(GOLD8, Nd4j.createFromArray(PROBS8), ABC);
    assertEquals(3.0 / 8.0, m.accuracy(), 1e-12);
    assertEquals(Map.of("A", 0.5, "B", 1.0 / 3.0, "C", 0.0).keySet(), m.perClassF1().keySet());
    assertEquals(0.5, m.perClassF1().get("A"), 1e-12);
    assertEquals(1.0 / 3.0, m.perClassF1().get("B"), 1e-12);
    assertEquals(0.0, m.perClassF1().get("C"), 1e-12);
    assertEquals(5.0 / 18.0, m.macroF1(), 1e-12);
    assertEquals(List.of("A", "B", "C"), List.copyOf(m.perClassF1().keySet()));
    assertEquals(8, m.n());
  }

  @Test
  void nd4jMacroAveragingLeavesOutTheNeverPredictedClassWhichIsWhyWeAverageOurselves() {
    INDArray oneHot = Nd4j.create(DataType.DOUBLE, 8, 3);
    for (int i = 0; i < 8; i++) {
      oneHot.putScalar(i, GOLD8[i], 1.0);
    }
    Evaluation e = new Evaluation(ABC);
    e.eval(oneHot, Nd4j.createFromArray(PROBS8));
    // ND4J 1.0.0-M2.1: class C has undefined precision, so its macro average is (1/2 + 1/3) / 2 = 5/12.
    assertEquals(5.0 / 12.0, e.f1(EvaluationAveraging.Macro), 1e-12);
    assertEquals(1, e.averageF1NumClassesExcluded());
  }

  @Test
  void twoClassesAverageBothClassesNotOnlyThePositiveOne() {
    // gold 0 0 1 1, pred 0 1 1 1: class 0 F1 = 2/(2+0+1) = 2/3; class 1 F1 = 4/(4+1+0) = 4/5; macro = 11/15.
    int[] gold = {0, 0, 1, 1};
    INDArray p = Nd4j.createFromArray(new double[][] {{0.8, 0.2}, {0.4, 0.6}, {0.3, 0.7}, {0.1, 0.9}});
    ClassificationMetrics m = ClassificationMetrics.of(gold, p, List.of("neg", "pos"));
    assertEquals(11.0 / 15.0, m.macroF1(), 1e-12);
    assertEquals(0.75, m.accuracy(), 1e-12);
  }

  @Test
  void float32ProbabilitiesGiveTheSameMetrics() {
    INDArray p32 = Nd4j.createFromArray(PROBS8).castTo(DataType.FLOAT);
    ClassificationMetrics m = ClassificationMetrics.of(GOLD8, p32, ABC);
    assertEquals(5.0 / 18.0, m.macroF1(), 1e-12);
  }

  @Test
  void rejectsLogitsWrongShapesAndBadGoldLabels() {
    INDArray logits = Nd4j.createFromArray(new double[][] {{2.0, -1.0, 0.5}});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.of(new int[] {0}, logits, ABC));
    assertTrue(e.getMessage().contains("not logits"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.of(new int[] {0, 1}, Nd4j.createFromArray(PROBS8), ABC));
    assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.of(new int[] {0}, Nd4j.createFromArray(new double[][] {{0.5, 0.5}}), ABC));
    assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.of(new int[] {3}, Nd4j.createFromArray(new double[][] {{0.5, 0.3, 0.2}}), ABC));
    assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.of(new int[] {0}, Nd4j.createFromArray(new double[][] {{Double.NaN, 0.5, 0.5}}), ABC));
  }
}
