package org.llkd.experiments.train;

import java.util.Locale;
import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;

/**
 * Keeps a training run's resident memory under a limit, checked before every step.
 *
 * <p>ND4J keeps array data in native buffers that {@code org.bytedeco.javacpp.maxbytes} does not count and that are
 * freed only when the garbage collector collects their Java wrappers; with a large, mostly empty heap that can take
 * long enough for a run to hold several GiB of dead buffers (docs/memory.md). The limit is JavaCPP's physical-memory
 * limit, {@code -Dorg.bytedeco.javacpp.maxphysicalbytes} ({@link Pointer#maxPhysicalBytes()}; JavaCPP's default is
 * twice the maximum heap), and the resident size is JavaCPP's {@link Pointer#physicalBytes()}. When the resident
 * size passes {@link #COLLECT_AT} of the limit the guard collects garbage (so ND4J's deallocator frees the dead
 * buffers) and waits briefly for it; if the run is still above the limit after that, the live state itself does not
 * fit and the run stops with an error that names the limit, the resident size and what to change. The last epoch's
 * checkpoint stays, so {@code --resume} continues after the limit is raised. JavaCPP enforces the same limit on its
 * own allocations with an {@link OutOfMemoryError} from deep inside an op; the guard acts first.
 */
public final class NativeMemoryGuard {
  /** Fraction of the limit at which the guard collects garbage. */
  public static final double COLLECT_AT = 0.75;
  private static final int SETTLE_TRIES = 5;
  private static final long SETTLE_MILLIS = 50;

  private final long limit;
  private final LongSupplier resident;
  private final Runnable collect;
  private int collections;
  private long peak;

  /**
   * @param limit resident-size limit in bytes (0 or less: no limit, the guard only records the peak)
   * @param resident current resident size in bytes
   * @param collect what frees dead native buffers ({@link System#gc()} outside tests)
   */
  public NativeMemoryGuard(long limit, LongSupplier resident, Runnable collect) {
    this.limit = limit;
    this.resident = resident;
    this.collect = collect;
  }

  /** The guard of this JVM: JavaCPP's {@code maxphysicalbytes} and resident size, {@link System#gc()}. */
  public static NativeMemoryGuard ofThisJvm() {
    return new NativeMemoryGuard(Pointer.maxPhysicalBytes(), Pointer::physicalBytes, System::gc);
  }

  /** Checks before step {@code step} of run {@code runId}; throws {@link IllegalStateException} over the limit. */
  public void beforeStep(String runId, int step) {
    long rss = resident.getAsLong();
    peak = Math.max(peak, rss);
    if (limit <= 0 || rss < COLLECT_AT * limit) return;
    collect.run();
    collections++;
    for (int i = 0; i < SETTLE_TRIES && rss >= COLLECT_AT * limit; i++) {
      try {
        Thread.sleep(SETTLE_MILLIS); // ND4J's deallocator thread frees the collected buffers
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      rss = resident.getAsLong();
    }
    if (rss > limit) {
      throw new IllegalStateException(String.format(Locale.ROOT, "%s step %d: resident memory %s exceeds the limit %s "
          + "(-Dorg.bytedeco.javacpp.maxphysicalbytes, LLKD_MAX_RSS for ./llkd) even after a garbage collection: the "
          + "run's live state does not fit. Raise the limit (docs/memory.md: about 3 GiB for the quick tier, 10 GiB "
          + "for the full tier) or lower --batch-size / --max-length; the last epoch's checkpoint is kept, rerun with "
          + "--resume", runId, step, gib(rss), gib(limit)));
    }
  }

  /** Garbage collections the guard asked for so far. */
  public int collections() {
    return collections;
  }

  /** Largest resident size seen before a step, in bytes. */
  public long peak() {
    return peak;
  }

  /** The limit in bytes (0 or less: none). */
  public long limit() {
    return limit;
  }

  static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
