package org.llkd.experiments.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** run.log: DEBUG lines of the run's own thread, none of other threads or after close; appends on resume. */
class RunLogTest {
  private static final Logger LOG = LoggerFactory.getLogger("org.llkd.experiments.log.RunLogTest");

  @Test
  void keepsDebugLinesOfItsOwnRunOnly(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Files.createDirectories(a);
    Files.createDirectories(b);
    try (RunLog la = RunLog.open(a, "run-a")) {
      LOG.debug("debug line of a");
      Thread other = new Thread(() -> {
        try (RunLog lb = RunLog.open(b, "run-b")) {
          LOG.info("info line of b");
        }
      });
      other.start();
      other.join();
      LOG.info("info line of a");
    }
    LOG.info("after close");
    assertNull(MDC.get(RunLog.MDC_KEY), "MDC restored");
    String textA = Files.readString(a.resolve(RunLog.FILE));
    String textB = Files.readString(b.resolve(RunLog.FILE));
    assertTrue(textA.contains("DEBUG [") && textA.contains("debug line of a"), textA);
    assertTrue(textA.contains("INFO  [") && textA.contains("info line of a"), textA);
    assertFalse(textA.contains("line of b") || textA.contains("after close"), textA);
    assertTrue(textB.contains("info line of b"), textB);
    assertFalse(textB.contains("of a"), textB);

    try (RunLog again = RunLog.open(a, "run-a")) { // resume: appended
      LOG.debug("second session");
    }
    String resumed = Files.readString(a.resolve(RunLog.FILE));
    assertTrue(resumed.startsWith(textA) && resumed.contains("second session"), resumed);
    assertEquals(3, resumed.lines().count(), resumed);
  }
}
