package org.llkd.models.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} (an IDE run configuration) runs the FLOAT student
 * on the ND4J ops and never loads a Vector API class: the child below would die with NoClassDefFoundError otherwise.
 */
class WithoutVectorModuleTest {
  static final String OK = "forward ran on ";

  @Test
  void aJvmWithoutTheModuleRunsTheNd4jOps(@TempDir Path dir) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String p : new String[] {"org.bytedeco.javacpp.platform.extension", "org.bytedeco.javacpp.maxbytes"}) {
      if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
    }
    cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), Child.class.getName()));
    Path log = dir.resolve("child.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child JVM did not finish");
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains(OK + "nd4j"), out);
    assertFalse(out.contains("incubator"), "the child must not have the module:\n" + out);
  }

  /** Child-JVM entry point: one FLOAT forward of a small student; prints the path Kernels reports. */
  static final class Child {
    public static void main(String[] args) {
      if (Kernels.modulePresent()) throw new IllegalStateException("started with the module");
      try (StudentTransformer m = StudentTransformer.initRandom(StudentConfig.miniLmL6(2).withNumLayers(1), 3)) {
        m.forwardLogits(Nd4j.createFromArray(new int[][] {{2, 7, 9, 0}}), Nd4j.createFromArray(new int[][] {{1, 1, 1, 0}}),
            null);
      }
      for (Kernels.Op op : Kernels.Op.values()) {
        if (Kernels.vectorEnabled(op)) throw new IllegalStateException(op + " claims the fused kernel");
      }
      System.out.println(OK + Kernels.describe().get("path"));
    }
  }
}
