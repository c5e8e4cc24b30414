package org.llkd.experiments.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.ChildJvm;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.models.NativeBuild;

/**
 * The same short training run (TINY tier, LLKD, seed 7: 8 steps) under the generic nd4j-native build and under every
 * other shipped build this CPU supports (the fastest one, from scripts/native-build.sh, and the shipped ones after it
 * in {@link NativeBuild#SHIPPED}), each in its own JVM: each loads the build asked for, and the per-step losses and
 * dev results agree with the generic build's to float32 rounding, not bit for bit (different kernels sum in a
 * different order). The measured differences are printed; docs/performance.md records them. Two extra JVMs, hence
 * "slow" (mvn -Pslow). Skipped where the CPU's best build is the generic one (nothing to compare).
 */
@Tag("slow")
class CrossBuildTrainingTest {
  /** Largest per-step loss difference accepted between builds; a wrong kernel gives differences of order 0.1. */
  static final double LOSS_TOLERANCE = 1e-3;

  @Test
  void shortRunAgreesAcrossBuildsToRounding(@TempDir Path dir) throws Exception {
    String best = bestBuildForThisCpu();
    Assumptions.assumeFalse(best.equals("generic"), "this CPU's best build is generic: no second build to compare");
    Path g = runUnder("generic", dir.resolve("generic"));
    List<String> builds = NativeBuild.SHIPPED.subList(NativeBuild.SHIPPED.indexOf(best), NativeBuild.SHIPPED.size());
    for (String build : builds) {
      if (!build.equals("generic")) {
        compare(g, build, runUnder(build, dir.resolve(build)));
      }
    }
  }

  private static void compare(Path g, String best, Path b) {

    List<String> gs = Fixtures.lines(g.resolve("steps.csv"));
    List<String> bs = Fixtures.lines(b.resolve("steps.csv"));
    assertEquals(gs.size(), bs.size(), "steps.csv rows");
    int loss = Trainer.STEP_COLUMNS.indexOf("loss");
    int compared = 0;
    double maxLossDiff = 0;
    for (int i = 1; i < gs.size(); i++) {
      String lg = gs.get(i).split(",", -1)[loss];
      String lb = bs.get(i).split(",", -1)[loss];
      assertEquals(lg.isEmpty(), lb.isEmpty(), "step " + i + ": one build trained, the other did not");
      if (!lg.isEmpty()) {
        maxLossDiff = Math.max(maxLossDiff, Math.abs(Double.parseDouble(lg) - Double.parseDouble(lb)));
        compared++;
      }
    }
    assertTrue(compared > 0, "no step with a loss to compare");
    Map<String, String> mg = Fixtures.metricsWithoutWallTime(g.resolve("metrics.csv"));
    Map<String, String> mb = Fixtures.metricsWithoutWallTime(b.resolve("metrics.csv"));
    boolean stepsIdentical = Arrays.equals(Fixtures.bytes(g.resolve("steps.csv")), Fixtures.bytes(b.resolve("steps.csv")));
    boolean predictionsIdentical = Arrays.equals(Fixtures.bytes(g.resolve("dev_predictions.csv")),
        Fixtures.bytes(b.resolve("dev_predictions.csv")));
    System.out.printf("cross-build generic vs %s: %d steps compared, max |loss diff| = %.3g, steps.csv identical: %s,"
            + " dev_predictions.csv identical: %s, dev_accuracy %s vs %s, test_accuracy %s vs %s%n", best, compared,
        maxLossDiff, stepsIdentical, predictionsIdentical, mg.get("dev_accuracy"), mb.get("dev_accuracy"),
        mg.get("test_accuracy"), mb.get("test_accuracy"));
    assertTrue(maxLossDiff <= LOSS_TOLERANCE, "per-step loss differs by " + maxLossDiff + " between generic and " + best);
  }

  /** Runs {@link Child} in a fresh JVM with the given build; returns its run directory. */
  private static Path runUnder(String build, Path out) throws IOException, InterruptedException {
    Files.createDirectories(out);
    Path log = out.resolve("child.log");
    Process p = ChildJvm.start(Child.class, List.of("-Xmx1g",
        "-D" + NativeBuild.EXTENSION_PROPERTY + "=" + (build.equals("generic") ? "" : "-" + build)),
        List.of(out.toString()), log);
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), "training under " + build + " did not finish");
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "training under " + build + " failed:\n" + text);
    assertTrue(text.contains("loaded nd4j-native build " + build + " "), "child did not load " + build + ":\n" + text);
    return out.resolve("run");
  }

  private static String bestBuildForThisCpu() throws IOException, InterruptedException {
    Path script = Path.of(System.getProperty("llkd.repo.root"), "scripts", "native-build.sh");
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    pb.environment().remove("LLKD_NATIVE_BUILD");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "native-build.sh failed: " + out);
    return out.split(" ")[0];
  }

  /** The child JVM: one TINY training run into {@code args[0]/run}, after naming the build it loaded. */
  static final class Child {
    public static void main(String[] args) {
      System.out.println("loaded " + NativeBuild.loaded().describe());
      new Trainer(Fixtures.tiny("llkd", 7), Path.of(args[0]).resolve("run")).train();
      System.exit(0);
    }
  }
}
