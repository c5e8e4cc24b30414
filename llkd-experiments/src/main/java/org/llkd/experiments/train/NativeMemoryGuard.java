package org.llkd.experiments.train;

import java.util.Locale;
import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;

/**
 * Stops a training run cleanly when the process's resident memory passes a limit, checked before every step.
 *
 * <p>ND4J keeps array data in native buffers that neither {@code -Xmx} nor {@code org.bytedeco.javacpp.maxbytes}
 * counts (docs/memory.md), so without a check an oversized run grows until the kernel's OOM killer ends the JVM,
 * losing the epoch in progress without a word. The limit is {@code -Dllkd.maxResidentBytes} (e.g. {@code 6G}; the
 * {@code ./llkd} launcher passes {@code LLKD_MAX_RSS}, default 6G), the resident size JavaCPP's
 * {@link Pointer#physicalBytes()}. Over the limit the run stops before the step with an {@link IllegalStateException}
 * naming the limit, the resident size and what to change; the last epoch's checkpoint stays, so {@code --resume}
 * continues once the limit is raised.
 *
 * <p>The guard deliberately does not force garbage collections to win memory back: a first version that called
 * {@code System.gc()} before every step near a 2 GiB JavaCPP {@code maxphysicalbytes} limit crashed the JVM inside
 * libnd4j ({@code sd::DataBuffer::primary()} in a broadcast op, quick tier, 2026-11-25; forced collections and
 * JavaCPP's own mid-op collections under that limit were not told apart), so neither is used (docs/memory.md).
 */
public final class NativeMemoryGuard {
  /** The system property holding the limit (bytes, with a K/M/G/T suffix, or a percentage of RAM). */
  public static final String PROPERTY = "llkd.maxResidentBytes";

  private final long limit;
  private final LongSupplier resident;
  private long peak;
  private long peakAnywhere;

  /**
   * @param limit resident-size limit in bytes (0 or less: no limit, the guard only records the peak)
   * @param resident current resident size in bytes
   */
  public NativeMemoryGuard(long limit, LongSupplier resident) {
    this.limit = limit;
    this.resident = resident;
  }

  /** The guard of this JVM: the limit from {@value #PROPERTY} (none if unset), JavaCPP's resident size. */
  public static NativeMemoryGuard ofThisJvm() {
    return new NativeMemoryGuard(parseBytes(System.getProperty(PROPERTY)), Pointer::physicalBytes);
  }

  /**
   * {@code 123}, {@code 512M}, {@code 6G}, {@code 50%} (of the machine's RAM) → bytes, parsed by JavaCPP's
   * {@link Pointer#parseBytes} as its own memory flags are; null or blank → 0 (no limit).
   */
  public static long parseBytes(String s) {
    if (s == null || s.isBlank()) return 0;
    long v;
    try {
      v = Pointer.parseBytes(s.trim(), Pointer.totalPhysicalBytes());
    } catch (NumberFormatException e) {
      v = -1;
    }
    if (v < 0) {
      throw new IllegalArgumentException("bad -D" + PROPERTY + "=" + s + ": expected a byte count such as 6G, 512M, "
          + "4000000000 or 50%");
    }
    return v;
  }

  /** Checks before step {@code step} of run {@code runId}; throws {@link IllegalStateException} over the limit. */
  public void beforeStep(String runId, int step) {
    long rss = resident.getAsLong();
    peak = Math.max(peak, rss);
    if (limit > 0 && rss > limit) {
      throw new IllegalStateException(String.format(Locale.ROOT, "%s step %d: resident memory %s exceeds the limit %s "
          + "(-D%s; LLKD_MAX_RSS for ./llkd). Raise the limit (docs/memory.md: about 4 GiB for the quick tier, "
          + "10 GiB for the full tier, per run: runs in one JVM under --engine spark local[k] or sweep workers share "
          + "it) or lower --batch-size / --max-length; the last epoch's checkpoint is kept, rerun with --resume",
          runId, step, gib(rss), gib(limit), PROPERTY));
    }
  }

  /** Largest resident size seen before a step, in bytes. */
  public long peak() {
    return peak;
  }

  /** Samples the resident size outside the step loop (after an evaluation, at the end); returns it in bytes. */
  public long sample() {
    long rss = resident.getAsLong();
    peakAnywhere = Math.max(peakAnywhere, rss);
    return rss;
  }

  /** Largest resident size seen before a step or by {@link #sample}, in bytes. */
  public long peakAnywhere() {
    return Math.max(peak, peakAnywhere);
  }

  /** The limit in bytes (0 or less: none). */
  public long limit() {
    return limit;
  }

  static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
