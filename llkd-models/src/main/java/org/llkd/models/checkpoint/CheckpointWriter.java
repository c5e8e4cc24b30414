package org.llkd.models.checkpoint;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.llkd.models.optim.AdamW;
import org.llkd.models.params.NamedParams;

/**
 * Writes checkpoints on a background thread so that training goes on while the file is written and forced to disk.
 * {@link #submit} copies what resuming needs (parameters and the AdamW moments: 3 x 62 MB for a 2-layer MiniLM
 * student, about 0.1 s of memory copies) on the calling thread, then {@link CheckpointIO#save} writes the copies
 * atomically (temporary file, fsync, rename) on the writer's thread and frees them. At most one write is in flight:
 * a second {@code submit} first waits for the previous one, so checkpoints land in order and at most one copy is
 * held. A failed write is thrown (as {@link IllegalStateException}, with the cause) by the next {@code submit},
 * {@link #await} or {@link #close}.
 */
public final class CheckpointWriter implements AutoCloseable {
  private final ExecutorService thread;
  private Future<?> pending;

  /** @param name names the writer thread (e.g. the run id), for thread dumps */
  public CheckpointWriter(String name) {
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "checkpoint-writer-" + name);
      t.setDaemon(true); // a JVM that exits mid-write leaves the previous checkpoint under the final name
      return t;
    });
  }

  /** Copies {@code params} and {@code optimizer}'s state now and writes them with {@code metadata} to {@code file}. */
  public void submit(Path file, NamedParams params, AdamW optimizer, Map<String, ?> metadata) {
    await();
    NamedParams p = params.copy();
    AdamW.State s;
    try {
      s = optimizer.snapshot();
    } catch (RuntimeException | Error e) {
      p.close();
      throw e;
    }
    AdamW.Config config = optimizer.config();
    pending = thread.submit(() -> {
      try {
        CheckpointIO.save(file, p, s, config, metadata);
      } finally {
        p.close();
        s.close();
      }
    });
  }

  /** Waits until the last submitted checkpoint is on disk; rethrows its failure. */
  public void await() {
    Future<?> f = pending;
    pending = null;
    if (f == null) return;
    boolean interrupted = false;
    while (true) {
      try {
        f.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // finish the write: a half-done checkpoint must not be abandoned
      } catch (ExecutionException e) {
        throw new IllegalStateException("writing a checkpoint failed: " + e.getCause().getMessage(), e.getCause());
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  /** Waits for the last write and stops the thread. */
  @Override
  public void close() {
    try {
      await();
    } finally {
      thread.shutdown();
    }
  }
}
