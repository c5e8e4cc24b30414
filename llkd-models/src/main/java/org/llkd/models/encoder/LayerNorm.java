package org.llkd.models.encoder;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * LayerNorm over the last axis, by hand (PERFORMANCE.md: ND4J's LayerNormBp is 2-4x slower):
 * y = g * xhat + b, xhat = (x - mean) * rstd, rstd = 1 / sqrt(var + eps) (biased variance).
 * The forward caches xhat and rstd; the backward is
 * dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * g.
 */
final class LayerNorm {
  private final INDArray gain;     // [H]
  private final INDArray bias;     // [H]
  private final INDArray gainGrad; // [1, H]
  private final INDArray biasGrad; // [1, H]
  private final double eps;
  private final Arena arena = new Arena();
  private final int hidden;

  // forward caches, bound per M = B*T
  private INDArray xhat;    // [M, H]
  private INDArray rstd;    // [M] and rstdCol [M, 1], same data
  private INDArray rstdCol;
  private INDArray mean;    // [M] scratch: mean of x, then mean(dxhat) in the backward
  private INDArray meanCol; // [M, 1]
  private INDArray mean2;   // [M] scratch: mean(dxhat * xhat)
  private INDArray mean2Col;
  private INDArray tmp;     // [M, H] scratch
  private INDArray ones;    // [1, M]
  private long rows = -1;

  LayerNorm(String name, ParamsAndGrads pg, double eps) {
    this.gain = pg.param(name + ".weight");
    this.bias = pg.param(name + ".bias");
    this.gainGrad = pg.gradRow(name + ".weight");
    this.biasGrad = pg.gradRow(name + ".bias");
    this.eps = eps;
    this.hidden = (int) gain.length();
  }

  void bind(long m) {
    if (m == rows) return;
    var dt = gain.dataType();
    xhat = arena.view("xhat", dt, m, hidden);
    rstd = arena.view("rstd", dt, m);
    rstdCol = rstd.reshape('c', m, 1);
    mean = arena.view("mean", dt, m);
    meanCol = mean.reshape('c', m, 1);
    mean2 = arena.view("mean2", dt, m);
    mean2Col = mean2.reshape('c', m, 1);
    tmp = arena.view("tmp", dt, m, hidden);
    ones = arena.view("ones", dt, 1, m);
    ones.assign(1.0);
    rows = m;
  }

  /** Keeps the backward caches of samples {@code rows} of a batch of {@code batch} (see {@link Slabs}). */
  void keepRows(int batch, int[] rows) {
    Slabs.keep(xhat, batch, rows); // [M, H]
    Slabs.keep(rstd, batch, rows); // [M]
  }

  /** y [M, H] = LN(x [M, H]); y may alias x. */
  void forward(INDArray x, INDArray y) {
    x.mean(mean, 1);                          // [M]
    xhat.assign(x).subiColumnVector(meanCol); // [M, H] centred
    tmp.assign(xhat).muli(xhat);              // [M, H] squares
    tmp.mean(rstd, 1);                        // [M] biased variance
    rstd.addi(eps);
    Transforms.sqrt(rstd, false).rdivi(1.0);  // [M] 1/sqrt(var + eps)
    xhat.muliColumnVector(rstdCol);           // [M, H]
    y.assign(xhat).muliRowVector(gain).addiRowVector(bias); // [M, H]
  }

  /** dx [M, H] = dL/dx given dy [M, H]; accumulates dg, db. dx may alias dy. */
  void backward(INDArray dy, INDArray dx) {
    tmp.assign(dy).muli(xhat);                                 // [M, H] dy * xhat
    Nd4j.gemm(ones, tmp, gainGrad, false, false, 1.0, 1.0);    // [1, H] += column sums
    Nd4j.gemm(ones, dy, biasGrad, false, false, 1.0, 1.0);     // [1, H]
    dx.assign(dy).muliRowVector(gain);                         // [M, H] dxhat
    dx.mean(mean, 1);                                          // [M] mean(dxhat)
    tmp.assign(dx).muli(xhat);                                 // [M, H]
    tmp.mean(mean2, 1);                                        // [M] mean(dxhat * xhat)
    tmp.assign(xhat).muliColumnVector(mean2Col);               // [M, H]
    dx.subiColumnVector(meanCol).subi(tmp).muliColumnVector(rstdCol); // [M, H]
  }

  /** Frees this block's buffers (the model is unusable afterwards). */
  void close() {
    arena.close();
  }
}
