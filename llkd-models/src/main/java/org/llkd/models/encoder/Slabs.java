package org.llkd.models.encoder;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * In-place compaction of a batch-major buffer (c-order, sample index outermost: [M, H] with M = B*T,
 * [B, nh, T, T], [B, H], ...): the slabs of the kept samples move, in order, to the front, so the first
 * {@code rows.length} slabs of the same memory hold them. A view of the smaller batch bound afterwards
 * (buffers are {@link Arena} prefixes) then sees exactly the kept samples; nothing is allocated.
 */
final class Slabs {
  private Slabs() {}

  /**
   * Moves slab {@code rows[j]} to slab {@code j} for every j.
   *
   * @param rows strictly ascending sample indices in [0, batch) (so a source is never overwritten before it is read)
   */
  static void keep(INDArray buffer, int batch, int[] rows) {
    INDArray slabs = buffer.reshape('c', batch, buffer.length() / batch); // [B, slab] view
    for (int j = 0; j < rows.length; j++) {
      if (rows[j] != j) slabs.getRow(j).assign(slabs.getRow(rows[j]));
    }
  }
}
