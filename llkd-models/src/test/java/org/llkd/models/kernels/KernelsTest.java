package org.llkd.models.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fused Vector API kernels against the composed ND4J ops ({@link Nd4jOps}, whose DOUBLE form the encoder's
 * finite-difference gradient checks cover) and against double-precision maths, on random FLOAT data of the
 * student's shapes and on edge rows; the switch; thread-count independence.
 *
 * <p>Tolerances. A FLOAT value near 1 has a resolution (half an ulp) of 6e-8. The kernels' erf is within 2e-7 of the
 * true erf (checked below), libnd4j's FLOAT erf is another implementation with its own error of the same order, and
 * the exp polynomial is within 2 ulp (checked below); a row sum of T = 128 float terms carries a relative rounding
 * error of about sqrt(T) * 6e-8 = 7e-7 in either implementation (different summation orders). So element-wise GELU
 * values are compared at 3e-7 with double maths and 1e-6 with the ND4J ops (cdf, in [0, 1]; scaled by 1 + |h| for
 * act and d(h)), softmax probabilities at 1e-6 absolute, LayerNorm outputs at 5e-7 (1 + |y|) with double maths and
 * 1e-5 (1 + |y|) with the ND4J ops (whose one-sweep-per-op float LayerNorm is itself off by up to 6.4e-6 on a row of
 * mean 1e4), the gain/bias column sums, sums of M terms, at 1e-6 (double) and 1e-5 (ND4J) of the sum of the terms'
 * magnitudes. A wrong formula (a missing factor 1/2, sqrt(2) or a sign) is off by > 1e-2.
 */
class KernelsTest {
  static final FusedOps ND4J = Nd4jOps.INSTANCE;

  @AfterEach
  void clearSwitch() {
    System.clearProperty(Kernels.PROPERTY);
    System.clearProperty(Kernels.OPS_PROPERTY);
  }

  // ---- maths -------------------------------------------------------------------------------------------------

