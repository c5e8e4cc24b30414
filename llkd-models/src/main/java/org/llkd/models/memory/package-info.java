/**
 * Native (off-heap) memory of training and evaluation: {@link org.llkd.models.memory.NativeArrays} allocates the
 * long-lived buffers (parameters, optimiser state, layer scratch) outside every ND4J workspace and frees them
 * explicitly, and {@link org.llkd.models.memory.StepWorkspace} gives each training step and each evaluation batch a
 * cyclic ND4J workspace for its temporaries, as DL4J's {@code MultiLayerNetwork} does for its working memory. Without
 * them ND4J frees a buffer only when the garbage collector collects its Java wrapper, so the resident size of a JVM
 * that runs many runs grows with the runs (docs/memory.md).
 *
 * <p>Imports ND4J only; never the encoder, optimiser, losses or checkpoints (they import this package).
 */
package org.llkd.models.memory;
