package org.llkd.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a table's runs came from, read from each run's {@code runs/<id>/provenance.json}: the commit of the code that
 * ran ({@code git.build.commit}, stamped into the build; older runs have only the checkout's HEAD, {@code git.commit}),
 * whether the tree was dirty ({@code git.dirty} or {@code git.build.dirty}), and whether the run directory is shared
 * with another experiment (a directory of the same name under a sibling {@code <Experiment>/runs/} with a
 * byte-identical {@code metrics.csv}, i.e. a copied run). Rendered as the "Provenance" section that ends every table.
 */
public final class TableProvenance {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Title of the section; {@code scripts/readme_tables.py} stops copying a table at it. */
  public static final String SECTION = "## Provenance";

  /** One run: its directory name, code commit, how that commit was recorded, dirty flag, sibling experiments. */
  public record Run(String id, String commit, String source, boolean dirty, List<String> sharedWith) {}

  private final List<Run> runs;

  private TableProvenance(List<Run> runs) {
    this.runs = List.copyOf(runs);
  }

  public List<Run> runs() {
    return runs;
  }

  /**
   * The provenance of {@code rows} (raw.csv rows of finished runs; their {@code run_id} plus tag columns locate the
   * run directory under {@code expDir/runs}).
   */
  public static TableProvenance of(Path expDir, List<Map<String, String>> rows) {
    Map<String, Map<String, String>> tagsByDir = runDirs(expDir.resolve("runs"));
    List<Run> out = new ArrayList<>();
    for (Map<String, String> row : rows) out.add(run(expDir, row, tagsByDir));
    return new TableProvenance(out);
  }

  /** Run directory name → its tags.json (empty when it has none). */
  private static Map<String, Map<String, String>> runDirs(Path runs) {
    Map<String, Map<String, String>> m = new TreeMap<>();
    if (!Files.isDirectory(runs)) return m;
    try (Stream<Path> s = Files.list(runs)) {
      for (Path d : s.filter(Files::isDirectory).toList()) {
        Map<String, String> tags = new LinkedHashMap<>();
        Path f = d.resolve("tags.json");
        if (Files.isRegularFile(f)) {
          JSON.readTree(f.toFile()).fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        }
        m.put(d.getFileName().toString(), tags);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + runs, e);
    }
    return m;
  }

  /** As {@code RunGrid.Spec.runId()}: run id, then "-" and the tag values, with unsafe characters as "_". */
  static String dirName(String runId, Map<String, String> tags) {
    String suffix = tags.isEmpty() ? "" : "-" + String.join("-", tags.values());
    return (runId + suffix).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static Run run(Path expDir, Map<String, String> row, Map<String, Map<String, String>> tagsByDir) {
    String runId = row.getOrDefault("run_id", "");
    String dir = null;
    for (Map.Entry<String, Map<String, String>> e : tagsByDir.entrySet()) {
      Map<String, String> tags = e.getValue();
      boolean tagsMatch = tags.entrySet().stream().allMatch(t -> t.getValue().equals(row.get(t.getKey())));
      if (tagsMatch && e.getKey().equals(dirName(runId, tags))) {
        dir = e.getKey();
        break;
      }
    }
    if (dir == null) return new Run(runId, "unknown", "run directory missing", false, List.of());
    Path runDir = expDir.resolve("runs").resolve(dir);
    List<String> shared = sharedWith(expDir, dir);
    Path prov = runDir.resolve("provenance.json");
    if (!Files.isRegularFile(prov)) return new Run(dir, "unknown", "no provenance.json", false, shared);
    JsonNode git;
    try {
      git = JSON.readTree(prov.toFile()).path("git");
    } catch (IOException e) {
      throw new IllegalArgumentException(prov + ": not readable as JSON (" + e.getMessage() + "); expected the "
          + "provenance record the trainer writes", e);
    }
    JsonNode build = git.path("build");
    boolean dirty = git.path("dirty").asBoolean(false) || build.path("dirty").asBoolean(false);
    String buildCommit = build.path("commit").asText("unknown");
    if (!buildCommit.equals("unknown") && !buildCommit.isEmpty()) {
      return new Run(dir, buildCommit, "build stamp", dirty, shared);
    }
    return new Run(dir, git.path("commit").asText("unknown"), "checkout HEAD (no build stamp)", dirty, shared);
  }

  /** Sibling experiments (directories beside {@code expDir}) holding a copy of run directory {@code dir}. */
  private static List<String> sharedWith(Path expDir, String dir) {
    Path parent = expDir.toAbsolutePath().normalize().getParent();
    Path mine = expDir.resolve("runs").resolve(dir).resolve("metrics.csv");
    if (parent == null || !Files.isRegularFile(mine)) return List.of();
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(parent)) {
      byte[] own = Files.readAllBytes(mine);
      for (Path sib : s.filter(Files::isDirectory).sorted().toList()) {
        if (sib.equals(expDir.toAbsolutePath().normalize())) continue;
        Path other = sib.resolve("runs").resolve(dir).resolve("metrics.csv");
        if (Files.isRegularFile(other) && Arrays.equals(own, Files.readAllBytes(other))) {
          out.add(sib.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not compare " + mine + " with its sibling experiments", e);
    }
    return out;
  }

  /** "Table generated by {@code generator} from build {@code <commit>}[ (dirty build)]." from the build stamp. */
  public static String builtBy(String generator) {
    Map<String, Object> b = Provenance.buildStamp();
    String c = String.valueOf(b.get("commit"));
    return "Table generated by `" + generator + "` from build " + (c.length() > 12 ? c.substring(0, 7) : c)
        + (Boolean.FALSE.equals(b.get("dirty")) ? "" : " (**dirty or unstamped build**)") + ".";
  }

  /** Runs from a tree with uncommitted changes. */
  public long dirtyRuns() {
    return runs.stream().filter(Run::dirty).count();
  }

  /** The warning that opens a table built from dirty runs, or "" when every run is clean. */
  public String dirtyBanner() {
    long d = dirtyRuns();
    if (d == 0) return "";
    return "> **dirty**: " + d + " of " + runs.size() + " runs ran from a git tree with uncommitted changes "
        + "(their exact code is not recorded); see Provenance at the end.\n\n";
  }

  /** One line: runs, commits, dirty runs, shared runs (readme_tables.py copies it under each README table). */
  public String summary() {
    long commits = runs.stream().map(Run::commit).distinct().count();
    long shared = runs.stream().filter(r -> !r.sharedWith().isEmpty()).count();
    return runs.size() + (runs.size() == 1 ? " run" : " runs") + " from " + commits + " commit" + (commits == 1 ? "" : "s") + "; " + dirtyRuns()
        + " from a dirty tree; " + shared + " shared with another table.";
  }

  /** The "Provenance" section: summary, runs per commit, run ids, shared runs; {@code builtBy} names the table code. */
  public String markdown(String builtBy) {
    StringBuilder sb = new StringBuilder(SECTION).append("\n\n").append(summary()).append(' ').append(builtBy)
        .append("\n\n| commit | recorded as | runs | from a dirty tree |\n|---|---|---|---|\n");
    Map<List<String>, long[]> byCommit = new LinkedHashMap<>();
    for (Run r : runs) {
      long[] c = byCommit.computeIfAbsent(List.of(r.commit(), r.source()), k -> new long[2]);
      c[0]++;
      if (r.dirty()) c[1]++;
    }
    List<Map.Entry<List<String>, long[]>> rows = new ArrayList<>(byCommit.entrySet());
    rows.sort(Comparator.<Map.Entry<List<String>, long[]>>comparingLong(e -> -e.getValue()[0])
        .thenComparing(e -> e.getKey().get(0)));
    for (Map.Entry<List<String>, long[]> e : rows) {
      String c = e.getKey().get(0);
      sb.append("| ").append(c.length() > 12 ? c.substring(0, 7) : c).append(" | ").append(e.getKey().get(1))
          .append(" | ").append(e.getValue()[0]).append(" | ").append(e.getValue()[1]).append(" |\n");
    }
    sb.append("\nRuns (").append(runs.size()).append("): ")
        .append(String.join(", ", runs.stream().map(Run::id).toList())).append(".\n");
    if (rows.size() > 1) { // runs of more than one build: which run came from which
      sb.append("\n**Runs of ").append(rows.size()).append(" different code commits** (one table, several builds):\n");
      for (Map.Entry<List<String>, long[]> e : rows) {
        String c = e.getKey().get(0);
        List<String> ids = runs.stream().filter(r -> r.commit().equals(c) && r.source().equals(e.getKey().get(1)))
            .map(Run::id).toList();
        sb.append("- `").append(c.length() > 12 ? c.substring(0, 7) : c).append("` (").append(e.getKey().get(1))
            .append(", ").append(ids.size()).append("): ").append(String.join(", ", ids)).append('\n');
      }
    }
    Map<String, List<String>> shared = new TreeMap<>();
    for (Run r : runs) for (String s : r.sharedWith()) shared.computeIfAbsent(s, k -> new ArrayList<>()).add(r.id());
    shared.forEach((exp, ids) -> sb.append("\nShared with ").append(exp).append(" (").append(ids.size())
        .append(", the same run directory, byte-identical metrics.csv, under ").append(exp).append("/runs): ").append(String.join(", ", ids))
        .append(".\n"));
    return sb.toString();
  }
}
