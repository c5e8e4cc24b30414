package org.llkd.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.exp.ExperimentMain;
import org.llkd.experiments.exp.MainResultsTable;

/**
 * The clean-tree rule on a throw-away git repository: results/ is writable only from a clean tree at the build's
 * commit; a modified tracked file or another build commit is refused with the reason, untracked files and outputs
 * outside results/ are not, and --allow-dirty lets it through. The CLI applies it before anything is written.
 */
class CleanTreeTest {
  static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=t",
        "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), "git " + String.join(" ", args) + ": " + out);
    return out;
  }

  /** A repository with two committed files; returns its HEAD. */
  static String repo(Path root) throws Exception {
    git(root, "init", "-q");
    Files.writeString(root.resolve("README.md"), "x\n");
    Files.createDirectories(root.resolve("src"));
    Files.writeString(root.resolve("src/A.java"), "class A {}\n");
    git(root, "add", "-A");
    git(root, "commit", "-q", "-m", "init");
    return git(root, "rev-parse", "HEAD");
  }

  static Map<String, Object> stamp(String commit, boolean dirty) {
    return Map.of("commit", commit, "dirty", dirty);
  }

  @Test void cleanTreeAtTheBuildCommitMayWrite(@TempDir Path root) throws Exception {
    String head = repo(root);
    Files.writeString(root.resolve("notes.txt"), "untracked\n"); // untracked files do not count
    assertEquals(List.of(), CleanTree.problems(root.resolve("results/MainResultsTable"), root, stamp(head, false)));
  }

  @Test void modifiedTrackedFileIsRefusedByName(@TempDir Path root) throws Exception {
    String head = repo(root);
    Files.writeString(root.resolve("src/A.java"), "class A { int x; }\n");
    List<String> p = CleanTree.problems(root.resolve("results/MainResultsTable"), root, stamp(head, false));
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("has 1 modified tracked file: src/A.java"), p.get(0));
    // elsewhere than results/ nothing is checked
    assertEquals(List.of(), CleanTree.problems(root.resolve("scratch/out"), root, stamp(head, false)));
  }

  @Test void buildOfAnotherCommitOrDirtyBuildIsRefused(@TempDir Path root) throws Exception {
    String head = repo(root);
    Path out = root.resolve("results/Fig3Ablation");
    String other = "0".repeat(40);
    assertTrue(CleanTree.problems(out, root, stamp(other, false)).get(0)
        .contains("built from " + other + ", not from HEAD " + head), "stale build");
    assertTrue(CleanTree.problems(out, root, stamp(head, true)).get(0).contains("built from a dirty tree"));
    assertTrue(CleanTree.problems(out, root, Map.of("commit", "unknown")).get(0).contains("no build stamp"));
  }

  @Test void notAGitTreeIsRefused(@TempDir Path root) {
    List<String> p = CleanTree.problems(root.resolve("results/X"), root, stamp("a".repeat(40), false));
    assertTrue(p.get(0).contains("cannot tell whether " + root + " is a clean git tree"), p.toString());
  }

  @Test void requireCleanThrowsUnlessAllowDirty(@TempDir Path root) throws Exception {
    repo(root);
    Files.writeString(root.resolve("README.md"), "changed\n");
    Path out = root.resolve("results/MainResultsTable");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CleanTree.requireClean(out, root, false));
    assertTrue(e.getMessage().startsWith("refusing to write results into " + out), e.getMessage());
    assertTrue(e.getMessage().contains("README.md") && e.getMessage().contains("--allow-dirty"), e.getMessage());
    CleanTree.requireClean(out, root, true); // allowed: warns only
  }

  @Test void cliRefusesBeforeWritingAnything(@TempDir Path root) throws Exception {
    repo(root);
    Files.writeString(root.resolve("README.md"), "changed\n");
    Path out = root.resolve("results/MainResultsTable");
    Files.createDirectories(out); // a raw.csv that --build-only could build from
    Files.writeString(out.resolve("raw.csv"), "run_id,dataset,method,seed,test_accuracy,test_macro_f1,status\n"
        + "emotion-llkd-s1,emotion,llkd,1,0.5,0.4,ok\n");
    String old = System.getProperty("llkd.repo.root");
    System.setProperty("llkd.repo.root", root.toString());
    try {
      // exit 2 (bad input) and no table written, even for --build-only
      assertEquals(2, ExperimentMain.run(new MainResultsTable(), new String[] {"--build-only"}));
      assertTrue(!Files.exists(out.resolve("table.md")), "a table was written");
      // the same with --allow-dirty builds, and the table is there
      assertEquals(0, ExperimentMain.run(new MainResultsTable(), new String[] {"--build-only", "--allow-dirty"}));
      assertTrue(Files.isRegularFile(out.resolve("table.md")), "--allow-dirty did not build");
    } finally {
      if (old == null) System.clearProperty("llkd.repo.root");
      else System.setProperty("llkd.repo.root", old);
    }
  }
}
