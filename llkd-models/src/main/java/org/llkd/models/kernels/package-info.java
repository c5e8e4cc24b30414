/**
 * Fused kernels for the student's non-GEMM ops: exact erf GELU, the attention softmax and LayerNorm, forward and
 * backward, each one vectorised pass over ND4J's native buffers instead of 4-9 libnd4j passes.
 *
 * <p>{@link org.llkd.models.kernels.FusedOps} names the ops; {@link org.llkd.models.kernels.Nd4jOps} is the composed
 * ND4J code (the reference and the fallback, every data type); {@code VectorOps} is the FLOAT implementation with the
 * JDK's incubating Vector API ({@code jdk.incubator.vector}), its rows split over a fixed pool of threads
 * ({@code KernelThreads}: {@code OMP_NUM_THREADS}, else the processors); {@link org.llkd.models.kernels.Kernels}
 * picks one per call ({@code -Dllkd.kernels=vector|nd4j}, the module, the data type and layout) and describes the
 * choice for provenance. Measurements and the per-op defaults: docs/performance.md, "Fused kernels (Vector API)".
 *
 * <p>The JVM needs {@code --add-modules jdk.incubator.vector} for the fused path (the launcher, surefire, the JMH
 * forks and the scripts pass it, and print the JVM's "Using incubator modules" warning); without it only the ND4J
 * ops run. Only {@code VectorOps} may reference {@code jdk.incubator.vector}.
 *
 * <p>Imports only ND4J, SLF4J and {@code org.llkd.models.memory}; used by {@code org.llkd.models.encoder}.
 */
package org.llkd.models.kernels;
