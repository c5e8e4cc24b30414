package org.llkd.models.memory;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Long-lived native arrays: allocated outside any ND4J workspace (so a step's or an evaluation batch's workspace,
 * which is reused by the next one, never owns them) and freed by {@link #close}, not by the garbage collector.
 */
public final class NativeArrays {
  private NativeArrays() {}

  /** A zero-filled c-order array [shape] that belongs to no workspace, whatever workspace is open on this thread. */
  public static INDArray detachedZeros(DataType dataType, long... shape) {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return Nd4j.create(dataType, shape);
    }
  }

  /** A c-order copy of {@code a} that belongs to no workspace (free it with {@link #close}). */
  public static INDArray detachedCopy(INDArray a) {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return a.dup('c');
    }
  }

  /**
   * Frees the native buffer of {@code a} now. Null, an array already freed, an array of a workspace (the workspace
   * frees it) and a view (its owner frees the buffer) are left alone: call it on the arrays a class allocated.
   */
  public static void close(INDArray a) {
    if (a != null && a.closeable()) a.close();
  }
}
