package org.llkd.experiments.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llkd.models.NativeBuild;

/**
 * Starts a main class of the test classpath in a child JVM with the environment surefire gives the
 * tests (one OpenMP/OpenBLAS thread, DJL offline, the repository root, the same nd4j-native build unless
 * {@code jvmArgs} name one), stdout and stderr into {@code log}. Used where a test needs a process it can kill
 * (SIGKILL) or measure on its own, or another native build.
 */
public final class ChildJvm {
  private ChildJvm() {}

  public static Process start(Class<?> main, List<String> jvmArgs, List<String> args, Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    // Without the property JavaCPP picks one of the build jars by itself, which need not be this JVM's build (a
    // resumed run compared with an unbroken one would then mix builds: not bit-identical, docs/performance.md).
    String ext = System.getProperty(NativeBuild.EXTENSION_PROPERTY);
    if (ext != null && jvmArgs.stream().noneMatch(a -> a.startsWith("-D" + NativeBuild.EXTENSION_PROPERTY + "="))) {
      cmd.add("-D" + NativeBuild.EXTENSION_PROPERTY + "=" + ext);
    }
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dllkd.repo.root=" + Fixtures.repoRoot());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path")); // surefire sets the real test classpath here
    cmd.add(main.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("OMP_NUM_THREADS", "1");
    env.put("OPENBLAS_THREAD_TIMEOUT", "4");
    env.put("OMP_WAIT_POLICY", "PASSIVE");
    env.put("DJL_OFFLINE", "true");
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + cmd, e);
    }
  }
}