  /** erf in double to ~1e-13: Taylor series for |x| < 3, the continued fraction of erfc beyond. */
  static double erfExact(double x) {
    double a = Math.abs(x);
    double r;
    if (a < 3) {
      double term = a, sum = a, x2 = a * a;
      for (int n = 1; n < 200 && Math.abs(term) > 1e-18; n++) {
        term *= -x2 / n;
        sum += term / (2 * n + 1);
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      double f = a; // erfc(a) = exp(-a^2) / sqrt(pi) / (a + (1/2) / (a + 1 / (a + (3/2) / (a + 2 / (a + ...)))))
      for (int k = 60; k >= 1; k--) f = a + (k / 2.0) / f;
      r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
    }
    return x < 0 ? -r : r;
  }

  @Test
  void referenceErfHasTextbookValues() {
    assertEquals(0.5204998778130465, erfExact(0.5), 1e-14);
    assertEquals(0.8427007929497149, erfExact(1.0), 1e-14);
    assertEquals(0.9953222650189527, erfExact(2.0), 1e-14);
    assertEquals(0.9999779095030014, erfExact(3.0), 1e-14);
    assertEquals(0.9999999845827421, erfExact(4.0), 1e-14);
    assertEquals(-0.8427007929497149, erfExact(-1.0), 1e-14);
  }

  @Test
  void floatErfIsWithin2e7OfDoubleErfAndVectorLanesEqualTheScalarTwin() {
    int n = 240_001;
    double max = 0;
    for (int i = 0; i < n; i++) {
      float x = (float) (-6.0 + 12.0 * i / (n - 1));
      max = Math.max(max, Math.abs(VectorOps.erf(x) - erfExact(x)));
    }
    assertTrue(max <= 2e-7, "max |erf error| " + max);
    assertEquals(0f, VectorOps.erf(0f), 0f);
    assertEquals(-VectorOps.erf(0.7f), VectorOps.erf(-0.7f), 0f);
    assertEquals(1f, VectorOps.erf(Float.POSITIVE_INFINITY), 0f);
    assertEquals(-1f, VectorOps.erf(-9.5f), 0f);
    assertTrue(Float.isNaN(VectorOps.erf(Float.NaN)));

    float[] xs = randomFloats(4096, 11, 4f);
    xs[3] = 1f; // the split between the two pieces
    xs[4] = Math.nextDown(1f);
    xs[5] = -0f;
    float[] lanes = new float[xs.length];
    for (int i = 0; i < xs.length; i += VectorOps.SPECIES.length()) {
      VectorOps.erf(FloatVector.fromArray(VectorOps.SPECIES, xs, i)).intoArray(lanes, i);
    }
    for (int i = 0; i < xs.length; i++) assertEquals(VectorOps.erf(xs[i]), lanes[i], 0f, "erf lane at x=" + xs[i]);
  }

  @Test
  void floatExpIsWithin2UlpOfMathExpUnderflowsToExactZeroAndVectorLanesEqualTheScalarTwin() {
    double maxRel = 0;
    for (int i = 0; i <= 200_000; i++) {
      float x = (float) (-87.0 * i / 200_000);
      double ref = Math.exp(x);
      maxRel = Math.max(maxRel, Math.abs(VectorOps.exp(x) - ref) / ref);
    }
    assertTrue(maxRel <= 2.4e-7, "max relative exp error " + maxRel);
    assertEquals(1f, VectorOps.exp(0f), 0f);
    assertEquals(0f, VectorOps.exp(-88f), 0f);
    assertEquals(0f, VectorOps.exp(-10000f), 0f);
    assertEquals(0f, VectorOps.exp(Float.NEGATIVE_INFINITY), 0f);
    assertTrue(Float.isNaN(VectorOps.exp(Float.NaN)));

    float[] xs = randomFloats(4096, 12, 40f);
    for (int i = 0; i < xs.length; i++) xs[i] = -Math.abs(xs[i]) * (i % 7 == 0 ? 10 : 1); // [-400, 0]
    xs[5] = Float.NEGATIVE_INFINITY;
    float[] lanes = new float[xs.length];
    for (int i = 0; i < xs.length; i += VectorOps.SPECIES.length()) {
      VectorOps.exp(FloatVector.fromArray(VectorOps.SPECIES, xs, i)).intoArray(lanes, i);
    }
    for (int i = 0; i < xs.length; i++) assertEquals(VectorOps.exp(xs[i]), lanes[i], 0f, "exp lane at x=" + xs[i]);
  }

  /**
   * The kernels' row sums rely on reduceLanes(ADD) adding the lanes in lane order both when C2 has compiled it and in
   * the library's fallback (VectorOps, "Determinism"): checked here after enough calls for C2 to compile it.
   */
  @Test
  void compiledLaneSumEqualsTheSequentialSum() {
    float[] a = randomFloats(VectorOps.SPECIES.length() * 4096, 81, 1f);
    Random rnd = new Random(82);
    for (int i = 0; i < a.length; i++) a[i] *= (float) Math.pow(10, rnd.nextInt(9) - 4); // magnitudes 1e-4..1e4
    int lanes = VectorOps.SPECIES.length(), mismatches = 0;
    for (int rep = 0; rep < 300; rep++) {
      for (int off = 0; off < a.length; off += lanes) {
        float v = FloatVector.fromArray(VectorOps.SPECIES, a, off).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        if (rep < 299) continue;
        float seq = 0f;
        for (int k = 0; k < lanes; k++) seq += a[off + k];
        if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(seq)) mismatches++;
      }
    }
    assertEquals(0, mismatches, "lane sums that differ from the sequential order");
  }

  // ---- GELU --------------------------------------------------------------------------------------------------

