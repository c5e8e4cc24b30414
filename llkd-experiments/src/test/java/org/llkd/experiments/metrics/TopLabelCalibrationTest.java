package org.llkd.experiments.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TopLabelCalibrationTest {
  /*
   * 5 rows, 3 classes, 5 bins of width 0.2:
   *   row  probs               gold  conf  argmax  correct  bin
   *   0    [0.90 0.05 0.05]    0     0.90  0       yes      [0.8, 1]
   *   1    [0.85 0.10 0.05]    1     0.85  0       no       [0.8, 1]
   *   2    [0.10 0.70 0.20]    1     0.70  1       yes      [0.6, 0.8)
   *   3    [0.30 0.50 0.20]    0     0.50  1       no       [0.4, 0.6)
   *   4    [0.20 0.25 0.55]    2     0.55  2       yes      [0.4, 0.6)
   * ECE = sum_b |correct_b - sumConf_b| / N = (|1 - 1.75| + |1 - 0.70| + |1 - 1.05|) / 5 = 1.10 / 5 = 0.22
   */
  static final int[] GOLD = {0, 1, 1, 0, 2};
  static final INDArray PROBS = Nd4j.createFromArray(new double[][] {
      {0.90, 0.05, 0.05}, {0.85, 0.10, 0.05}, {0.10, 0.70, 0.20}, {0.30, 0.50, 0.20}, {0.20, 0.25, 0.55}});

  @Test
  void handWorkedFiveBinExample() {
    TopLabelCalibration c = TopLabelCalibration.of(GOLD, PROBS, 5);
    assertArrayEquals(new long[] {0, 0, 2, 1, 2}, c.count());
    assertArrayEquals(new long[] {0, 0, 1, 1, 1}, c.correct());
    assertArrayEquals(new double[] {0, 0, 1.05, 0.70, 1.75}, c.sumConfidence(), 1e-12);
    assertEquals(0.22, c.ece(), 1e-12);
    assertEquals(0.5, c.accuracy(4), 1e-12);
    assertEquals(0.875, c.meanConfidence(4), 1e-12);
    assertEquals(Double.NaN, c.accuracy(0));
    assertEquals(0.22, ClassificationMetrics.of(GOLD, PROBS, List.of("a", "b", "c"), 5).ece(), 1e-12);
  }

  @Test
  void oneHotPredictionsAreCalibratedWhenRightAndMaximallyOffWhenWrong() {
    INDArray oneHot = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}});
    assertEquals(0.0, TopLabelCalibration.of(new int[] {0, 1}, oneHot, 15).ece(), 1e-12);
    assertEquals(1.0, TopLabelCalibration.of(new int[] {1, 0}, oneHot, 15).ece(), 1e-12);
    assertEquals(0.5, TopLabelCalibration.of(new int[] {0, 0}, oneHot, 15).ece(), 1e-12);
  }

  @Test
  void nd4jBinEdgesAreRoundedMultiplesOfTheWidth() {
    // 7 * 0.1 = 0.7000000000000001 > 0.7, so with 10 bins a confidence of exactly 0.7 lands in [0.6, 0.7);
    // 9 * 0.1 rounds to exactly 0.9, so 0.9 lands in [0.9, 1].
    TopLabelCalibration c = TopLabelCalibration.of(new int[] {0, 0},
        Nd4j.createFromArray(new double[][] {{0.7, 0.3}, {0.9, 0.1}}), 10);
    assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 1, 0, 0, 1}, c.count());
    // A confidence of exactly 1 is in the last bin (closed at 1).
    TopLabelCalibration one = TopLabelCalibration.of(new int[] {0}, Nd4j.createFromArray(new double[][] {{1.0, 0.0}}), 10);
    assertEquals(1, one.count()[9]);
  }
}
