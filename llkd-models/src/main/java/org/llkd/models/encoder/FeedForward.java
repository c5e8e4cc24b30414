package org.llkd.models.encoder;

import org.llkd.models.kernels.Kernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * The feed-forward sub-block of one BERT layer:
 * <pre>
 *   h1 = x W1 + b1                      [M, F]
 *   a  = gelu(h1) = h1 * Phi(h1)        [M, F]   exact erf GELU, Phi(h) = (1 + erf(h / sqrt2)) / 2
 *   out = LN(dropout(a W2 + b2) + x)    [M, H]
 *   gelu'(h) = Phi(h) + h * phi(h),  phi(h) = exp(-h^2 / 2) / sqrt(2 pi)
 * </pre>
 * GELU and its derivative run as {@link org.llkd.models.kernels.FusedOps#geluForward} / {@code geluBackward}: one
 * fused Vector API pass for FLOAT, the composed ND4J ops otherwise ({@link Kernels}).
 */
final class FeedForward {

  private final Linear intermediate; // [H, F]
  private final Linear output;       // [F, H]
  private final LayerNorm layerNorm;
  private final Dropout hiddenDropout;
  private final int hidden, intermediateSize;
  private final DataType dt;
  private final Arena arena = new Arena();

  private long rows = -1;
  private boolean trainCaches; // the last forward ran in train mode (rng != null) and kept cdf for the backward
  private INDArray x;    // [M, H] block input (caller's buffer)
  private INDArray ones; // [1, M]
  private INDArray h1;   // [M, F] pre-activation
  private INDArray cdf;  // [M, F] Phi(h1) (train mode; the fused kernel skips it in eval mode)
  private INDArray act;  // [M, F] gelu(h1); backward: gelu'(h1) (ND4J path scratch)
  private INDArray dAct; // [M, F] backward: d(act), then d(h1)
  private INDArray out;  // [M, H] a W2 + b2, residual sum, LN output (block output)
  private INDArray dA;   // [M, H] backward: d(dense output) when dropout is active
  private INDArray dIn;  // [M, H] backward result

  FeedForward(int layer, ParamsAndGrads pg, StudentConfig cfg) {
    String p = StudentConfig.layerPrefix(layer);
    intermediate = new Linear(p + "intermediate.dense", pg);
    output = new Linear(p + "output.dense", pg);
    layerNorm = new LayerNorm(p + "output.LayerNorm", pg, cfg.layerNormEps());
    hiddenDropout = new Dropout(cfg.hiddenDropout());
    hidden = cfg.hiddenSize();
    intermediateSize = cfg.intermediateSize();
    dt = cfg.dataType();
  }

  void bind(long m) {
    if (m == rows) return;
    ones = arena.view("ones", dt, 1, m);
    ones.assign(1.0);
    h1 = arena.view("h1", dt, m, intermediateSize);
    cdf = arena.view("cdf", dt, m, intermediateSize);
    act = arena.view("act", dt, m, intermediateSize);
    dAct = arena.view("dAct", dt, m, intermediateSize);
    out = arena.view("out", dt, m, hidden);
    dA = arena.view("dA", dt, m, hidden);
    dIn = arena.view("dIn", dt, m, hidden);
    layerNorm.bind(m);
    hiddenDropout.bind(dt, m, hidden);
    rows = m;
  }

  /** The block output [M, H] of the current binding. */
  INDArray output() { return out; }

  /** Points the cached block input at {@code input} [M, H] (the attention output after a rebind). */
  void input(INDArray input) { x = input; }

  /** Keeps what {@link #backward} needs of samples {@code rows} at the front of each buffer (before a rebind). */
  void keepRows(int batch, int[] rows) {
    for (INDArray cache : new INDArray[] {h1, cdf, act, out}) Slabs.keep(cache, batch, rows);
    layerNorm.keepRows(batch, rows);
    hiddenDropout.keepRows(batch, rows);
  }

  /** out [M, H] from x [M, H]; x must stay untouched until {@link #backward}. */
  INDArray forward(INDArray input, Random rng) {
    x = input;
    boolean train = trainCaches = rng != null;    // train mode: keep what the backward reads
    intermediate.forward(x, h1);                  // [M, F]
    Kernels.ops(Kernels.Op.GELU_FORWARD, h1, cdf, act).geluForward(h1, cdf, act, train); // [M, F] cdf = Phi(h1), act = gelu
    output.forward(act, out);                     // [M, H]
    hiddenDropout.forward(out, rng);              // [M, H]
    out.addi(x);                                  // [M, H] residual
    layerNorm.forward(out, out, train);           // [M, H]
    return out;
  }

  /** dIn [M, H] from dOut [M, H] (overwritten); accumulates the block's parameter gradients. */
  INDArray backward(INDArray dOut) {
    if (!trainCaches) throw new IllegalStateException("feed-forward backward needs a train-mode forward (rng != null)");
    INDArray dz = dOut;
    layerNorm.backward(dOut, dz);                        // [M, H]
    INDArray dDense = dz;
    if (hiddenDropout.active()) {
      hiddenDropout.backward(dz, dA);                    // [M, H]
      dDense = dA;
    }
    output.backward(act, dDense, ones, dAct, false);     // dAct [M, F] = dDense W2^T
    Kernels.ops(Kernels.Op.GELU_BACKWARD, h1, cdf, dAct).geluBackward(h1, cdf, dAct, act); // [M, F] d(h1) = dAct gelu'(h1)
    dIn.assign(dz);                                      // [M, H] residual path
    intermediate.backward(x, dAct, ones, dIn, true);     // [M, H] += d(h1) W1^T
    return dIn;
  }

  /** Frees this block's buffers (the model is unusable afterwards). */
  void close() {
    arena.close();
    layerNorm.close();
    hiddenDropout.close();
  }
}