  @Test
  void geluForwardAndBackwardMatchTheNd4jOpsAndDoubleMaths() {
    // [M, F] with M F not a multiple of the vector length (a scalar tail), on views at an offset into one buffer
    for (int[] shape : new int[][] {{64, 1536}, {7, 101}}) {
      int m = shape[0], f = shape[1];
      Buffers b = new Buffers(DataType.FLOAT, 5, (long) m * f, 5, m, f);
      INDArray h = b.next(), cdf = b.next(), act = b.next(), dAct = b.next(), scratch = b.next();
      h.assign(randn(m, f, 21, 3.0));                       // [M, F] N(0, 9): values beyond the erf clamp too
      h.putScalar(0, 0, 0f);
      h.putScalar(0, 1, 40f);
      h.putScalar(0, 2, -40f);
      INDArray up = randn(m, f, 22, 1.0);                   // [M, F] d(act)
      INDArray cdfN = Nd4j.create(DataType.FLOAT, m, f), actN = Nd4j.create(DataType.FLOAT, m, f);
      ND4J.geluForward(h, cdfN, actN, true);
      Kernels.vector().geluForward(h, cdf, act, true);

      double[] hv = flat(h), c = flat(cdf), a = flat(act), cn = flat(cdfN), an = flat(actN);
      for (int i = 0; i < hv.length; i++) {
        double phi = 0.5 * (1 + erfExact(hv[i] / Math.sqrt(2)));
        assertEquals(phi, c[i], 3e-7, "cdf vs double maths at h=" + hv[i]);
        assertEquals(hv[i] * phi, a[i], 3e-7 * (1 + Math.abs(hv[i])), "act vs double maths at h=" + hv[i]);
        assertEquals(cn[i], c[i], 1e-6, "cdf vs ND4J at h=" + hv[i]);
        assertEquals(an[i], a[i], 1e-6 * (1 + Math.abs(hv[i])), "act vs ND4J at h=" + hv[i]);
      }

      INDArray dN = up.dup();
      ND4J.geluBackward(h, cdfN, dN, Nd4j.create(DataType.FLOAT, m, f));
      dAct.assign(up);
      Kernels.vector().geluBackward(h, cdf, dAct, scratch);
      double[] d = flat(dAct), dn = flat(dN), u = flat(up);
      for (int i = 0; i < hv.length; i++) {
        double x = hv[i];
        double grad = 0.5 * (1 + erfExact(x / Math.sqrt(2))) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
        double tol = 1e-6 * (1 + Math.abs(u[i]) * (1 + Math.abs(x)));
        assertEquals(u[i] * grad, d[i], tol, "d(h) vs double maths at h=" + x);
        assertEquals(dn[i], d[i], tol, "d(h) vs ND4J at h=" + x);
      }
      assertEquals(0f, b.whole.getFloat(0), 0f, "nothing written before the views");
      assertEquals(0f, b.whole.getFloat(b.whole.length() - 1), 0f, "nothing written after the views");
    }
  }

  @Test
  void geluForwardWithoutKeepLeavesCdfAlone() {
    INDArray h = randn(3, 50, 1, 1.0), cdf = Nd4j.valueArrayOf(new long[] {3, 50}, 7f), act = Nd4j.create(DataType.FLOAT, 3, 50);
    Kernels.vector().geluForward(h, cdf, act, false);
    assertEquals(7.0 * 150, cdf.sumNumber().doubleValue(), 0.0);
    INDArray cdfN = Nd4j.create(DataType.FLOAT, 3, 50), actN = Nd4j.create(DataType.FLOAT, 3, 50);
    ND4J.geluForward(h, cdfN, actN, true);
    assertArrayEquals(flat(actN), flat(act), 1e-6 * 5);
  }

  // ---- softmax -----------------------------------------------------------------------------------------------

  /** Scores [B, nh, T, T] ~ N(0, 3^2) with edge rows, the mask bias of rows of random length, as the model has it. */
  static INDArray[] softmaxInputs(int batch, int heads, int t, long seed) {
    INDArray scores = randn(batch * heads * t, t, seed, 3.0).reshape('c', batch, heads, t, t); // [B, nh, T, T]
    Random rnd = new Random(seed + 1);
    INDArray maskBias = Nd4j.create(DataType.FLOAT, batch, t); // [B, T] (1 - mask) * -10000
    for (int b = 0; b < batch; b++) {
      int len = b == 0 ? t : 1 + rnd.nextInt(t);
      for (int j = len; j < t; j++) maskBias.putScalar(b, j, -10000f);
    }
    // edge rows (batch 0 has no mask): all equal; huge values; tiny values; one -inf; one dominant
    for (int j = 0; j < t; j++) {
      scores.putScalar(new long[] {0, 0, 0, j}, 2.5f);
      scores.putScalar(new long[] {0, 0, 1, j}, 3e4f + j);
      scores.putScalar(new long[] {0, 0, 2, j}, 1e-30f * j);
      scores.putScalar(new long[] {0, 0, 3, j}, j == 1 ? Float.NEGATIVE_INFINITY : 0.1f * j);
      scores.putScalar(new long[] {0, 0, 4, j}, j == 2 ? 200f : -200f);
    }
    return new INDArray[] {scores, maskBias};
  }

