package org.llkd.models.kernels;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits a kernel's rows over a fixed number of threads: {@code threads - 1} daemon workers plus the calling thread.
 * The split is a fixed function of (n, parts): part p gets rows [n p / parts, n (p + 1) / parts), rounded to a
 * multiple of {@code align}. The kernels compute each row (or element) the same way whichever part holds it, so the
 * results do not depend on the split or on the thread count.
 *
 * <p>Concurrent callers (two models in one JVM) share the workers: their parts queue and each caller waits for its
 * own. No part waits on another part, so the queue cannot deadlock.
 */
final class KernelThreads {
  /** A range body: processes rows [from, to). */
  @FunctionalInterface
  interface Range {
    void run(int from, int to);
  }

  private static final AtomicInteger NAMES = new AtomicInteger();

  private final int threads;
  private final ExecutorService workers; // threads - 1 of them; null when threads == 1

  KernelThreads(int threads) {
    if (threads < 1) throw new IllegalArgumentException("kernel threads: " + threads + ", expected >= 1");
    this.threads = threads;
    this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "llkd-kernel-" + NAMES.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  int threads() { return threads; }

  /**
   * Runs {@code body} over [0, n) in at most {@code threads} contiguous parts of at least {@code minPerPart} rows
   * (fewer parts when n is small; one part runs on the caller without a hand-off), part boundaries at multiples of
   * {@code align}.
   */
  void run(int n, int minPerPart, int align, Range body) {
    int parts = (int) Math.max(1, Math.min(threads, (long) n / Math.max(1, minPerPart)));
    if (parts == 1 || workers == null) {
      body.run(0, n);
      return;
    }
    Future<?>[] pending = new Future<?>[parts - 1];
    for (int p = 1; p < parts; p++) {
      int from = bound(n, p, parts, align), to = bound(n, p + 1, parts, align);
      pending[p - 1] = workers.submit(() -> body.run(from, to));
    }
    Throwable failure = null;
    try {
      body.run(0, bound(n, 1, parts, align));
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (Future<?> f : pending) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) failure = e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (failure == null) failure = e;
      }
    }
    if (failure instanceof RuntimeException r) throw r;
    if (failure instanceof Error err) throw err;
    if (failure != null) throw new IllegalStateException("kernel part failed", failure);
  }

  private static int bound(int n, int p, int parts, int align) {
    if (p >= parts) return n;
    long b = (long) n * p / parts;
    return (int) (b - b % align);
  }

  /**
   * The process's compute threads, as ND4J's own ops use them: {@code OMP_NUM_THREADS} when set to a positive
   * integer, else the available processors.
   */
  static int configured() {
    String omp = System.getenv("OMP_NUM_THREADS");
    if (omp != null && !omp.isBlank()) {
      try {
        int n = Integer.parseInt(omp.trim());
        if (n >= 1) return n;
      } catch (NumberFormatException e) {
        // not a number (OpenMP also accepts lists): the processor count, as below
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }
}
