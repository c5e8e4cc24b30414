package org.llkd.models.kernels;

import org.llkd.models.memory.NativeArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The scratch buffers of the ND4J LayerNorm ({@link Nd4jOps#layerNormForward}, {@link Nd4jOps#layerNormBackward}) for
 * one binding of M rows; the fused kernels do not use them.
 *
 * @param mean [M] mean of x, then mean(dxhat) in the backward; meanCol [M, 1] the same data
 * @param mean2 [M] mean(dxhat * xhat); mean2Col [M, 1] the same data
 * @param rstdCol [M, 1] the rstd cache [M] viewed as a column
 * @param tmp [M, H]
 * @param ones [1, M] all ones (column sums by GEMM)
 */
public record LayerNormScratch(INDArray mean, INDArray meanCol, INDArray mean2, INDArray mean2Col, INDArray rstdCol,
    INDArray tmp, INDArray ones) {

  /** Scratch over the given [M] and [M, H] buffers; fills {@code ones} with 1 and makes the column views. */
  public static LayerNormScratch over(INDArray mean, INDArray mean2, INDArray rstd, INDArray tmp, INDArray ones) {
    long m = mean.length();
    ones.assign(1.0);
    return new LayerNormScratch(mean, mean.reshape('c', m, 1), mean2, mean2.reshape('c', m, 1),
        rstd.reshape('c', m, 1), tmp, ones);
  }

  /** Freshly allocated scratch for {@code rows} x {@code hidden} (benchmarks and tests; free with {@link #close}). */
  public static LayerNormScratch allocate(DataType dt, long rows, long hidden, INDArray rstd) {
    return over(NativeArrays.detachedZeros(dt, rows), NativeArrays.detachedZeros(dt, rows), rstd,
        NativeArrays.detachedZeros(dt, rows, hidden), NativeArrays.detachedZeros(dt, 1, rows));
  }

  /** Frees the buffers of {@link #allocate} (not {@code rstd}'s, which the caller owns). */
  public void close() {
    NativeArrays.close(mean);
    NativeArrays.close(mean2);
    NativeArrays.close(tmp);
    NativeArrays.close(ones);
  }
}
