package org.llkd.experiments.exp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.engine.RunEngine;
import org.llkd.experiments.engine.RunEngines;
import org.llkd.experiments.engine.RunGrid;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.report.ResultDirs;

/** What every experiment does around its grid: prepare the directory, write raw.csv and provenance, build. */
final class ExperimentSupport {
  private ExperimentSupport() {}

  /**
   * {@code methods} if it is a non-empty subset of {@code all} in {@code all}'s order with LLKD first (the
   * ratio-matched baselines take LLKD's ratio); the experiment-method test hooks use it.
   */
  static List<String> subsetOf(List<String> methods, List<String> all, String experiment) {
    List<String> inOrder = all.stream().filter(methods::contains).toList();
    if (methods.isEmpty() || !inOrder.equals(methods) || !methods.get(0).equals(all.get(0))) {
      throw new IllegalArgumentException(experiment + ": methods " + methods + " must be a non-empty subset of "
          + all + " in that order, starting with " + all.get(0));
    }
    return List.copyOf(methods);
  }

  /** The folder's provenance record, with the checkout's git state as it is now (before anything is rewritten). */
  static Provenance folderProvenanceRecord(Experiment e, Path dir, String how) {
    return new Provenance(e.name() + " (" + how + ")", Map.of("command", "llkd run " + e.name() + " --" + how,
        "out", dir.toAbsolutePath().normalize().toString()), List.of());
  }

  /**
   * The folder's {@code provenance.json} when its raw.csv was not written by a finished grid: after {@code --collect}
   * (always: raw.csv was just rebuilt from the run directories) and after {@code --build-only} (only when the folder
   * has none; a grid's own record is kept). It records how the folder was produced ({@code how}), the build that did it
   * (git, Java, ND4J, host as every provenance.json), the sha256 of raw.csv, and per code commit the number of runs
   * raw.csv holds (from the runs' own provenance.json, {@link TableProvenance}), so every results folder says where
   * its numbers come from (the HTML report flags a folder without one). Not for {@link Summary} (no raw.csv).
   */
  static void folderProvenance(Provenance p, Path dir, String how, boolean replace) { // p: folderProvenanceRecord
    Path file = dir.resolve("provenance.json");
    Path raw = dir.resolve("raw.csv");
    if ((!replace && Files.isRegularFile(file)) || !Files.isRegularFile(raw)) return;
    org.llkd.experiments.report.RawTable t = org.llkd.experiments.report.RawTable.read(raw);
    List<Map<String, String>> ok = t.rows().stream().filter(r -> "ok".equals(r.get("status"))).toList();
    org.llkd.experiments.report.TableProvenance tp = org.llkd.experiments.report.TableProvenance.of(dir, ok);
    Map<String, Long> byCommit = new java.util.TreeMap<>();
    for (org.llkd.experiments.report.TableProvenance.Run r : tp.runs()) byCommit.merge(r.commit(), 1L, Long::sum);
    p.input("raw.csv", raw);
    p.put("runs", Map.of("total", t.rows().size(), "failed", t.rows().size() - ok.size(), "byCommit", byCommit,
        "summary", tp.summary()));
    p.put("note", how.equals("collect") ? "raw.csv rebuilt from runs/*/metrics.csv (a grid stopped or run in parts); "
        + "each run's code and inputs are in runs/<id>/provenance.json" : "table and figures rebuilt from raw.csv; "
        + "each run's code and inputs are in runs/<id>/provenance.json");
    p.write(file);
  }

  /** Refuses to overwrite existing results without --force; --resume requires nothing else. */
  static Path prepare(ExperimentOptions o) {
    if (o.output().resume() && Files.isDirectory(o.output().out())) return o.output().out().toAbsolutePath().normalize();
    return ResultDirs.prepare(o.output().out(), o.output().force());
  }

  /** The engine that {@code --engine}/{@code --master} chose, for one experiment (close it when done). */
  static RunEngine engine(Experiment e, ExperimentOptions o) {
    return RunEngines.open(o.engine(), e.name());
  }

  /** An experiment's grid, run on the engine: the outcomes in raw.csv order. */
  @FunctionalInterface
  interface Grid {
    List<RunGrid.Outcome> run(RunEngine engine);
  }

  /** Opens the engine {@code o} names, runs {@code grid} on it, then {@link #finish}es with what ran it. */
  static void runAndFinish(Experiment e, ExperimentOptions o, long startNanos, Grid grid) {
    List<RunGrid.Outcome> outcomes;
    Map<String, Object> engineUsed;
    try (RunEngine engine = engine(e, o)) {
      engineUsed = engine.describe();
      outcomes = grid.run(engine);
    }
    finish(e, o, outcomes, startNanos, engineUsed);
  }

  /**
   * Writes raw.csv and provenance.json for the grid, then rebuilds the artefacts.
   *
   * @throws RunsFailedException after everything is written, when any run failed
   */
  static void finish(Experiment e, ExperimentOptions o, List<RunGrid.Outcome> outcomes, long startNanos) {
    finish(e, o, outcomes, startNanos, Map.of("engine", "local"));
  }

  /** As above; {@code engine} ({@link RunEngine#describe()}) says how the runs were executed. */
  static void finish(Experiment e, ExperimentOptions o, List<RunGrid.Outcome> outcomes, long startNanos,
      Map<String, Object> engine) {
    Path dir = o.output().out();
    RunGrid.writeRaw(dir, outcomes);
    Provenance p = new Provenance(e.name(), o, o.seedList());
    for (String d : o.inputs().datasets()) {
      for (String split : List.of("train", "dev", "test")) {
        p.input("dataset." + d + "." + split, o.inputs().dataRoot().resolve(d).resolve(split + ".tsv"));
      }
    }
    outcomes.stream().map(x -> x.spec().config().data().teacherFile()).distinct()
        .forEach(t -> p.input("teacher." + t.getParent().getFileName() + "." + t.getFileName(), t));
    long failed = outcomes.stream().filter(x -> !x.ok()).count();
    p.put("runs", Map.of("total", outcomes.size(), "failed", failed));
    p.put("experimentWallSeconds", (System.nanoTime() - startNanos) / 1e9);
    p.put("engine", engine);
    p.write(dir.resolve("provenance.json"));
    e.build(dir);
    if (failed > 0) {
      List<Path> dirs = outcomes.stream().filter(x -> !x.ok())
          .map(x -> dir.resolve("runs").resolve(x.spec().runId())).toList();
      throw new RunsFailedException(dirs, outcomes.size());
    }
  }
}
