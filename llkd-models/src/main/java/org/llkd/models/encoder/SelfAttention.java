package org.llkd.models.encoder;

import org.llkd.models.kernels.Kernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The attention sub-block of one BERT layer:
 * <pre>
 *   q,k,v = x Wq + bq, ...                               [M, H] -> heads [B, nh, T, d]
 *   S = (q / sqrt(d)) k^T + maskBias                     [B, nh, T, T]  (maskBias = (1 - mask) * -10000)
 *   P = softmax(S);  Pd = dropout(P)                     [B, nh, T, T]
 *   ctx = Pd v                                           [B, nh, T, d] -> [M, H]
 *   out = LN(dropout(ctx Wo + bo) + x)                   [M, H]
 *   backward: dS = P * (dP - rowsum(dP * P))              [B, nh, T, T]
 * </pre>
 * The masked softmax and its backward run as {@link org.llkd.models.kernels.FusedOps#softmaxForward} /
 * {@code softmaxBackward}: one fused Vector API pass per row for FLOAT, composed ND4J ops otherwise ({@link Kernels}).
 */
final class SelfAttention {
  private final Linear query, key, value, output;
  private final LayerNorm layerNorm;
  private final Dropout attentionDropout;
  private final Dropout hiddenDropout;
  private final int hidden, numHeads, headSize;
  private final double scale;
  private final DataType dt;
  private final Arena arena = new Arena();

  private int batch = -1, seqLen = -1;
  private boolean trainCaches;   // the last forward ran in train mode (rng != null) and kept what backward reads
  private INDArray x;            // [M, H] block input (the caller's buffer, kept for dW)
  private INDArray ones;         // [1, M]
  // forward buffers; the backward reuses them once their forward content is consumed
  private INDArray q, k, v;      // [M, H]; backward: dq, dk, dv
  private INDArray q4, k4, v4;   // [B, T, nh, d] views of q, k, v
  private INDArray qh, kh, vh;   // [B, nh, T, d]; qh holds q / sqrt(d); backward: kh <- dkh, vh <- dvh (kh: train only)
  private INDArray khT, vhT;     // [B, nh, d, T] K^T (forward) and V^T (train only, for the backward): ND4J's rank-4
                                 // matmul with transB took 16.3 ms for QK^T at B=32 T=128, 4.8 ms on a K^T copy,
                                 // the copy included (AttentionMatmulBench, results/bench)
  private INDArray scores;       // [B, nh, T, T] S (+ maskBias on the ND4J path), then Pd (dropout); backward: scratch
  private INDArray probs;        // [B, nh, T, T] P
  private INDArray scoresTmp;    // [B, nh, T, T] backward: dPd -> dP -> dS
  private INDArray rowSum;       // [B, nh, T] backward: rowsum(dP * P) (ND4J path)
  private INDArray ctxh;         // [B, nh, T, d]; backward: dctxh
  private INDArray ctx;          // [M, H]; backward: dctx
  private INDArray ctx4;         // [B, T, nh, d] view of ctx
  private INDArray dHeads;       // [B, nh, T, d] backward: dqh
  private INDArray out;          // [M, H] ctx Wo + bo, then residual sum, then LN output (block output)
  private INDArray dA;           // [M, H] backward: d(dense output) when hidden dropout is active
  private INDArray dIn;          // [M, H] backward result

  SelfAttention(int layer, ParamsAndGrads pg, StudentConfig cfg) {
    String p = StudentConfig.layerPrefix(layer) + "attention.";
    query = new Linear(p + "self.query", pg);
    key = new Linear(p + "self.key", pg);
    value = new Linear(p + "self.value", pg);
    output = new Linear(p + "output.dense", pg);
    layerNorm = new LayerNorm(p + "output.LayerNorm", pg, cfg.layerNormEps());
    attentionDropout = new Dropout(cfg.attentionDropout());
    hiddenDropout = new Dropout(cfg.hiddenDropout());
    hidden = cfg.hiddenSize();
    numHeads = cfg.numHeads();
    headSize = cfg.headSize();
    scale = 1.0 / Math.sqrt(headSize);
    dt = cfg.dataType();
  }

  void bind(int b, int t) {
    if (b == batch && t == seqLen) return;
    long m = (long) b * t;
    ones = arena.view("ones", dt, 1, m);
    ones.assign(1.0);
    q = arena.view("q", dt, m, hidden);
    k = arena.view("k", dt, m, hidden);
    v = arena.view("v", dt, m, hidden);
    q4 = q.reshape('c', b, t, numHeads, headSize);
    k4 = k.reshape('c', b, t, numHeads, headSize);
    v4 = v.reshape('c', b, t, numHeads, headSize);
    qh = arena.view("qh", dt, b, numHeads, t, headSize);
    kh = arena.view("kh", dt, b, numHeads, t, headSize);
    khT = arena.view("khT", dt, b, numHeads, headSize, t);
    vhT = arena.view("vhT", dt, b, numHeads, headSize, t);
    vh = arena.view("vh", dt, b, numHeads, t, headSize);
    scores = arena.view("scores", dt, b, numHeads, t, t);
    probs = arena.view("probs", dt, b, numHeads, t, t);
    scoresTmp = arena.view("scoresTmp", dt, b, numHeads, t, t);
    rowSum = arena.view("rowSum", dt, b, numHeads, t);
    ctxh = arena.view("ctxh", dt, b, numHeads, t, headSize);
    ctx = arena.view("ctx", dt, m, hidden);
    ctx4 = ctx.reshape('c', b, t, numHeads, headSize);
    dHeads = arena.view("dHeads", dt, b, numHeads, t, headSize);
    out = arena.view("out", dt, m, hidden);
    dA = arena.view("dA", dt, m, hidden);
    dIn = arena.view("dIn", dt, m, hidden);
    layerNorm.bind(m);
    attentionDropout.bind(dt, b, numHeads, t, t);
    hiddenDropout.bind(dt, m, hidden);
    batch = b;
    seqLen = t;
  }

  /** The block output [M, H] of the current binding. */
  INDArray output() { return out; }

  /** Points the cached block input at {@code input} [M, H] (the previous block's output after a rebind). */
  void input(INDArray input) { x = input; }

  /** Keeps what {@link #backward} needs of samples {@code rows} at the front of each buffer (before a rebind). */
  void keepRows(int[] rows) {
    // vh is not kept: the backward reads V through vhT and only writes dV into vh
    for (INDArray cache : new INDArray[] {qh, kh, vhT, probs, ctx, out}) Slabs.keep(cache, batch, rows);
    if (attentionDropout.active()) Slabs.keep(scores, batch, rows); // [B, nh, T, T] Pd
    layerNorm.keepRows(batch, rows);
    attentionDropout.keepRows(batch, rows);
    hiddenDropout.keepRows(batch, rows);
  }

  /** out [M, H] from x [M, H] and maskBias [B, T]; x must stay untouched until {@link #backward}. */
  INDArray forward(INDArray input, INDArray maskBias, Random rng) {
    x = input;
    query.forward(x, q);                                      // [M, H]
    key.forward(x, k);                                        // [M, H]
    value.forward(x, v);                                      // [M, H]
    qh.assign(q4.permute(0, 2, 1, 3)).muli(scale);            // [B, nh, T, d] scaled query
    khT.assign(k4.permute(0, 2, 3, 1));                       // [B, nh, d, T]
    vh.assign(v4.permute(0, 2, 1, 3));                        // [B, nh, T, d]
    trainCaches = rng != null;
    if (trainCaches) {                                        // train mode: what the backward reads
      kh.assign(k4.permute(0, 2, 1, 3));                      // [B, nh, T, d]
      vhT.assign(v4.permute(0, 2, 3, 1));                     // [B, nh, d, T]
    }
    Nd4j.matmul(qh, khT, scores, false, false, false);        // [B, nh, T, T] = qh kh^T
    Kernels.ops(Kernels.Op.SOFTMAX_FORWARD, scores, maskBias, probs)
        .softmaxForward(scores, maskBias, probs);             // [B, nh, T, T] P = softmax(S + [B, 1, 1, T])
    INDArray pd = probs;
    if (attentionDropout.willApply(rng)) {
      scores.assign(probs);
      attentionDropout.forward(scores, rng);                  // [B, nh, T, T] Pd
      pd = scores;
    } else {
      attentionDropout.forward(scores, null);                 // marks inactive
    }
    Nd4j.matmul(pd, vh, ctxh, false, false, false);           // [B, nh, T, d]
    ctx4.assign(ctxh.permute(0, 2, 1, 3));                    // [B, T, nh, d] = [M, H]
    output.forward(ctx, out);                                 // [M, H]
    hiddenDropout.forward(out, rng);                          // [M, H]
    out.addi(x);                                              // [M, H] residual
    layerNorm.forward(out, out, trainCaches);                 // [M, H]
    return out;
  }

  /** dIn [M, H] from dOut [M, H] (overwritten); accumulates all parameter gradients of the block. */
  INDArray backward(INDArray dOut) {
    if (!trainCaches) throw new IllegalStateException("attention backward needs a train-mode forward (rng != null)");
    INDArray dz = dOut;
    layerNorm.backward(dOut, dz);                             // [M, H] d(residual sum)
    INDArray dDense = dz;
    if (hiddenDropout.active()) {
      hiddenDropout.backward(dz, dA);                         // [M, H]
      dDense = dA;
    }
    output.backward(ctx, dDense, ones, ctx, false);           // ctx <- dctx [M, H]
    ctxh.assign(ctx4.permute(0, 2, 1, 3));                    // [B, nh, T, d] dctxh
    Nd4j.matmul(ctxh, vhT, scoresTmp, false, false, false);   // [B, nh, T, T] dPd = dctxh vh^T
    INDArray pd = attentionDropout.active() ? scores : probs;
    Nd4j.matmul(pd, ctxh, vh, true, false, false);            // vh <- dvh [B, nh, T, d] = Pd^T dctxh
    if (attentionDropout.active()) attentionDropout.backward(scoresTmp, scoresTmp); // [B, nh, T, T] dP
    Kernels.ops(Kernels.Op.SOFTMAX_BACKWARD, probs, scoresTmp)
        .softmaxBackward(probs, scoresTmp, scores, rowSum);   // [B, nh, T, T] dS = P (dP - rowsum(dP P))
    Nd4j.matmul(scoresTmp, kh, dHeads, false, false, false);  // [B, nh, T, d] d(qh) = dS kh
    Nd4j.matmul(scoresTmp, qh, kh, true, false, false);       // kh <- dkh = dS^T qh
    dIn.assign(dz);                                           // [M, H] residual path
    q4.assign(dHeads.permute(0, 2, 1, 3)).muli(scale);        // q <- dq [M, H]
    query.backward(x, q, ones, dIn, true);
    k4.assign(kh.permute(0, 2, 1, 3));                        // k <- dk [M, H]
    key.backward(x, k, ones, dIn, true);
    v4.assign(vh.permute(0, 2, 1, 3));                        // v <- dv [M, H]
    value.backward(x, v, ones, dIn, true);
    return dIn;
  }

  /** Frees this block's buffers (the model is unusable afterwards). */
  void close() {
    arena.close();
    layerNorm.close();
    attentionDropout.close();
    hiddenDropout.close();
  }
}