  @Test
  void softmaxForwardMatchesTheNd4jOpsOnModelShapesAndEdgeRows() {
    for (int[] s : new int[][] {{4, 12, 128}, {3, 2, 37}}) { // real head count and T; a T with a scalar tail
      int batch = s[0], heads = s[1], t = s[2];
      INDArray[] in = softmaxInputs(batch, heads, t, 31);
      INDArray scores = in[0], maskBias = in[1];
      INDArray probsN = Nd4j.create(DataType.FLOAT, batch, heads, t, t), probs = probsN.ulike();
      INDArray kept = scores.dup();
      Kernels.vector().softmaxForward(scores, maskBias, probs);
      assertArrayEquals(flat(kept), flat(scores), 0.0, "the fused kernel leaves the scores alone");
      ND4J.softmaxForward(scores.dup(), maskBias, probsN);

      double[] p = flat(probs), pn = flat(probsN);
      for (int i = 0; i < p.length; i++) assertEquals(pn[i], p[i], 1e-6, "prob at " + i);
      double[] m = flat(maskBias);
      for (int r = 0; r < p.length / t; r++) {
        int b = r / (heads * t);
        double sum = 0;
        for (int j = 0; j < t; j++) {
          sum += p[r * t + j];
          if (m[b * t + j] != 0) assertEquals(0.0, p[r * t + j], 0.0, "masked key " + j + " of row " + r);
        }
        assertEquals(1.0, sum, 2e-6, "row " + r + " sums to 1");
      }
      for (int j = 0; j < t; j++) assertEquals(1.0 / t, p[j], 1e-7, "all-equal row is uniform");
      assertEquals(0.0, p[3 * t + 1], 0.0, "exp(-inf) is 0");
      assertEquals(1.0, p[4 * t + 2], 0.0, "a logit 400 above the rest takes all the mass");
      for (int j = 0; j < t; j++) assertEquals(pn[t + j], p[t + j], 1e-6, "large scores: shifted by the max");
    }
  }

  @Test
  void softmaxBackwardMatchesTheNd4jOps() {
    for (int[] s : new int[][] {{4, 12, 128}, {3, 2, 37}}) {
      int batch = s[0], heads = s[1], t = s[2];
      INDArray[] in = softmaxInputs(batch, heads, t, 41);
      INDArray probs = Nd4j.create(DataType.FLOAT, batch, heads, t, t);
      ND4J.softmaxForward(in[0], in[1], probs);
      INDArray dP = randn(batch * heads * t, t, 42, 1.0).reshape('c', batch, heads, t, t); // [B, nh, T, T]
      INDArray dN = dP.dup(), dV = dP.dup();
      ND4J.softmaxBackward(probs, dN, probs.ulike(), Nd4j.create(DataType.FLOAT, batch, heads, t));
      Kernels.vector().softmaxBackward(probs, dV, null, null);
      double[] d = flat(dV), dn = flat(dN), p = flat(probs), g = flat(dP);
      for (int r = 0; r < d.length / t; r++) {
        double dot = 0;
        for (int j = 0; j < t; j++) dot += g[r * t + j] * p[r * t + j];
        for (int j = 0; j < t; j++) {
          int i = r * t + j;
          double exact = p[i] * (g[i] - dot);
          assertEquals(exact, d[i], 1e-6 * (1 + Math.abs(g[i])), "dS vs double maths at " + i);
          assertEquals(dn[i], d[i], 1e-6 * (1 + Math.abs(g[i])), "dS vs ND4J at " + i);
        }
      }
    }
  }

  // ---- LayerNorm ---------------------------------------------------------------------------------------------

  /**
   * LayerNorm in double from the same FLOAT inputs: {xhat [M*H], rstd [M], y [M*H], dx [M*H], dg [H], db [H]}
   * (dg, db without the accumulated start values).
   */
  static double[][] layerNormExact(double[] x, double[] g, double[] b, double eps, double[] dy, int m, int hidden) {
    double[] xhat = new double[m * hidden], rstd = new double[m], y = new double[m * hidden], dx = new double[m * hidden];
    double[] dg = new double[hidden], db = new double[hidden];
    for (int i = 0; i < m; i++) {
      double mean = 0, var = 0, m1 = 0, m2 = 0;
      for (int j = 0; j < hidden; j++) mean += x[i * hidden + j] / hidden;
      for (int j = 0; j < hidden; j++) var += (x[i * hidden + j] - mean) * (x[i * hidden + j] - mean) / hidden;
      rstd[i] = 1 / Math.sqrt(var + eps);
      for (int j = 0; j < hidden; j++) {
        int k = i * hidden + j;
        xhat[k] = (x[k] - mean) * rstd[i];
        y[k] = g[j] * xhat[k] + b[j];
        m1 += dy[k] * g[j] / hidden;
        m2 += dy[k] * g[j] * xhat[k] / hidden;
        dg[j] += dy[k] * xhat[k];
        db[j] += dy[k];
      }
      for (int j = 0; j < hidden; j++) {
        int k = i * hidden + j;
        dx[k] = rstd[i] * (dy[k] * g[j] - m1 - xhat[k] * m2);
      }
    }
    return new double[][] {xhat, rstd, y, dx, dg, db};
  }

