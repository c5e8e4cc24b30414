package org.llkd.models.encoder;

import org.llkd.models.kernels.Kernels;
import org.llkd.models.kernels.LayerNormScratch;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LayerNorm over the last axis, by hand (PERFORMANCE.md: ND4J's LayerNormBp is 2-4x slower):
 * y = g * xhat + b, xhat = (x - mean) * rstd, rstd = 1 / sqrt(var + eps) (biased variance).
 * The forward caches xhat and rstd; the backward is
 * dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * g.
 * Both run as {@link org.llkd.models.kernels.FusedOps#layerNormForward} / {@code layerNormBackward}: one fused
 * Vector API pass per row for FLOAT, about 8 composed ND4J passes otherwise ({@link Kernels}).
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
  private INDArray rstd;    // [M]
  private LayerNormScratch scratch; // ND4J path: mean, mean2 [M] (and [M, 1] views), tmp [M, H], ones [1, M]
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
    scratch = LayerNormScratch.over(arena.view("mean", dt, m), arena.view("mean2", dt, m), rstd,
        arena.view("tmp", dt, m, hidden), arena.view("ones", dt, 1, m));
    rows = m;
  }

  /** Keeps the backward caches of samples {@code rows} of a batch of {@code batch} (see {@link Slabs}). */
  void keepRows(int batch, int[] rows) {
    Slabs.keep(xhat, batch, rows); // [M, H]
    Slabs.keep(rstd, batch, rows); // [M]
  }

  /**
   * y [M, H] = LN(x [M, H]); y may alias x. {@code keepCaches} (train mode): xhat [M, H] and rstd [M] must hold
   * this forward's values for {@link #backward} (the fused kernel skips writing them otherwise).
   */
  void forward(INDArray x, INDArray y, boolean keepCaches) {
    Kernels.ops(Kernels.Op.LAYERNORM_FORWARD, x, y, xhat, rstd, gain, bias)
        .layerNormForward(x, gain, bias, eps, xhat, rstd, y, keepCaches, scratch); // [M, H]
  }

  /** dx [M, H] = dL/dx given dy [M, H]; accumulates dg, db. dx may alias dy. */
  void backward(INDArray dy, INDArray dx) {
    Kernels.ops(Kernels.Op.LAYERNORM_BACKWARD, dy, dx, xhat, rstd, gain, gainGrad, biasGrad)
        .layerNormBackward(dy, xhat, rstd, gain, gainGrad, biasGrad, dx, scratch); // [M, H]; [1, H] += column sums
  }

  /** Frees this block's buffers (the model is unusable afterwards). */
  void close() {
    arena.close();
  }
}
