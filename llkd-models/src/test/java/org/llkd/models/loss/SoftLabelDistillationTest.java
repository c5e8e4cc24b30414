package org.llkd.models.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Hand-worked 2x3 case, tau = 2:
 * <pre>
 *   p_T row 0 = [1,4,4]/9  -> p^(1/2) ~ [1,2,2] -> q_T = [0.2, 0.4, 0.4];  z row 0 = [0,0,0]      -> q_S = [1/3,1/3,1/3]
 *   p_T row 1 = [1,1,4]/6  -> p^(1/2) ~ [1,1,2] -> q_T = [0.25,0.25,0.5]; z row 1 = [2 ln2, 0, 0] -> q_S = [0.5,0.25,0.25]
 *   KL_0 = 0.2 ln 0.6 + 0.8 ln 1.2;  KL_1 = 0.25 ln 0.5 + 0.5 ln 2 = 0.25 ln 2
 *   tau^2 scaling: perSample = 4 KL;  unweighted L = (4 KL_0 + 4 KL_1) / 2
 *   dL/dz_i = (1/2) * 4 / 2 * (q_S - q_T) = q_S - q_T
 *   weights [0, 3]: L = 3 * 4 KL_1 / 1 = 3 ln 2;  dL/dz_1 = 3 * 4 / 2 * [0.25, 0, -0.25] = [1.5, 0, -1.5]
 * </pre>
 */
class SoftLabelDistillationTest {
  private static final double LN2 = Math.log(2);
  private static final double KL0 = 0.2 * Math.log(0.6) + 0.8 * Math.log(1.2);
  private static final double KL1 = 0.25 * LN2;

  private static INDArray teacherProbs() {
    return Nd4j.createFromArray(new double[][] {{1 / 9.0, 4 / 9.0, 4 / 9.0}, {1 / 6.0, 1 / 6.0, 4 / 6.0}});
  }

  private static INDArray student() {
    return Nd4j.createFromArray(new double[][] {{0, 0, 0}, {2 * LN2, 0, 0}});
  }

  private static void assertMatrix(double[][] expected, INDArray got, double tol, String what) {
    double[][] g = got.toDoubleMatrix();
    for (int i = 0; i < expected.length; i++) {
      for (int c = 0; c < expected[i].length; c++) assertEquals(expected[i][c], g[i][c], tol, what + "[" + i + "][" + c + "]");
    }
  }

  @Test
  void handWorkedTwoByThreeUnweightedWithHintonScaling() {
    SoftLabelDistillation.Result r = SoftLabelDistillation.compute(student(), teacherProbs(), 2.0);
    assertEquals((4 * KL0 + 4 * KL1) / 2, r.loss(), 1e-14);
    assertEquals(4 * KL0, r.perSample().getDouble(0), 1e-14);
    assertEquals(4 * KL1, r.perSample().getDouble(1), 1e-14);
    assertMatrix(new double[][] {{1 / 3.0 - 0.2, 1 / 3.0 - 0.4, 1 / 3.0 - 0.4}, {0.25, 0, -0.25}}, r.dLogits(), 1e-14, "dL/dz");
  }

  @Test
  void handWorkedWeightedAndUnscaledAndTeacherLogits() {
    INDArray w = Nd4j.createFromArray(0.0, 3.0);
    SoftLabelDistillation.Result r = SoftLabelDistillation.compute(student(), teacherProbs(), w,
        SoftLabelDistillation.Config.ofProbabilities(2.0));
    assertEquals(3 * LN2, r.loss(), 1e-14);
    assertMatrix(new double[][] {{0, 0, 0}, {1.5, 0, -1.5}}, r.dLogits(), 1e-14, "weighted dL/dz");

    SoftLabelDistillation.Result plain = SoftLabelDistillation.compute(student(), teacherProbs(), null,
        new SoftLabelDistillation.Config(2.0, false, false));
    assertEquals((KL0 + KL1) / 2, plain.loss(), 1e-14);
    assertMatrix(new double[][] {{(1 / 3.0 - 0.2) / 4, (1 / 3.0 - 0.4) / 4, (1 / 3.0 - 0.4) / 4}, {0.25 / 4, 0, -0.25 / 4}},
        plain.dLogits(), 1e-14, "unscaled dL/dz");

    // Teacher logits t with softmax(t / 2) = q_T: t = 2 ln [1,2,2] and 2 ln [1,1,2].
    INDArray t = Nd4j.createFromArray(new double[][] {{0, 2 * LN2, 2 * LN2}, {0, 0, 2 * LN2}});
    SoftLabelDistillation.Result fromLogits = SoftLabelDistillation.compute(student(), t, null,
        SoftLabelDistillation.Config.ofLogits(2.0));
    assertEquals((4 * KL0 + 4 * KL1) / 2, fromLogits.loss(), 1e-14);
  }

