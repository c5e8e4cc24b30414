package org.llkd.models.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link FusedOps} as composed ND4J ops: the encoder blocks' original code, moved here unchanged so that the
 * benchmarks measure it as it runs. Works for every data type and layout (the DOUBLE gradient checks run it); each
 * line is one libnd4j pass over its buffer.
 */
public final class Nd4jOps implements FusedOps {
  /** The one instance (stateless). */
  public static final Nd4jOps INSTANCE = new Nd4jOps();

  private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

  private Nd4jOps() {}

  @Override
  public void geluForward(INDArray h, INDArray cdf, INDArray act, boolean keepCdf) {
    cdf.assign(h).muli(INV_SQRT2);               // [M, F] h / sqrt2
    Nd4j.exec(new Erf(cdf, cdf));                // [M, F] erf in place
    cdf.addi(1.0).muli(0.5);                     // [M, F] Phi(h)
    act.assign(cdf).muli(h);                     // [M, F] gelu
  }

  @Override
  public void geluBackward(INDArray h, INDArray cdf, INDArray dAct, INDArray scratch) {
    scratch.assign(h).muli(h).muli(-0.5);                // [M, F] -h^2/2
    Transforms.exp(scratch, false);                      // [M, F] exp(-h^2/2)
    scratch.muli(h).muli(INV_SQRT_2PI).addi(cdf);        // [M, F] gelu'(h)
    dAct.muli(scratch);                                  // [M, F] d(h)
  }

  @Override
  public void softmaxForward(INDArray scores, INDArray maskBias, INDArray probs) {
    Nd4j.exec(new BroadcastAddOp(scores, maskBias, scores, 0, 3)); // [B, nh, T, T] += [B, 1, 1, T]
    Nd4j.exec(new SoftMax(scores, probs, 3));                 // [B, nh, T, T]
  }

  @Override
  public void softmaxBackward(INDArray probs, INDArray dP, INDArray scratch, INDArray rowSum) {
    scratch.assign(dP).muli(probs);                           // [B, nh, T, T] dP * P
    scratch.sum(rowSum, 3);                                   // [B, nh, T]
    Nd4j.exec(new BroadcastSubOp(dP, rowSum, dP, 0, 1, 2));   // [B, nh, T, T] dP - rowsum
    dP.muli(probs);                                           // [B, nh, T, T] dS
  }

  @Override
  public void layerNormForward(INDArray x, INDArray gain, INDArray bias, double eps, INDArray xhat, INDArray rstd,
      INDArray y, boolean keepCaches, LayerNormScratch s) {
    x.mean(s.mean(), 1);                          // [M]
    xhat.assign(x).subiColumnVector(s.meanCol()); // [M, H] centred
    s.tmp().assign(xhat).muli(xhat);              // [M, H] squares
    s.tmp().mean(rstd, 1);                        // [M] biased variance
    rstd.addi(eps);
    Transforms.sqrt(rstd, false).rdivi(1.0);      // [M] 1/sqrt(var + eps)
    xhat.muliColumnVector(s.rstdCol());           // [M, H]
    y.assign(xhat).muliRowVector(gain).addiRowVector(bias); // [M, H]
  }

  @Override
  public void layerNormBackward(INDArray dy, INDArray xhat, INDArray rstd, INDArray gain, INDArray gainGrad,
      INDArray biasGrad, INDArray dx, LayerNormScratch s) {
    INDArray tmp = s.tmp();
    tmp.assign(dy).muli(xhat);                                   // [M, H] dy * xhat
    Nd4j.gemm(s.ones(), tmp, gainGrad, false, false, 1.0, 1.0);  // [1, H] += column sums
    Nd4j.gemm(s.ones(), dy, biasGrad, false, false, 1.0, 1.0);   // [1, H]
    dx.assign(dy).muliRowVector(gain);                           // [M, H] dxhat
    dx.mean(s.mean(), 1);                                        // [M] mean(dxhat)
    tmp.assign(dx).muli(xhat);                                   // [M, H]
    tmp.mean(s.mean2(), 1);                                      // [M] mean(dxhat * xhat)
    tmp.assign(xhat).muliColumnVector(s.mean2Col());             // [M, H]
    dx.subiColumnVector(s.meanCol()).subi(tmp).muliColumnVector(s.rstdCol()); // [M, H]
  }
}
