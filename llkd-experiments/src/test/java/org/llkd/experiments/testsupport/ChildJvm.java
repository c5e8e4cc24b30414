package org.llkd.experiments.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llkd.models.NativeBuild;
import org.llkd.models.kernels.Kernels;

/**
 * Starts a main class of the test classpath in a child JVM with the environment surefire gives the
 * tests (one OpenMP/OpenBLAS thread unless told otherwise, DJL offline, the repository root, the same nd4j-native
 * build and kernel path ({@code --add-modules jdk.incubator.vector}, {@code -Dllkd.kernels}) unless {@code jvmArgs}
 * name them), stdout and stderr into {@code log}. Used where a test needs a process it
 * can kill (SIGKILL) or measure on its own, another native build, or another thread count than surefire's 1.
 */
public final class ChildJvm {
  /**
   * The thread count {@code ./llkd} gives a run on the 2-core machines this project is developed and run on
   * ({@code OMP_NUM_THREADS} defaults to nproc there): the determinism and resume tests run their children with it,
   * so they check what users run, not only the 1-thread surefire setting.
   */
  public static final int LAUNCHER_THREADS = 2;

  private ChildJvm() {}

  /** As {@link #start(Class, List, List, Path, int)} with one OpenMP/OpenBLAS thread (surefire's setting). */
  public static Process start(Class<?> main, List<String> jvmArgs, List<String> args, Path log) {
    return start(main, jvmArgs, args, log, 1);
  }

  /** Starts {@code main} with {@code OMP_NUM_THREADS = ompThreads} (ND4J's OpenMP and the OpenBLAS threads). */
  public static Process start(Class<?> main, List<String> jvmArgs, List<String> args, Path log, int ompThreads) {
    if (ompThreads < 1) throw new IllegalArgumentException("ompThreads must be >= 1, got " + ompThreads);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    // Without the property JavaCPP picks one of the build jars by itself, which need not be this JVM's build (a
    // resumed run compared with an unbroken one would then mix builds: not bit-identical, docs/performance.md).
    String ext = System.getProperty(NativeBuild.EXTENSION_PROPERTY);
    if (ext != null && jvmArgs.stream().noneMatch(a -> a.startsWith("-D" + NativeBuild.EXTENSION_PROPERTY + "="))) {
      cmd.add("-D" + NativeBuild.EXTENSION_PROPERTY + "=" + ext);
    }
    // The same GELU/softmax/LayerNorm path as this JVM (fused Vector API kernels or ND4J ops): a child on the other
    // path rounds differently, so a run compared with one of this JVM would not be bit-identical.
    if (Kernels.modulePresent() && jvmArgs.stream().noneMatch(a -> a.contains(Kernels.MODULE))) {
      cmd.add("--add-modules=" + Kernels.MODULE);
    }
    String kernels = System.getProperty(Kernels.PROPERTY);
    if (kernels != null && jvmArgs.stream().noneMatch(a -> a.startsWith("-D" + Kernels.PROPERTY + "="))) {
      cmd.add("-D" + Kernels.PROPERTY + "=" + kernels);
    }
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dllkd.repo.root=" + Fixtures.repoRoot());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path")); // surefire sets the real test classpath here
    cmd.add(main.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("OMP_NUM_THREADS", Integer.toString(ompThreads));
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