  @Test
  void floatResultsAndZeroTeacherProbabilities() {
    SoftLabelDistillation.Result r = SoftLabelDistillation.compute(student().castTo(DataType.FLOAT),
        teacherProbs().castTo(DataType.FLOAT), 2.0);
    assertEquals(DataType.FLOAT, r.dLogits().dataType());
    assertEquals((4 * KL0 + 4 * KL1) / 2, r.loss(), 1e-6);
    // A zero teacher probability stays zero after tempering and contributes 0 log 0 = 0.
    INDArray p = Nd4j.createFromArray(new double[][] {{0.0, 1.0}});
    INDArray z = Nd4j.createFromArray(new double[][] {{0.0, 0.0}});
    SoftLabelDistillation.Result one = SoftLabelDistillation.compute(z, p, 3.0);
    assertEquals(9 * Math.log(2), one.loss(), 1e-13);
  }

  @Test
  void gradientMatchesCentralFiniteDifferencesInDouble() {
    Random rnd = new Random(11);
    int b = 5, c = 4;
    INDArray z = Nd4j.create(DataType.DOUBLE, b, c);
    INDArray p = Nd4j.create(DataType.DOUBLE, b, c);
    for (int i = 0; i < b; i++) {
      double sum = 0;
      double[] row = new double[c];
      for (int k = 0; k < c; k++) {
        z.putScalar(i, k, 2 * rnd.nextGaussian());
        row[k] = i == 2 && k == 1 ? 0 : rnd.nextDouble();
        sum += row[k];
      }
      for (int k = 0; k < c; k++) p.putScalar(i, k, row[k] / sum);
    }
    INDArray w = Nd4j.createFromArray(1.0, 0.0, 0.4, 2.0, 0.7);
    for (SoftLabelDistillation.Config cfg : new SoftLabelDistillation.Config[] {
        SoftLabelDistillation.Config.ofProbabilities(2.5), new SoftLabelDistillation.Config(0.7, false, false),
        SoftLabelDistillation.Config.ofLogits(1.5)}) {
      INDArray analytic = SoftLabelDistillation.compute(z, p, w, cfg).dLogits();
      double eps = 1e-5;
      for (int i = 0; i < b; i++) {
        for (int k = 0; k < c; k++) {
          double orig = z.getDouble(i, k);
          z.putScalar(i, k, orig + eps);
          double lp = SoftLabelDistillation.compute(z, p, w, cfg).loss();
          z.putScalar(i, k, orig - eps);
          double lm = SoftLabelDistillation.compute(z, p, w, cfg).loss();
          z.putScalar(i, k, orig);
          LossGradCheck.assertClose(analytic.getDouble(i, k), (lp - lm) / (2 * eps), cfg + " dL/dz[" + i + "][" + k + "]");
        }
      }
    }
  }

  @Test
  void rejectsBadInputs() {
    INDArray notProbs = Nd4j.createFromArray(new double[][] {{2.0, 1.0, 0.5}, {1 / 6.0, 1 / 6.0, 4 / 6.0}});
    String m = assertThrows(IllegalArgumentException.class,
        () -> SoftLabelDistillation.compute(student(), notProbs, 2.0)).getMessage();
    assertTrue(m.contains("row 0 sums to 3.5") && m.contains("ofLogits"), m);
    String m2 = assertThrows(IllegalArgumentException.class,
        () -> SoftLabelDistillation.compute(student(), Nd4j.ones(DataType.DOUBLE, 2, 4), 2.0)).getMessage();
    assertTrue(m2.contains("expected shape [2, 3]"), m2);
    assertThrows(IllegalArgumentException.class, () -> SoftLabelDistillation.Config.ofProbabilities(0.0));
  }
}
