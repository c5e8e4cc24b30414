package org.llkd.experiments.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Merges concurrent requests into batches. A worker takes the oldest request, then keeps taking requests in arrival
 * order while the batch has fewer than B texts and the first request has waited less than W; the batch (the
 * requests' texts concatenated) goes through the predictor in one call and each request gets its own rows back, in
 * order. A request larger than B forms a batch of its own (the classifier splits it into forwards of B).
 *
 * <p>Admission is bounded by texts, not requests: {@link #submit} refuses ({@link Rejected}) when the texts admitted
 * and not yet answered (queued or computing) would exceed the capacity, or after {@link #shutdown()}. Shutdown stops
 * admission and lets the workers answer everything already admitted before they exit.
 */
final class MicroBatcher {
  /** Probabilities [texts][classes] for a list of texts, in order; called by one worker at a time per batch. */
  interface Predictor {
    double[][] probabilities(List<String> texts);
  }

  /** Why a request was not admitted. */
  static final class Rejected extends Exception {
    final boolean shuttingDown;

    Rejected(String message, boolean shuttingDown) {
      super(message);
      this.shuttingDown = shuttingDown;
    }
  }

  private record Job(List<String> texts, CompletableFuture<double[][]> result) {}

  private final Predictor predictor;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final int capacity;
  private final IntConsumer onBatch;
  private final LinkedBlockingDeque<Job> queue = new LinkedBlockingDeque<>();
  private final AtomicInteger admitted = new AtomicInteger(); // texts queued or computing
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean accepting = true;

  /**
   * @param onBatch told the size (texts) of every batch before it runs (metrics)
   */
  MicroBatcher(Predictor predictor, int maxBatch, int maxWaitMillis, int capacity, int workers, IntConsumer onBatch) {
    this.predictor = predictor;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    this.capacity = capacity;
    this.onBatch = onBatch;
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, "llkd-batcher-" + i);
      t.setDaemon(true);
      this.workers.add(t);
      t.start();
    }
  }

  /** Admits {@code texts} (non-empty) or refuses; the future completes with their probabilities, in order. */
  CompletableFuture<double[][]> submit(List<String> texts) throws Rejected {
    int n = texts.size();
    while (true) {
      int cur = admitted.get();
      if (cur + n > capacity) {
        throw new Rejected("server busy: " + cur + " texts queued or computing, capacity " + capacity + "; retry later", false);
      }
      if (admitted.compareAndSet(cur, cur + n)) break;
    }
    if (!accepting) { // checked after admission, so a worker that saw admitted == 0 after shutdown() saw the last job
      admitted.addAndGet(-n);
      throw new Rejected("server shutting down", true);
    }
    CompletableFuture<double[][]> f = new CompletableFuture<>();
    queue.addLast(new Job(List.copyOf(texts), f));
    return f;
  }

  /** Texts admitted and not yet answered. */
  int pending() { return admitted.get(); }

  /** Stops admitting; workers answer what was admitted, then exit. */
  void shutdown() { accepting = false; }

  /** After {@link #shutdown()}: waits up to {@code millis} for the workers to finish; true when they all did. */
  boolean awaitTermination(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (Thread t : workers) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left > 0) t.join(left);
      if (t.isAlive()) return false;
    }
    return true;
  }

  private void work() {
    try {
      while (true) {
        Job first = queue.pollFirst(20, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (!accepting && admitted.get() == 0) return;
          continue;
        }
        List<Job> jobs = new ArrayList<>();
        jobs.add(first);
        int n = first.texts().size();
        long deadline = System.nanoTime() + maxWaitNanos;
        while (n < maxBatch) {
          long left = accepting ? deadline - System.nanoTime() : 0;
          Job next = left > 0 ? queue.pollFirst(left, TimeUnit.NANOSECONDS) : queue.pollFirst();
          if (next == null) break;
          if (n + next.texts().size() > maxBatch) {
            queue.addFirst(next); // keeps its place for the next batch
            break;
          }
          jobs.add(next);
          n += next.texts().size();
        }
        run(jobs, n);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run(List<Job> jobs, int n) {
    try {
      List<String> texts = new ArrayList<>(n);
      for (Job j : jobs) texts.addAll(j.texts());
      onBatch.accept(n);
      double[][] p = predictor.probabilities(texts); // [n][C]
      if (p.length != n) throw new IllegalStateException("predictor returned " + p.length + " rows for " + n + " texts");
      int from = 0;
      for (Job j : jobs) {
        int k = j.texts().size();
        double[][] rows = new double[k][];
        System.arraycopy(p, from, rows, 0, k);
        from += k;
        j.result().complete(rows);
      }
    } catch (Throwable t) { // every waiting request gets the failure, none hangs
      for (Job j : jobs) j.result().completeExceptionally(t);
    } finally {
      admitted.addAndGet(-n);
    }
  }
}
