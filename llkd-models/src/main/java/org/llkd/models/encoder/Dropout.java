package org.llkd.models.encoder;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout with a stored mask (keep / (1 - p), else 0). The mask is drawn from the per-step
 * ND4J {@link Random} passed to {@link #forward}; null means eval mode (identity).
 */
final class Dropout {
  private final double p;
  private final Arena arena = new Arena();
  private INDArray mask; // [shape of the activation]
  private boolean active;

  Dropout(double p) { this.p = p; }

  void bind(org.nd4j.linalg.api.buffer.DataType dt, long... shape) {
    if (p > 0) mask = arena.view("mask", dt, shape);
  }

  /** x *= mask in place (train mode with p > 0); records whether a mask was applied. */
  void forward(INDArray x, Random rng) {
    active = rng != null && p > 0;
    if (!active) return;
    Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - p), rng); // 1 with probability 1-p
    mask.divi(1.0 - p);
    x.muli(mask);
  }

  boolean active() { return active; }

  /** Keeps the mask slabs of samples {@code rows} (batch-major mask, see {@link Slabs}); nothing when inactive. */
  void keepRows(int batch, int[] rows) {
    if (active) Slabs.keep(mask, batch, rows);
  }

  /** Whether {@link #forward} with this rng will apply a mask. */
  boolean willApply(Random rng) { return rng != null && p > 0; }

  /** dst = dy * mask (dst may alias dy); only valid when {@link #active()}. */
  void backward(INDArray dy, INDArray dst) {
    if (!active) throw new IllegalStateException("dropout backward without an active mask");
    if (dst != dy) dst.assign(dy);
    dst.muli(mask);
  }

  /** Frees this block's buffers (the model is unusable afterwards). */
  void close() {
    arena.close();
  }
}
