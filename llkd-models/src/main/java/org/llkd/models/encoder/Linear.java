package org.llkd.models.encoder;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * y = x W + b with W stored [in, out] (as the ONNX MatMul initialisers), b [out]. Holds views into the
 * parameter and gradient buffers only; activations belong to the calling block.
 */
final class Linear {
  final String name;
  final INDArray weight;     // [in, out]
  final INDArray bias;       // [out]
  final INDArray weightGrad; // [in, out]
  final INDArray biasGrad;   // [1, out] view of the rank-1 gradient

  Linear(String name, ParamsAndGrads pg) {
    this.name = name;
    this.weight = pg.param(name + ".weight");
    this.bias = pg.param(name + ".bias");
    this.weightGrad = pg.grad(name + ".weight");
    this.biasGrad = pg.gradRow(name + ".bias");
  }

  long in() { return weight.size(0); }

  long out() { return weight.size(1); }

  /** y [M, out] = x [M, in] W [in, out] + b. */
  void forward(INDArray x, INDArray y) {
    Nd4j.gemm(x, weight, y, false, false, 1.0, 0.0); // [M, out]
    y.addiRowVector(bias);                           // [M, out] += [out]
  }

  /**
   * dW += x^T dY, db += 1^T dY, and dX (+)= dY W^T when dX is not null. dX may alias x (it is
   * written last), never dY.
   *
   * @param ones [1, M] of ones
   */
  void backward(INDArray x /*[M,in]*/, INDArray dY /*[M,out]*/, INDArray ones /*[1,M]*/, INDArray dX /*[M,in]*/,
      boolean accumulateDx) {
    Nd4j.gemm(x, dY, weightGrad, true, false, 1.0, 1.0); // [in, out] += [M,in]^T [M,out]
    Nd4j.gemm(ones, dY, biasGrad, false, false, 1.0, 1.0); // [1, out] += [1,M] [M,out]
    if (dX != null) {
      Nd4j.gemm(dY, weight, dX, false, true, 1.0, accumulateDx ? 1.0 : 0.0); // [M, in] (+)= [M,out] [in,out]^T
    }
  }
}
