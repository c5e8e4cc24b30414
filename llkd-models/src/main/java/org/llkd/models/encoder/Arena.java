package org.llkd.models.encoder;

import java.util.HashMap;
import java.util.Map;
import org.llkd.models.memory.NativeArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Named scratch buffers of one block. Each name owns one flat off-heap array that only ever grows (to
 * the largest shape requested); {@link #view} hands out a c-order view of its prefix in the requested
 * shape. Allocation happens only when a shape exceeds the capacity seen so far, so with dynamic padding
 * the step loop allocates nothing once the longest batch has been seen (or after
 * {@link StudentTransformer#reserve}).
 *
 * <p>The buffers live outside every ND4J workspace (a step's workspace must not own them: it is reused by the next
 * step) and are freed by {@link #close}, not by the garbage collector.
 */
final class Arena {
  private final Map<String, INDArray> backing = new HashMap<>(); // name -> [capacity]

  /** A zero-initialised-at-allocation, c-order view [shape] of buffer {@code name}; contents are not cleared. */
  INDArray view(String name, DataType dataType, long... shape) {
    long len = 1;
    for (long d : shape) len *= d;
    INDArray b = backing.get(name);
    if (b == null || b.length() < len || b.dataType() != dataType) {
      INDArray old = backing.put(name, b = NativeArrays.detachedZeros(dataType, Math.max(len, 1))); // [capacity]
      NativeArrays.close(old); // views of the old buffer handed out before this bind are dead now
    }
    INDArray v = b.get(NDArrayIndex.interval(0, len)).reshape('c', shape);
    if (v.data() != b.data() && v.data().originalDataBuffer() != b.data()
        && v.data().underlyingDataBuffer() != b.data().underlyingDataBuffer()) {
      throw new IllegalStateException("buffer '" + name + "': reshape to a view copied the data; cannot use it as a buffer");
    }
    return v;
  }

  /** Frees every buffer; views handed out before are invalid afterwards. */
  void close() {
    for (INDArray b : backing.values()) NativeArrays.close(b);
    backing.clear();
  }

  /** Bytes held (for diagnostics). */
  long bytes() {
    long n = 0;
    for (INDArray b : backing.values()) n += b.length() * b.dataType().width();
    return n;
  }
}