  /** The LayerNorm backward in double from given caches xhat [M*H], rstd [M]: {dx [M*H], dg [H], db [H]}. */
  static double[][] layerNormBackwardExact(double[] xhat, double[] rstd, double[] g, double[] dy, int m, int hidden) {
    double[] dx = new double[m * hidden], dg = new double[hidden], db = new double[hidden];
    for (int i = 0; i < m; i++) {
      double m1 = 0, m2 = 0;
      for (int j = 0; j < hidden; j++) {
        int k = i * hidden + j;
        m1 += dy[k] * g[j] / hidden;
        m2 += dy[k] * g[j] * xhat[k] / hidden;
        dg[j] += dy[k] * xhat[k];
        db[j] += dy[k];
      }
      for (int j = 0; j < hidden; j++) {
        int k = i * hidden + j;
        dx[k] = rstd[i] * (dy[k] * g[j] - m1 - xhat[k] * m2);
      }
    }
    return new double[][] {dx, dg, db};
  }

  /**
   * Forward and backward against LayerNorm in double and against the ND4J ops. Rows: random; all equal (exact mean,
   * xhat 0, rstd = 1/sqrt(eps) = 1e6); mean 1e4 with a spread of 2 (any float LayerNorm is off there by the rounding
   * of the mean to float, up to ulp(1e4)/2 * rstd = 2.4e-4 in xhat; at H = 384 the mean happens to be exact and
   * ND4J's float LayerNorm is off by 6.4e-6, the two-sweep kernel by 1.6e-7); variance below eps. dx is compared at a scale of rstd max|dxhat| of its row
   * (the row's rounding of mean(dxhat) is multiplied by rstd, 1e6 in the rows whose variance is below eps).
   */
  @Test
  void layerNormForwardAndBackwardMatchDoubleMathsAndTheNd4jOps() {
    double eps = 1e-12; // the student's (BERT's) epsilon
    for (int[] s : new int[][] {{96, 384}, {5, 45}}) {
      int m = s[0], hidden = s[1];
      INDArray x = randn(m, hidden, 51, 2.0).addi(0.5);            // [M, H]
      for (int j = 0; j < hidden; j++) {
        x.putScalar(0, j, 3f);                                     // all equal (exact mean): xhat 0
        x.putScalar(1, j, 1e4f + (j % 7) - 3f);                    // large mean, small spread
        x.putScalar(2, j, 1e-20f * ((j % 5) - 2));                 // variance below eps
      }
      INDArray gain = randn(1, hidden, 52, 0.3).addi(1).reshape(hidden), bias = randn(1, hidden, 53, 0.2).reshape(hidden);
      INDArray dy = randn(m, hidden, 54, 1.0);                     // [M, H]
      double[][] exact = layerNormExact(flat(x), flat(gain), flat(bias), eps, flat(dy), m, hidden);

      Buffers bn = new Buffers(DataType.FLOAT, 3, (long) m * hidden, 0, m, hidden);
      INDArray xhatN = bn.next(), yN = bn.next(), rstdN = Nd4j.create(DataType.FLOAT, m);
      LayerNormScratch sN = LayerNormScratch.allocate(DataType.FLOAT, m, hidden, rstdN);
      ND4J.layerNormForward(x, gain, bias, eps, xhatN, rstdN, yN, true, sN);

      Buffers bv = new Buffers(DataType.FLOAT, 3, (long) m * hidden, 3, m, hidden);
      INDArray xhat = bv.next(), y = bv.next(), rstd = Nd4j.create(DataType.FLOAT, m);
      y.assign(x);
      Kernels.vector().layerNormForward(y, gain, bias, eps, xhat, rstd, y, true, null); // y aliases x
      double[] xh = flat(xhat), yv = flat(y), r = flat(rstd), xhn = flat(xhatN), yn = flat(yN), rn = flat(rstdN);
      double[] xv = flat(x);
      for (int k = 0; k < xh.length; k++) {
        // a float mean is off by up to half its ulp: on the row of mean 1e4 that is 4.9e-4 before scaling by rstd
        double meanUlp = Math.ulp((float) (xv[k] - exact[0][k] / exact[1][k / hidden])) * exact[1][k / hidden];
        double gk = Math.abs(gain.getDouble(k % hidden));
        assertEquals(exact[0][k], xh[k], 5e-7 * (1 + Math.abs(exact[0][k])) + meanUlp, "xhat vs double at " + k);
        assertEquals(exact[2][k], yv[k], 5e-7 * (1 + Math.abs(exact[2][k])) + gk * meanUlp, "y vs double at " + k);
        assertEquals(yn[k], yv[k], 1e-5 * (1 + Math.abs(yn[k])) + 2 * gk * meanUlp, "y vs ND4J at " + k);
        assertEquals(xhn[k], xh[k], 1e-5 * (1 + Math.abs(xhn[k])) + 2 * meanUlp, "xhat vs ND4J at " + k);
      }
      for (int i = 0; i < m; i++) {
        assertEquals(exact[1][i], r[i], 2e-7 * exact[1][i], "rstd vs double, row " + i);
        assertEquals(rn[i], r[i], 5e-6 * rn[i], "rstd vs ND4J, row " + i);
      }
      for (int j = 0; j < hidden; j++) {
        assertEquals(0f, xhat.getFloat(0, j), 0f, "all-equal row");
        assertEquals(bias.getFloat(j), y.getFloat(0, j), 0f, "all-equal row: y = bias");
      }

      INDArray gainGradN = randn(1, hidden, 55, 1.0), biasGradN = randn(1, hidden, 56, 1.0); // [1, H] to accumulate into
      double[] g0 = flat(gainGradN), b0 = flat(biasGradN);
      INDArray gainGrad = gainGradN.dup(), biasGrad = biasGradN.dup();
      INDArray dxN = Nd4j.create(DataType.FLOAT, m, hidden);
      ND4J.layerNormBackward(dy, xhatN, rstdN, gain, gainGradN, biasGradN, dxN, sN);
      INDArray dx = dy.dup();
      Kernels.vector().layerNormBackward(dx, xhat, rstd, gain, gainGrad, biasGrad, dx, null); // dx aliases dy
      double[] dxv = flat(dx), dxn = flat(dxN), dyv = flat(dy), gv = flat(gain);
      double[][] back = layerNormBackwardExact(xh, r, gv, dyv, m, hidden); // from the kernel's own caches
      for (int i = 0; i < m; i++) {
        double rowScale = 0;
        for (int j = 0; j < hidden; j++) rowScale = Math.max(rowScale, Math.abs(dyv[i * hidden + j] * gv[j]));
        rowScale *= exact[1][i];
        for (int j = 0; j < hidden; j++) {
          int k = i * hidden + j;
          assertEquals(back[0][k], dxv[k], 2e-6 * rowScale, "dx vs double at " + k);
          assertEquals(exact[3][k], dxv[k], 2e-6 * rowScale + 2 * Math.abs(xh[k] - exact[0][k]) * r[i] * gv[j],
              "dx vs double from x at " + k);
          assertEquals(dxn[k], dxv[k], 2e-5 * rowScale, "dx vs ND4J at " + k);
        }
      }
      double[] gg = flat(gainGrad), bg = flat(biasGrad), ggn = flat(gainGradN), bgn = flat(biasGradN);
      for (int j = 0; j < hidden; j++) {
        double absG = Math.abs(g0[j]), absB = Math.abs(b0[j]);
        for (int i = 0; i < m; i++) {
          absG += Math.abs(dyv[i * hidden + j] * exact[0][i * hidden + j]);
          absB += Math.abs(dyv[i * hidden + j]);
        }
        assertEquals(g0[j] + back[1][j], gg[j], 1e-6 * absG, "dg vs double, column " + j);
        assertEquals(b0[j] + back[2][j], bg[j], 1e-6 * absB, "db vs double, column " + j);
        assertEquals(ggn[j], gg[j], 1e-5 * absG, "dg vs ND4J, column " + j);
        assertEquals(bgn[j], bg[j], 1e-5 * absB, "db vs ND4J, column " + j);
      }
      sN.close();
    }
  }

