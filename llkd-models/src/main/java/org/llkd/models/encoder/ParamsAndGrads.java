package org.llkd.models.encoder;

import org.llkd.models.params.NamedParams;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Looks up a parameter and its gradient twin by HF name. */
record ParamsAndGrads(NamedParams params, NamedParams grads) {
  INDArray param(String name) { return params.get(name); }

  INDArray grad(String name) { return grads.get(name); }

  /** The rank-1 gradient {@code name} as a [1, n] view, for bias gradients computed as ones[1,M] dY. */
  INDArray gradRow(String name) {
    INDArray g = grads.get(name);
    INDArray row = g.reshape('c', 1, g.length()); // [1, n] view
    return row;
  }
}
