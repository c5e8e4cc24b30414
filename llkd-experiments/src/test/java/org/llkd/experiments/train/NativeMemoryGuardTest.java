package org.llkd.experiments.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The resident-memory guard with a simulated resident size and garbage collector. */
class NativeMemoryGuardTest {
  private static final long GIB = 1L << 30;

  @Test
  void belowThreeQuartersOfTheLimitNothingIsCollected() {
    AtomicLong rss = new AtomicLong(2 * GIB);
    int[] gcs = {0};
    NativeMemoryGuard g = new NativeMemoryGuard(4 * GIB, rss::get, () -> gcs[0]++);
    g.beforeStep("run", 0);
    rss.set(3 * GIB - 1);
    g.beforeStep("run", 1);
    assertEquals(0, gcs[0]);
    assertEquals(3 * GIB - 1, g.peak());
  }

  @Test
  void deadBuffersAreCollectedWhenTheRunNearsTheLimit() {
    AtomicLong rss = new AtomicLong(3 * GIB + 1);
    // the collection frees the dead native buffers: back to 1.5 GiB
    NativeMemoryGuard g = new NativeMemoryGuard(4 * GIB, rss::get, () -> rss.set(3 * GIB / 2));
    g.beforeStep("run", 7);
    assertEquals(1, g.collections());
    rss.set(5 * GIB); // over the limit before the step, but mostly garbage
    g.beforeStep("run", 8);
    assertEquals(2, g.collections());
    assertEquals(5 * GIB, g.peak());
  }

  @Test
  void aRunWhoseLiveStateDoesNotFitStopsWithAClearError() {
    AtomicLong rss = new AtomicLong(5 * GIB);
    NativeMemoryGuard g = new NativeMemoryGuard(4 * GIB, rss::get, () -> rss.set(rss.get() - GIB / 4));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.beforeStep("emotion-llkd-s1", 42));
    String m = e.getMessage();
    for (String part : new String[] {"emotion-llkd-s1 step 42", "4.75 GiB", "4.00 GiB", "maxphysicalbytes",
        "LLKD_MAX_RSS", "--batch-size", "--resume"}) {
      assertTrue(m.contains(part), "'" + part + "' missing in: " + m);
    }
  }

  @Test
  void noLimitOnlyRecordsThePeak() {
    AtomicLong rss = new AtomicLong(50 * GIB);
    NativeMemoryGuard g = new NativeMemoryGuard(0, rss::get, () -> {
      throw new AssertionError("no collection without a limit");
    });
    g.beforeStep("run", 0);
    assertEquals(50 * GIB, g.peak());
  }
}
