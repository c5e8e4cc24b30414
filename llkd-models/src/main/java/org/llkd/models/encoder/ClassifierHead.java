package org.llkd.models.encoder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Pooling plus Linear(H, C), no tanh pooler (as the ref model):
 * <pre>
 *   CLS:  pooled[b] = h[b, 0]
 *   MEAN: pooled[b] = sum_t poolWeights[b, t] h[b, t],  poolWeights = mask / sum_t mask   [B, T]
 *   logits = pooled Wc + bc                                                           [B, C]
 * </pre>
 */
final class ClassifierHead {
  private final Linear classifier;
  private final Pooling pooling;
  private final int hidden, numClasses;
  private final DataType dt;
  private final Arena arena = new Arena();

  private int batch = -1, seqLen = -1;
  private INDArray ones;        // [1, B]
  private INDArray pooled;      // [B, H]
  private INDArray pooled3;     // [B, 1, H] view
  private INDArray logits;      // [B, C]
  private INDArray dLogits;     // [B, C] copy of the caller's gradient
  private INDArray dPooled;     // [B, H]
  private INDArray dPooled3;    // [B, 1, H] view
  private INDArray dHidden;     // [M, H] backward result
  private INDArray dHiddenCls;  // [B, H] view: columns of position 0 in [B, T*H]
  private INDArray dHidden3;    // [B, T, H] view
  private INDArray poolWeights3; // [B, 1, T] view of the model's pool weights

  ClassifierHead(ParamsAndGrads pg, StudentConfig cfg) {
    classifier = new Linear("classifier", pg);
    pooling = cfg.pooling();
    hidden = cfg.hiddenSize();
    numClasses = cfg.numClasses();
    dt = cfg.dataType();
  }

  void bind(int b, int t, INDArray poolWeights /*[B,T]*/) {
    if (b == batch && t == seqLen) return;
    ones = arena.view("ones", dt, 1, b);
    ones.assign(1.0);
    pooled = arena.view("pooled", dt, b, hidden);
    pooled3 = pooled.reshape('c', b, 1, hidden);
    logits = arena.view("logits", dt, b, numClasses);
    dLogits = arena.view("dLogits", dt, b, numClasses);
    dPooled = arena.view("dPooled", dt, b, hidden);
    dPooled3 = dPooled.reshape('c', b, 1, hidden);
    dHidden = arena.view("dHidden", dt, (long) b * t, hidden);
    dHiddenCls = dHidden.reshape('c', b, (long) t * hidden).get(NDArrayIndex.all(), NDArrayIndex.interval(0, hidden));
    dHidden3 = dHidden.reshape('c', b, t, hidden);
    poolWeights3 = poolWeights.reshape('c', b, 1, t);
    batch = b;
    seqLen = t;
  }

  /** Keeps the pooled rows of samples {@code rows} (before a rebind). */
  void keepRows(int[] rows) {
    Slabs.keep(pooled, batch, rows); // [B, H]
  }

  /** logits [B, C] (a buffer) from the last hidden states h [M, H]. */
  INDArray forward(INDArray h) {
    if (pooling == Pooling.CLS) {
      pooled.assign(h.reshape('c', batch, (long) seqLen * hidden).get(NDArrayIndex.all(), NDArrayIndex.interval(0, hidden))); // [B, H]
    } else {
      Nd4j.matmul(poolWeights3, h.reshape('c', batch, seqLen, hidden), pooled3, false, false, false); // [B,1,T][B,T,H] = [B,1,H]
    }
    classifier.forward(pooled, logits); // [B, C]
    return logits;
  }

  /** d(last hidden) [M, H] from dL/dlogits [B, C]; accumulates the classifier gradients. */
  INDArray backward(INDArray gradLogits) {
    dLogits.assign(gradLogits);                                   // [B, C], cast to the model type
    classifier.backward(pooled, dLogits, ones, dPooled, false);  // [B, H]
    if (pooling == Pooling.CLS) {
      dHidden.assign(0.0);                                        // [M, H]
      dHiddenCls.assign(dPooled);                                 // [B, H] into position 0
    } else {
      Nd4j.matmul(poolWeights3, dPooled3, dHidden3, true, false, false); // [B,T,1][B,1,H] = [B,T,H]
    }
    return dHidden;
  }

  /** Frees this block's buffers (the model is unusable afterwards). */
  void close() {
    arena.close();
  }
}
