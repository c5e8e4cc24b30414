package org.llkd.models.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The student's element-wise and row-wise ops that are not GEMMs, each as one call: exact erf GELU, the attention
 * softmax over the last axis, LayerNorm over the last axis, each forward and backward. Two implementations compute
 * the same maths: {@link Nd4jOps} (composed ND4J ops, any data type and layout; the original code of the encoder
 * blocks) and the fused FLOAT kernels of the JDK's Vector API (see {@link Kernels} for which one runs).
 *
 * <p>Shapes: M = rows (B*T), F = intermediateSize, H = hiddenSize, B = batch, nh = numHeads, T = seqLen.
 * Arguments marked "scratch" are used by the ND4J implementation only; the fused kernels leave them alone.
 * Buffers documented as outputs are overwritten; outputs may alias inputs only where the method says so.
 */
public interface FusedOps {
  /**
   * Exact GELU forward: {@code cdf = Phi(h) = (1 + erf(h / sqrt2)) / 2}, {@code act = h * cdf}.
   *
   * @param h [M, F] pre-activation (not modified)
   * @param cdf [M, F] output Phi(h); the backward reads it. The ND4J implementation always writes it (it is its
   *     intermediate); the fused kernel writes it only when {@code keepCdf}
   * @param act [M, F] output gelu(h)
   * @param keepCdf whether {@code cdf} must hold Phi(h) afterwards (train mode)
   */
  void geluForward(INDArray h, INDArray cdf, INDArray act, boolean keepCdf);

  /**
   * GELU backward in place: {@code dAct *= gelu'(h) = Phi(h) + h * phi(h)}, {@code phi(h) = exp(-h^2/2) / sqrt(2 pi)}.
   *
   * @param h [M, F] pre-activation; cdf [M, F] Phi(h) from the forward
   * @param dAct [M, F] d(act) in, d(h) out
   * @param scratch [M, F] scratch (overwritten by the ND4J implementation with gelu'(h))
   */
  void geluBackward(INDArray h, INDArray cdf, INDArray dAct, INDArray scratch);

  /**
   * Masked softmax over the last axis: {@code probs = softmax(scores + maskBias[b, None, None, :])}.
   *
   * @param scores [B, nh, T, T] attention scores; the ND4J implementation adds the mask bias into it in place, the
   *     fused kernel leaves it unchanged (it is scratch afterwards either way)
   * @param maskBias [B, T] additive bias over the key axis ((1 - mask) * -10000)
   * @param probs [B, nh, T, T] output P, rows summing to 1
   */
  void softmaxForward(INDArray scores, INDArray maskBias, INDArray probs);

  /**
   * Softmax backward in place: {@code dP <- dS = P * (dP - rowsum(dP * P))}.
   *
   * @param probs [B, nh, T, T] P of the forward
   * @param dP [B, nh, T, T] d(P) in, d(scores) out
   * @param scratch [B, nh, T, T] scratch; rowSum [B, nh, T] scratch
   */
  void softmaxBackward(INDArray probs, INDArray dP, INDArray scratch, INDArray rowSum);

  /**
   * LayerNorm forward over the last axis: {@code y = gain * xhat + bias}, {@code xhat = (x - mean) * rstd},
   * {@code rstd = 1 / sqrt(var + eps)} with the biased variance of each row.
   *
   * @param x [M, H] input; y [M, H] output, may alias x
   * @param gain [H]; bias [H]
   * @param xhat [M, H] output (cache for the backward); rstd [M] output (cache). The fused kernel writes them only
   *     when {@code keepCaches}; the ND4J implementation always does
   * @param s the ND4J implementation's scratch buffers of this binding
   */
  void layerNormForward(INDArray x, INDArray gain, INDArray bias, double eps, INDArray xhat, INDArray rstd, INDArray y,
      boolean keepCaches, LayerNormScratch s);

  /**
   * LayerNorm backward: {@code dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))}, {@code dxhat = dy * gain},
   * and accumulates {@code gainGrad += colsum(dy * xhat)}, {@code biasGrad += colsum(dy)}.
   *
   * @param dy [M, H]; dx [M, H] output, may alias dy
   * @param xhat [M, H], rstd [M] the forward's caches; gain [H]
   * @param gainGrad [1, H], biasGrad [1, H] accumulated (+=)
   */
  void layerNormBackward(INDArray dy, INDArray xhat, INDArray rstd, INDArray gain, INDArray gainGrad, INDArray biasGrad,
      INDArray dx, LayerNormScratch s);
}
