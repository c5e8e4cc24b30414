package org.llkd.experiments.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The resident-memory guard with a simulated resident size, and its limit parser. */
class NativeMemoryGuardTest {
  private static final long GIB = 1L << 30;

  @Test
  void underTheLimitTheRunGoesOnAndThePeakIsRecorded() {
    AtomicLong rss = new AtomicLong(2 * GIB);
    NativeMemoryGuard g = new NativeMemoryGuard(4 * GIB, rss::get);
    g.beforeStep("run", 0);
    rss.set(4 * GIB);
    g.beforeStep("run", 1); // at the limit is still within it
    rss.set(3 * GIB);
    g.beforeStep("run", 2);
    assertEquals(4 * GIB, g.peak());
  }

  @Test
  void overTheLimitTheRunStopsWithAClearError() {
    AtomicLong rss = new AtomicLong(4 * GIB + 3 * GIB / 4);
    NativeMemoryGuard g = new NativeMemoryGuard(4 * GIB, rss::get);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.beforeStep("emotion-llkd-s1", 42));
    String m = e.getMessage();
    for (String part : new String[] {"emotion-llkd-s1 step 42", "4.75 GiB", "4.00 GiB", "-Dllkd.maxResidentBytes",
        "LLKD_MAX_RSS", "--batch-size", "--resume"}) {
      assertTrue(m.contains(part), "'" + part + "' missing in: " + m);
    }
  }

  @Test
  void noLimitOnlyRecordsThePeak() {
    NativeMemoryGuard g = new NativeMemoryGuard(0, () -> 50 * GIB);
    g.beforeStep("run", 0);
    assertEquals(50 * GIB, g.peak());
  }

  @Test
  void limitsParseWithSuffixesAndBadOnesAreNamed() {
    assertEquals(6 * GIB, NativeMemoryGuard.parseBytes("6G"));
    assertEquals(512L << 20, NativeMemoryGuard.parseBytes("512m"));
    assertEquals(4_000_000_000L, NativeMemoryGuard.parseBytes("4000000000"));
    assertEquals(0, NativeMemoryGuard.parseBytes(null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NativeMemoryGuard.parseBytes("six gigs"));
    assertTrue(e.getMessage().contains("-Dllkd.maxResidentBytes=six gigs"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NativeMemoryGuard.parseBytes("-1G"));
  }
}
