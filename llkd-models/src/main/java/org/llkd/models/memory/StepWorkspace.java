package org.llkd.models.memory;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A cyclic ND4J workspace for the temporaries of one unit of work that repeats (a training step, an evaluation
 * batch): every array created on this thread between {@link #enter} and the close of the returned scope is carved
 * out of one block of native memory, and closing the scope rewinds the block for the next unit. The configuration is
 * DL4J's for a layer's working memory ({@code MultiLayerNetwork}): no initial size, the size learned over the first
 * cycles ({@link LearningPolicy#OVER_TIME}), then reallocated (not spilled) when a larger unit needs more.
 *
 * <p>Nothing created inside a scope may be used after it closes: results that outlive it must be primitives or
 * arrays created outside (or copied out with {@link NativeArrays#detachedCopy}); long-lived buffers that a model
 * allocates lazily inside a scope go through {@link NativeArrays#detachedZeros}. {@link #close} frees the block; one
 * instance belongs to one thread (ND4J workspaces are per thread).
 */
public final class StepWorkspace implements AutoCloseable {
  /** DL4J's working-memory configuration (MultiLayerNetwork#getLayerWorkingMemWSConfig), learning over 3 cycles. */
  static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
      .initialSize(0)
      .overallocationLimit(0.02)
      .policyLearning(LearningPolicy.OVER_TIME)
      .cyclesBeforeInitialization(3)
      .policyReset(ResetPolicy.BLOCK_LEFT)
      .policySpill(SpillPolicy.REALLOCATE)
      .policyAllocation(AllocationPolicy.OVERALLOCATE)
      .build();

  private final String id;
  private final Thread owner;
  private boolean closed;

  /**
   * @param id the workspace's name, unique among the workspaces open at the same time on this thread (e.g. the run
   *     id plus "train-step")
   */
  public StepWorkspace(String id) {
    if (id == null || id.isBlank()) throw new IllegalArgumentException("workspace id must not be blank");
    this.id = id;
    this.owner = Thread.currentThread();
  }

  /** Opens the scope of one unit of work; close it (try-with-resources) when the unit is done. */
  public MemoryWorkspace enter() {
    checkUsable();
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
  }

  /** Bytes the workspace block holds now (0 before its first cycle has been learned). */
  public long bytes() {
    checkUsable();
    if (!Nd4j.getWorkspaceManager().checkIfWorkspaceExists(id)) return 0;
    return Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(CONFIG, id).getCurrentSize();
  }

  /** Frees the block (no scope of it may be open). Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("workspace " + id + " belongs to thread " + owner.getName() + "; close it there");
    }
    closed = true;
    if (Nd4j.getWorkspaceManager().checkIfWorkspaceExists(id)) {
      Nd4j.getWorkspaceManager().destroyWorkspace(Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(id));
    }
  }

  private void checkUsable() {
    if (closed) throw new IllegalStateException("workspace " + id + " is closed");
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("workspace " + id + " belongs to thread " + owner.getName() + ", used from "
          + Thread.currentThread().getName());
    }
  }
}
