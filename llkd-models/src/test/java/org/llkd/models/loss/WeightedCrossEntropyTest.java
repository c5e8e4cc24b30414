package org.llkd.models.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Golden values from the independent numpy reference (shared/ref/llkd_select_ref.py, fixtures
 * llkd_select_golden.json and _n4.json): per step the logits Z, pseudo-labels yhat, weights, CE_i and
 * loss; dL/dZ is stored for step 5 and follows w_i/max(1,nsel)*(softmax(Z_i) - onehot(yhat_i)) for all steps.
 */
class WeightedCrossEntropyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode fixture(String name) throws IOException {
    try (InputStream in = WeightedCrossEntropyTest.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) throw new IOException("test resource /fixtures/" + name + " missing");
      return JSON.readTree(in);
    }
  }

  static double[][] matrix(JsonNode n) {
    double[][] m = new double[n.size()][];
    for (int i = 0; i < n.size(); i++) m[i] = vector(n.get(i));
    return m;
  }

  static double[] vector(JsonNode n) {
    double[] v = new double[n.size()];
    for (int i = 0; i < n.size(); i++) v[i] = n.get(i).asDouble();
    return v;
  }

  /** The closed form, written independently of the class under test, straight from the fixture's description. */
  static double[][] expectedGrad(double[][] z, int[] y, double[] w, int nSelected) {
    double[][] g = new double[z.length][z[0].length];
    for (int i = 0; i < z.length; i++) {
      double sum = 0;
      for (double v : z[i]) sum += Math.exp(v);
      for (int c = 0; c < z[i].length; c++) {
        g[i][c] = w[i] / Math.max(1, nSelected) * (Math.exp(z[i][c]) / sum - (c == y[i] ? 1 : 0));
      }
    }
    return g;
  }

  @ParameterizedTest
  @ValueSource(strings = {"llkd_select_golden.json", "llkd_select_golden_n4.json"})
  void reproducesGoldenLossCeAndGradientInDoubleAndFloat(String file) throws IOException {
    JsonNode root = fixture(file);
    JsonNode steps = root.get("steps");
    assertEquals(5, steps.size());
    for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      double tol = dt == DataType.DOUBLE ? 1e-9 : 1e-5;
      for (JsonNode step : steps) {
        String where = file + " step " + step.get("step").asInt() + " " + dt;
        double[][] z = matrix(step.get("Z"));
        int[] y = new int[z.length];
        for (int i = 0; i < y.length; i++) y[i] = step.get("yhat").get(i).asInt();
        double[] w = vector(step.get("weights"));
        WeightedCrossEntropy.Result r = WeightedCrossEntropy.compute(
            Nd4j.create(z).castTo(dt), y, Nd4j.createFromArray(w).castTo(dt));
        assertEquals(dt, r.dLogits().dataType(), where);
        assertEquals(dt, r.perSample().dataType(), where);
        assertEquals(step.get("loss").asDouble(), r.loss(), tol, where + " loss");
        double[] ce = vector(step.get("ce"));
        double[] gotCe = r.perSample().toDoubleVector();
        for (int i = 0; i < ce.length; i++) assertEquals(ce[i], gotCe[i], tol, where + " ce[" + i + "]");
        double[][] expected = step.get("step").asInt() == 5
            ? matrix(root.get("step5_grad_dLoss_dZ"))
            : expectedGrad(z, y, w, step.get("n_selected").asInt());
        double[][] got = r.dLogits().toDoubleMatrix();
        for (int i = 0; i < z.length; i++) {
          for (int c = 0; c < z[i].length; c++) {
            assertEquals(expected[i][c], got[i][c], tol, where + " dL/dz[" + i + "][" + c + "]");
          }
        }
      }
    }
  }

  @Test
  void gradientMatchesCentralFiniteDifferencesInDouble() {
    Random rnd = new Random(3);
    int b = 6, c = 4;
    INDArray z = Nd4j.create(DataType.DOUBLE, b, c);
    for (int i = 0; i < b; i++) for (int k = 0; k < c; k++) z.putScalar(i, k, 3 * rnd.nextGaussian());
    int[] y = {0, 3, 2, 2, 1, 0};
    INDArray w = Nd4j.createFromArray(0.5, 0.0, 1.7, 1.0, 0.0, 0.8);
    INDArray analytic = WeightedCrossEntropy.compute(z, y, w).dLogits();
    double eps = 1e-5;
    for (int i = 0; i < b; i++) {
      for (int k = 0; k < c; k++) {
        double orig = z.getDouble(i, k);
        z.putScalar(i, k, orig + eps);
        double lp = WeightedCrossEntropy.compute(z, y, w).loss();
        z.putScalar(i, k, orig - eps);
        double lm = WeightedCrossEntropy.compute(z, y, w).loss();
        z.putScalar(i, k, orig);
        double fd = (lp - lm) / (2 * eps);
        double a = analytic.getDouble(i, k);
        LossGradCheck.assertClose(a, fd, "dL/dz[" + i + "][" + k + "]");
      }
    }
  }

  @Test
  void normalisesByNumberOfPositiveWeightsNotTheirSum() {
    // Two rows, only row 0 selected with weight 2: L = 2 * CE_0 / 1.
    INDArray z = Nd4j.createFromArray(new double[][] {{0, 0}, {1, 0}});
    WeightedCrossEntropy.Result r = WeightedCrossEntropy.compute(z, new int[] {0, 1}, Nd4j.createFromArray(2.0, 0.0));
    assertEquals(2 * Math.log(2), r.loss(), 1e-15);
    assertEquals(Math.log(1 + Math.E), r.perSample().getDouble(1), 1e-15);
    assertEquals(0.0, r.dLogits().getRow(1).norm1Number().doubleValue(), 0.0);
    // Nothing selected: loss 0 and zero gradient, not NaN.
    WeightedCrossEntropy.Result none = WeightedCrossEntropy.compute(z, new int[] {0, 1}, Nd4j.zeros(DataType.DOUBLE, 2));
    assertEquals(0.0, none.loss(), 0.0);
    assertEquals(0.0, none.dLogits().norm1Number().doubleValue(), 0.0);
  }

  @Test
  void stableForHugeLogits() {
    INDArray z = Nd4j.createFromArray(new float[][] {{1e4f, -1e4f, 0f}});
    WeightedCrossEntropy.Result r = WeightedCrossEntropy.compute(z, new int[] {1}, Nd4j.ones(DataType.FLOAT, 1));
    assertEquals(2e4, r.loss(), 1e-2);
    assertTrue(Double.isFinite(r.dLogits().sumNumber().doubleValue()));
  }

  @Test
  void rejectsBadInputsWithClearMessages() {
    INDArray z = Nd4j.zeros(DataType.DOUBLE, 2, 3);
    INDArray w = Nd4j.ones(DataType.DOUBLE, 2);
    String m1 = assertThrows(IllegalArgumentException.class,
        () -> WeightedCrossEntropy.compute(z, new int[] {0, 3}, w)).getMessage();
    assertTrue(m1.contains("labels[1] = 3") && m1.contains("[0, 3)"), m1);
    String m2 = assertThrows(IllegalArgumentException.class,
        () -> WeightedCrossEntropy.compute(z, new int[] {0}, w)).getMessage();
    assertTrue(m2.contains("expected 2 labels"), m2);
    String m3 = assertThrows(IllegalArgumentException.class,
        () -> WeightedCrossEntropy.compute(z, new int[] {0, 1}, Nd4j.ones(DataType.DOUBLE, 3))).getMessage();
    assertTrue(m3.contains("expected shape [2]"), m3);
    String m4 = assertThrows(IllegalArgumentException.class,
        () -> WeightedCrossEntropy.compute(z, new int[] {0, 1}, Nd4j.createFromArray(1.0, -0.5))).getMessage();
    assertTrue(m4.contains("weights[1] = -0.5"), m4);
    String m5 = assertThrows(IllegalArgumentException.class,
        () -> WeightedCrossEntropy.compute(Nd4j.zeros(DataType.DOUBLE, 2, 3, 1), new int[] {0, 1}, w)).getMessage();
    assertTrue(m5.contains("rank 2"), m5);
    INDArray nan = Nd4j.zeros(DataType.DOUBLE, 2, 3);
    nan.putScalar(1, 2, Double.NaN);
    String m6 = assertThrows(IllegalArgumentException.class,
        () -> WeightedCrossEntropy.compute(nan, new int[] {0, 1}, w)).getMessage();
    assertTrue(m6.contains("row 1, class 2"), m6);
  }
}
