package org.llkd.experiments.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rule that keeps committed results traceable: results are written under the repository's {@code results/} only
 * from a clean git tree (no modified tracked file; untracked files do not count) whose HEAD is the commit the running
 * classes were built from. Anything else is refused, naming what is dirty, unless the caller passes
 * {@code allowDirty} ({@code --allow-dirty}), in which case the runs record {@code dirty} in their provenance.json and
 * every table built from them says so at the top.
 */
public final class CleanTree {
  private CleanTree() {}

  /** Most dirty paths named in a refusal. */
  static final int MAX_PATHS = 20;

  /**
   * Refuses (IllegalArgumentException) to write into {@code out} when it lies under {@code repoRoot/results} and the
   * tree is not clean at the build's commit, unless {@code allowDirty}; then it only warns on stderr. Outputs
   * elsewhere (a temp directory, another --out) are not checked.
   */
  public static void requireClean(Path out, Path repoRoot, boolean allowDirty) {
    List<String> problems = problems(out, repoRoot, Provenance.buildStamp());
    if (problems.isEmpty()) return;
    String what = String.join("; ", problems);
    if (allowDirty) {
      System.err.println("warning: --allow-dirty: writing into " + out + " although " + what
          + "; the runs record dirty and the table will say so");
      return;
    }
    throw new IllegalArgumentException("refusing to write results into " + out.toAbsolutePath().normalize()
        + ": " + what + ". Results under results/ must come from a clean tree at a commit: commit (or stash) the "
        + "changes and rebuild, or pass --allow-dirty (the table will then say 'dirty').");
  }

  /**
   * Why {@code out} may not be written, empty when it may: not under {@code repoRoot/results}; else git's status of
   * tracked files, and the build stamp ({@code commit}, {@code dirty}) against HEAD.
   */
  static List<String> problems(Path out, Path repoRoot, Map<String, Object> buildStamp) {
    Path results = repoRoot.toAbsolutePath().normalize().resolve("results");
    if (!out.toAbsolutePath().normalize().startsWith(results)) return List.of();
    List<String> problems = new ArrayList<>();
    String head;
    List<String> dirty = new ArrayList<>();
    try {
      head = git(repoRoot, "rev-parse", "HEAD").strip();
      for (String line : git(repoRoot, "status", "--porcelain", "--untracked-files=no").split("\n")) {
        if (!line.isBlank()) dirty.add(line.length() > 3 ? line.substring(3) : line.strip());
      }
    } catch (IOException e) {
      return List.of("cannot tell whether " + repoRoot + " is a clean git tree (" + e.getMessage() + ")");
    }
    if (!dirty.isEmpty()) {
      String shown = String.join(", ", dirty.subList(0, Math.min(MAX_PATHS, dirty.size())));
      problems.add("the git tree at " + repoRoot + " has " + dirty.size() + " modified tracked file"
          + (dirty.size() == 1 ? "" : "s") + ": " + shown + (dirty.size() > MAX_PATHS ? ", ..." : ""));
    }
    Object commit = buildStamp.get("commit");
    if (commit == null || "unknown".equals(commit)) {
      problems.add("the running classes carry no build stamp (llkd-git.properties), so the code that ran is unknown");
    } else if (!commit.equals(head)) {
      problems.add("the running classes were built from " + commit + ", not from HEAD " + head + " (rebuild)");
    } else if (!Boolean.FALSE.equals(buildStamp.get("dirty"))) {
      problems.add("the running classes were built from a dirty tree at " + commit + " (rebuild from the clean tree)");
    }
    return problems;
  }

  private static String git(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) throw new IOException("git " + String.join(" ", args) + " failed: " + out.strip());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for git", e);
    }
    return out; // not stripped: a porcelain line may start with a space (" M path")
  }
}