  @Test
  void layerNormForwardWithoutCachesLeavesThemAlone() {
    INDArray x = randn(4, 40, 61, 1.0), gain = Nd4j.ones(DataType.FLOAT, 40), bias = Nd4j.zeros(DataType.FLOAT, 40);
    INDArray xhat = Nd4j.valueArrayOf(new long[] {4, 40}, 9f), rstd = Nd4j.valueArrayOf(new long[] {4}, 9f);
    INDArray y = x.ulike();
    Kernels.vector().layerNormForward(x, gain, bias, 1e-12, xhat, rstd, y, false, null);
    assertEquals(9.0 * 160, xhat.sumNumber().doubleValue(), 0.0);
    assertEquals(9.0 * 4, rstd.sumNumber().doubleValue(), 0.0);
    assertEquals(0.0, y.sum(1).norm2Number().doubleValue(), 1e-5); // each row of y = xhat sums to 0
  }

  // ---- determinism, threads, switch --------------------------------------------------------------------------

  @Test
  void resultsAreIdenticalForOneTwoAndThreeThreadsAndRunToRun() {
    int m = 300, f = 1536, hidden = 384, batch = 2, heads = 12, t = 64; // large enough to split into 3 parts
    INDArray h = randn(m, f, 71, 2.0);
    INDArray[] sm = softmaxInputs(batch, heads, t, 72);
    INDArray dP = randn(batch * heads * t, t, 73, 1.0).reshape('c', batch, heads, t, t);
    INDArray x = randn(m * 4, hidden, 74, 1.0), dy = randn(m * 4, hidden, 75, 1.0);
    INDArray gain = randn(1, hidden, 76, 0.3).addi(1).reshape(hidden), bias = randn(1, hidden, 77, 0.1).reshape(hidden);
    double[][] first = null;
    for (int threads : new int[] {1, 2, 3, 3}) {
      FusedOps k = Kernels.vector(threads);
      INDArray cdf = h.ulike(), act = h.ulike(), dAct = h.dup(), probs = sm[0].ulike(), dS = dP.dup();
      INDArray xhat = x.ulike(), rstd = Nd4j.create(DataType.FLOAT, m * 4), y = x.ulike(), dx = x.ulike();
      INDArray gg = Nd4j.zeros(DataType.FLOAT, 1, hidden), bg = Nd4j.zeros(DataType.FLOAT, 1, hidden);
      k.geluForward(h, cdf, act, true);
      k.geluBackward(h, cdf, dAct, null);
      k.softmaxForward(sm[0], sm[1], probs);
      k.softmaxBackward(probs, dS, null, null);
      k.layerNormForward(x, gain, bias, 1e-12, xhat, rstd, y, true, null);
      k.layerNormBackward(dy, xhat, rstd, gain, gg, bg, dx, null);
      double[][] out = {flat(cdf), flat(act), flat(dAct), flat(probs), flat(dS), flat(xhat), flat(rstd), flat(y),
          flat(dx), flat(gg), flat(bg)};
      if (first == null) first = out;
      for (int i = 0; i < out.length; i++) assertArrayEquals(first[i], out[i], 0.0, "output " + i + " at " + threads + " threads");
    }
  }

