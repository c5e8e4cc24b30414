package org.llkd.models.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The FLOAT GELU pass against libnd4j's erf in DOUBLE (an independent implementation): erf within 2e-7 on [-6, 6],
 * and cdf/act of the fused Java pass within float resolution of the composed DOUBLE ND4J ops, also on a view with an
 * offset into a larger buffer (the arena's layout).
 */
class GeluTest {
  @Test
  void erfMatchesLibnd4jInDouble() {
    int n = 120_001;
    INDArray x = Nd4j.linspace(DataType.DOUBLE, -6.0, 6.0, n); // [n]
    INDArray ref = Nd4j.create(DataType.DOUBLE, n);
    Nd4j.exec(new Erf(x, ref));
    double max = 0;
    for (int i = 0; i < n; i++) max = Math.max(max, Math.abs(Gelu.erf(x.getDouble(i)) - ref.getDouble(i)));
    assertTrue(max < 2e-7, "max |erf error| " + max);
    assertEquals(0.0, Gelu.erf(0.0), 0.0);
    assertEquals(-Gelu.erf(0.7), Gelu.erf(-0.7), 0.0);
  }

  @Test
  void floatPassMatchesComposedDoubleOpsIncludingAnOffsetView() {
    long rows = 300, cols = 700; // 210,000 values: several chunks
    INDArray hd = Nd4j.randn(DataType.DOUBLE, new long[] {rows, cols}).muli(3.0); // [M, F], some beyond |4|
    INDArray cdfD = Nd4j.create(DataType.DOUBLE, rows, cols), actD = Nd4j.create(DataType.DOUBLE, rows, cols);
    Gelu.forward(hd, cdfD, actD); // composed ND4J ops (DOUBLE)

    INDArray big = Nd4j.create(DataType.FLOAT, 3 * rows * cols + 5); // h, cdf, act at offsets, like arena prefixes
    INDArray h = big.get(NDArrayIndex.interval(5, 5 + rows * cols)).reshape('c', rows, cols);
    INDArray cdf = big.get(NDArrayIndex.interval(5 + rows * cols, 5 + 2 * rows * cols)).reshape('c', rows, cols);
    INDArray act = big.get(NDArrayIndex.interval(5 + 2 * rows * cols, 5 + 3 * rows * cols)).reshape('c', rows, cols);
    h.assign(hd.castTo(DataType.FLOAT));
    Gelu.forward(h, cdf, act); // fused Java pass (FLOAT)

    double[] hv = h.reshape(-1).toDoubleVector(), c = cdf.reshape(-1).toDoubleVector(), a = act.reshape(-1).toDoubleVector();
    double[] cRef = cdfD.reshape(-1).toDoubleVector(), aRef = actD.reshape(-1).toDoubleVector();
    double hq = hd.reshape(-1).castTo(DataType.FLOAT).castTo(DataType.DOUBLE).sub(hd.reshape(-1)).norm1Number().doubleValue();
    assertTrue(hq > 0, "the FLOAT input must differ from the DOUBLE one by rounding only");
    for (int i = 0; i < c.length; i++) {
      assertEquals(cRef[i], c[i], 3e-7, "cdf at " + i + " h=" + hv[i]);
      assertEquals(aRef[i], a[i], 3e-7 + 2e-7 * Math.abs(aRef[i]) + Math.abs(hv[i] - hd.reshape(-1).getDouble(i)),
          "act at " + i + " h=" + hv[i]);
    }
    assertEquals(0f, big.getFloat(0), 0f); // nothing written before the views
  }
}
