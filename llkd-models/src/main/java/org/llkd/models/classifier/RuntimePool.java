package org.llkd.models.classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The inference runtimes of one {@link TextClassifier}: a runtime that is not thread-safe (the ND4J student owns its
 * activation buffers) is used by one caller at a time, so concurrent callers each borrow their own, created on demand
 * up to {@code maxSize} (a caller beyond that waits for one to come back). A thread-safe runtime (onnxruntime's
 * session) is shared by every caller and never copied.
 *
 * <p>Memory: each extra ND4J runtime shares the weights but holds its own activation buffers (and a zeroed gradient
 * copy the student allocates), so {@code maxSize} bounds the classifier's memory.
 */
final class RuntimePool implements AutoCloseable {
  private final Supplier<InferenceRuntime> factory;
  private final InferenceRuntime shared; // non-null when the first runtime is thread-safe
  private final Semaphore permits;
  private final int maxSize;
  private final ConcurrentLinkedDeque<InferenceRuntime> idle = new ConcurrentLinkedDeque<>();
  private final List<InferenceRuntime> created = new ArrayList<>(); // guarded by this
  private boolean closing, closed; // guarded by this

  /**
   * @param first   a runtime already built (its thread-safety decides the mode)
   * @param factory builds another runtime like {@code first} (called only in pooled mode)
   * @param maxSize runtimes at most, in pooled mode; >= 1
   */
  RuntimePool(InferenceRuntime first, Supplier<InferenceRuntime> factory, int maxSize) {
    if (maxSize < 1) throw new IllegalArgumentException("maxConcurrency must be >= 1, found " + maxSize);
    this.factory = factory;
    this.maxSize = first.threadSafe() ? Integer.MAX_VALUE : maxSize;
    this.shared = first.threadSafe() ? first : null;
    this.permits = new Semaphore(this.maxSize, true);
    created.add(first);
    if (shared == null) idle.push(first);
  }

  /** Runs {@code work} on a runtime of its own (or the shared one); blocks while {@code maxSize} are busy. */
  <T> T with(java.util.function.Function<InferenceRuntime, T> work) {
    permits.acquireUninterruptibly();
    InferenceRuntime r = null;
    try {
      r = shared != null ? shared : borrow();
      return work.apply(r);
    } finally {
      if (r != null && shared == null) idle.push(r);
      permits.release();
    }
  }

  private InferenceRuntime borrow() {
    InferenceRuntime r = idle.poll();
    if (r != null) return r;
    synchronized (this) {
      if (closed) throw new IllegalStateException("TextClassifier is closed");
      r = factory.get();
      created.add(r);
      return r;
    }
  }

  /** Runtimes built so far (1 for a shared runtime). */
  synchronized int size() { return created.size(); }

  /** The first runtime (its name, for logs). */
  synchronized InferenceRuntime first() { return created.get(0); }

  /** Waits for every caller to finish, then closes every runtime. */
  @Override public void close() {
    synchronized (this) {
      if (closing) return; // a second close (e.g. from another thread) is a no-op
      closing = true;
    }
    permits.acquireUninterruptibly(maxSize);
    synchronized (this) {
      closed = true;
      for (InferenceRuntime r : created) r.close();
    }
  }
}
