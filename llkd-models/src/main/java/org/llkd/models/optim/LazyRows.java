package org.llkd.models.optim;

import org.llkd.models.memory.NativeArrays;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The row-wise (lazy) part of {@link AdamW}: a 2-D tensor {@code [rows, width]} at the start of the flat layout,
 * of which each step gathers the touched rows of parameters, gradients and both moments into compact buffers
 * {@code [k, width]}, and scatters parameters and moments back after the update. The compact buffers grow to the
 * largest {@code k} seen and are reused (a fresh off-heap array costs more than the update on the 2-core machines,
 * notes/PERFORMANCE.md section 1).
 */
final class LazyRows {
  private final String name;
  private final long rows;
  private final long width;
  private final DataType dataType;
  private INDArray gBuf, pBuf, mBuf, vBuf, uBuf; // [capacity, width] each
  private int capacity;

  private LazyRows(String name, long rows, long width, DataType dataType) {
    this.name = name;
    this.rows = rows;
    this.width = width;
    this.dataType = dataType;
  }

  /** The lazy part for tensor {@code name}, which must be the first tensor of {@code layout} and 2-D. */
  static LazyRows of(NamedParams layout, String name) {
    if (!layout.contains(name)) throw new IllegalArgumentException("cannot update unknown parameter '" + name + "' lazily");
    ParamSpec first = layout.specs().get(0);
    if (!first.name().equals(name)) {
      throw new IllegalArgumentException("the lazily updated tensor must be the first of the layout, expected "
          + first.name() + ", found " + name);
    }
    long[] shape = first.shape();
    if (shape.length != 2) {
      throw new IllegalArgumentException("the lazily updated tensor " + name + " must be 2-D, found shape "
          + java.util.Arrays.toString(shape));
    }
    return new LazyRows(name, shape[0], shape[1], layout.dataType());
  }

  String name() { return name; }

  /** Scalars of the tensor (the prefix of the flat buffers it occupies). */
  long length() { return rows * width; }

  /** Gathers the rows {@code touched} (k &gt; 0 distinct indices) of p, g, m, v for one step. */
  Bound bind(int[] touched, NamedParams params, NamedParams grads, INDArray mFlat, INDArray vFlat) {
    int k = touched.length;
    if (k == 0) throw new IllegalArgumentException("no touched row to bind");
    for (int i = 0; i < k; i++) {
      if (touched[i] < 0 || touched[i] >= rows) {
        throw new IllegalArgumentException("touched row " + touched[i] + " of " + name + " outside [0, " + rows + ")");
      }
    }
    ensureCapacity(k);
    INDArray idx = Nd4j.createFromArray(touched);  // [k] INT
    INDArray p = params.get(name);                 // [rows, width]
    INDArray g = grads.get(name);                  // [rows, width]
    INDArray m = table(mFlat);                     // [rows, width] view of the moment
    INDArray v = table(vFlat);                     // [rows, width]
    Bound b = new Bound(idx, p, m, v, view(gBuf, k), view(pBuf, k), view(mBuf, k), view(vBuf, k), view(uBuf, k));
    gather(g, idx, b.g());
    gather(p, idx, b.p());
    gather(m, idx, b.m());
    gather(v, idx, b.v());
    return b;
  }

  /** The first {@link #length()} scalars of a flat [1, N] buffer as a [rows, width] view. */
  private INDArray table(INDArray flat) {
    INDArray t = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, length())).reshape('c', rows, width);
    if (!t.isView() && t.data() != flat.data()) throw new IllegalStateException("moment table of " + name + " is a copy");
    return t;
  }

  private static INDArray view(INDArray buf, int k) {
    return buf.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()); // [k, width]
  }

  private static void gather(INDArray table, INDArray idx, INDArray out) {
    Gather op = new Gather(table, idx, 0);
    op.addOutputArgument(out);
    Nd4j.exec(op); // [k, width] rows of table at idx
  }

  private void ensureCapacity(int k) {
    if (k <= capacity) return;
    int cap = Math.max(k, capacity * 2);
    close(); // called inside a step's workspace: the buffers outlive it, so they are allocated outside
    gBuf = NativeArrays.detachedZeros(dataType, cap, width); // [cap, width]
    pBuf = NativeArrays.detachedZeros(dataType, cap, width);
    mBuf = NativeArrays.detachedZeros(dataType, cap, width);
    vBuf = NativeArrays.detachedZeros(dataType, cap, width);
    uBuf = NativeArrays.detachedZeros(dataType, cap, width);
    capacity = cap;
  }

  /** Frees the row buffers (they are reallocated on the next bind). */
  void close() {
    for (INDArray b : new INDArray[] {gBuf, pBuf, mBuf, vBuf, uBuf}) NativeArrays.close(b);
    gBuf = pBuf = mBuf = vBuf = uBuf = null;
    capacity = 0;
  }

  /** One step's gathered rows: compact g, p, m, v and the update u, each [k, width]. */
  record Bound(INDArray idx, INDArray pTable, INDArray mTable, INDArray vTable,
      INDArray g, INDArray p, INDArray m, INDArray v, INDArray u) {
    /** Writes the updated rows of p, m and v back into their tables. */
    void scatterBack() {
      scatter(pTable, p);
      scatter(mTable, m);
      scatter(vTable, v);
    }

    private void scatter(INDArray table, INDArray rows) {
      Nd4j.exec(DynamicCustomOp.builder("scatter_upd").addInputs(table, idx, rows).addOutputs(table).build());
      // table[idx[i]] = rows[i]
    }
  }
}
