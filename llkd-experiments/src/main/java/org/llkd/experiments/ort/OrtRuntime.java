package org.llkd.experiments.ort;

import ai.onnxruntime.OrtEnvironment;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Creates onnxruntime's process-wide environment where onnxruntime's start-up cannot overflow its thread's stack.
 *
 * <p>What breaks without it (measured 2026-12-07, OpenJDK 17, onnxruntime 1.29.0, Linux x86-64): while the
 * environment is created, {@code libonnxruntime.so} reads {@code /proc/self/cmdline} and runs a {@code std::regex}
 * over it; libstdc++'s regex recurses once per character, so a long command line overflows the calling thread's
 * stack. With Java's default 1 MiB thread stack the JVM dies with SIGSEGV (exit 139, nothing printed, no
 * {@code hs_err} file) from a command line of 3,981 bytes on; a {@code -cp} of the project's 175 jars is ~10 KB,
 * which is why every onnxruntime path of {@code ./llkd} crashed while the tests (surefire passes its class path in a
 * manifest jar) passed. With {@code -Xss8m} a 4,616-byte command line starts; a {@value #INIT_STACK_BYTES}-byte
 * stack (address space only, pages are committed as used) covers Linux's largest command line (2 MiB) at the
 * measured ~256 bytes of stack per character. Sessions created later, on any thread, do not repeat the scan
 * (checked with a 9,133-byte command line). {@code ./llkd} also passes its class path in an {@code @argfile}.
 */
public final class OrtRuntime {
  /** Stack of the thread that creates the environment (bytes). */
  public static final long INIT_STACK_BYTES = 512L << 20;

  private static final AtomicReference<OrtEnvironment> ENV = new AtomicReference<>();

  private OrtRuntime() {}

  /** onnxruntime's process-wide environment, created on first use on a thread with {@link #INIT_STACK_BYTES}. */
  public static OrtEnvironment environment() {
    OrtEnvironment env = ENV.get();
    if (env != null) {
      return env;
    }
    synchronized (OrtRuntime.class) {
      if (ENV.get() == null) {
        ENV.set(createOnLargeStack());
      }
      return ENV.get();
    }
  }

  private static OrtEnvironment createOnLargeStack() {
    AtomicReference<OrtEnvironment> made = new AtomicReference<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread init = new Thread(null, () -> {
      try {
        made.set(OrtEnvironment.getEnvironment());
      } catch (Throwable t) { // rethrown on the caller's thread below
        failed.set(t);
      }
    }, "onnxruntime-init", INIT_STACK_BYTES);
    init.start();
    try {
      init.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while onnxruntime started", e);
    }
    if (failed.get() != null) {
      throw new IllegalStateException("onnxruntime could not start: " + failed.get(), failed.get());
    }
    return made.get();
  }
}