  @Test
  void switchPicksTheNd4jOpsForNd4jDoubleNonContiguousAndOpsNotListed() {
    INDArray f = Nd4j.create(DataType.FLOAT, 4, 8), d = Nd4j.create(DataType.DOUBLE, 4, 8);
    assertTrue(Kernels.modulePresent(), "surefire starts the JVM with --add-modules jdk.incubator.vector");
    for (Kernels.Op op : Kernels.Op.values()) {
      assertEquals(Kernels.DEFAULT_OPS.contains(op), Kernels.ops(op, f) == Kernels.vector(), op + " by default");
    }
    assertFalse(Kernels.DEFAULT_OPS.contains(Kernels.Op.SOFTMAX_FORWARD), "level with ND4J: off by default");
    System.setProperty(Kernels.OPS_PROPERTY, "gelu,softmax,layernorm"); // every fused kernel
    assertSame(Kernels.vector(), Kernels.ops(Kernels.Op.GELU_FORWARD, f, f));
    assertSame(Nd4jOps.INSTANCE, Kernels.ops(Kernels.Op.GELU_FORWARD, f, d));
    assertSame(Nd4jOps.INSTANCE, Kernels.ops(Kernels.Op.GELU_FORWARD, f, f.transpose()));
    assertSame(Nd4jOps.INSTANCE, Kernels.ops(Kernels.Op.GELU_FORWARD, Nd4j.create(DataType.FLOAT, new long[] {4, 8}, 'f')));
    assertSame(Nd4jOps.INSTANCE, Kernels.ops(Kernels.Op.GELU_FORWARD, Nd4j.create(DataType.FLOAT, 4, 8).get(NDArrayIndex.all(),
        NDArrayIndex.interval(0, 4))));
    assertSame(Kernels.vector(), Kernels.ops(Kernels.Op.GELU_FORWARD, Nd4j.create(DataType.FLOAT, 4, 8).get(
        NDArrayIndex.interval(1, 3), NDArrayIndex.all()))); // whole rows: contiguous at an offset
    INDArray h = Nd4j.create(DataType.FLOAT, 384);
    assertSame(Kernels.vector(), Kernels.ops(Kernels.Op.LAYERNORM_BACKWARD, h, h.reshape('c', 1, 384))); // [1, H] gradient row view
    assertSame(Kernels.vector(), Kernels.ops(Kernels.Op.LAYERNORM_BACKWARD, Nd4j.create(DataType.FLOAT, 6, 384).getRow(2)
        .reshape('c', 1, 384))); // a row of a matrix as [1, H]
    assertEquals("vector", Kernels.describe().get("path"));

    System.setProperty(Kernels.PROPERTY, "nd4j");
    assertSame(Nd4jOps.INSTANCE, Kernels.ops(Kernels.Op.GELU_FORWARD, f));
    for (Kernels.Op op : Kernels.Op.values()) assertSame(Nd4jOps.INSTANCE, Kernels.ops(op, f));
    assertEquals("nd4j", Kernels.describe().get("path"));

    System.setProperty(Kernels.PROPERTY, "vector");
    System.setProperty(Kernels.OPS_PROPERTY, "softmax, layernorm_forward, GELU-backward");
    assertSame(Nd4jOps.INSTANCE, Kernels.ops(Kernels.Op.GELU_FORWARD, f));
    assertSame(Kernels.vector(), Kernels.ops(Kernels.Op.GELU_BACKWARD, f));
    assertSame(Kernels.vector(), Kernels.ops(Kernels.Op.SOFTMAX_FORWARD, f));
    assertSame(Kernels.vector(), Kernels.ops(Kernels.Op.SOFTMAX_BACKWARD, f));
    assertSame(Kernels.vector(), Kernels.ops(Kernels.Op.LAYERNORM_FORWARD, f));
    assertSame(Nd4jOps.INSTANCE, Kernels.ops(Kernels.Op.LAYERNORM_BACKWARD, f));

    System.setProperty(Kernels.OPS_PROPERTY, "all");
    for (Kernels.Op op : Kernels.Op.values()) assertSame(Kernels.vector(), Kernels.ops(op, f), op + " with all");
    System.setProperty(Kernels.OPS_PROPERTY, "gelu,bogus");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.ops(Kernels.Op.GELU_FORWARD, f));
    assertTrue(e.getMessage().contains("bogus"), e.getMessage());
    System.clearProperty(Kernels.OPS_PROPERTY);
    System.setProperty(Kernels.PROPERTY, "fast");
    assertThrows(IllegalArgumentException.class, () -> Kernels.ops(Kernels.Op.GELU_FORWARD, f));
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  /** FLOAT [rows, cols] ~ N(0, std^2), fixed seed. */
  static INDArray randn(int rows, int cols, long seed, double std) {
    Random rnd = new Random(seed);
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) v[i] = (float) (std * rnd.nextGaussian());
    return Nd4j.createFromArray(v).reshape('c', rows, cols);
  }

  static float[] randomFloats(int n, long seed, float std) {
    Random rnd = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) (std * rnd.nextGaussian());
    return v;
  }

  static double[] flat(INDArray a) { return a.dup('c').reshape(a.length()).toDoubleVector(); }

  static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
    double[] e = flat(expected), a = flat(actual);
    for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), what + " at " + i);
  }

  /** Consecutive c-order [rows, cols] views into one zeroed buffer, the first at element {@code lead} (arena-like). */
  static final class Buffers {
    final INDArray whole;
    private final long len, rows, cols;
    private long at;

    Buffers(DataType dt, int count, long len, long lead, long rows, long cols) {
      this.whole = Nd4j.create(dt, lead + count * len + 3); // [capacity]: lead, views, 3 guard elements
      this.len = len;
      this.rows = rows;
      this.cols = cols;
      this.at = lead;
    }

    INDArray next() {
      INDArray v = whole.get(NDArrayIndex.interval(at, at + len)).reshape('c', rows, cols);
      at += len;
      return v;
    }
  }
}
