package org.llkd.experiments.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * onnxruntime 1.29.0 under a long process command line, as {@code ./llkd} used to start it (a ~10 KB {@code -cp}):
 * {@link OrtRuntime#environment()} starts it. Creating the environment directly crashed the JVM on the machines the
 * bug was found on (AMD EPYC and Intel Xeon, 2 vCPU) but not on CI's (run of 2026-12-07), so whether the direct
 * start crashes is a property of the machine, not something a test can assert; docs/dependencies.md has the story.
 */
class OrtRuntimeTest {
  private static final String PAD = "x".repeat(9_000); // a command line of ~9.5 KB, like the launcher's old -cp

  @Test
  void guardedStartSurvivesALongCommandLine() throws Exception {
    Result r = child("guarded");
    assertEquals(0, r.exit, "OrtRuntime.environment() under a ~9 KB command line: " + r.output);
    assertTrue(r.output.contains("ok OrtEnvironment"), r.output);
  }

  private record Result(int exit, String output) {}

  private static Result child(String mode) throws IOException, InterruptedException {
    assumeTrue(Files.isReadable(Path.of("/proc/self/cmdline")), "needs Linux /proc");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // CLASSPATH keeps the surefire class path off the command line; only PAD makes it long.
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Dpad=" + PAD, OrtChild.class.getName(), mode))
        .redirectErrorStream(true);
    pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
