package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.List;

/**
 * A paper artefact: runs its grid into {@code options.output().out()}, and rebuilds its tables/figures from raw CSVs.
 */
public interface Experiment {
  /** Class name, also the default directory under {@code results/}. */
  String name();

  /** What it regenerates (shown by {@code llkd run --help}). */
  String description();

  /** Datasets used when none is given. */
  List<String> defaultDatasets();

  /** Runs every training run (skipping finished ones), writes raw.csv and provenance, then builds. */
  void run(ExperimentOptions options);

  /** Rebuilds table.md and the figure(s) from {@code expDir/raw.csv} only. */
  void build(Path expDir);

  /**
   * This experiment running only {@code methods} ({@code llkd run <Name> --methods ...}): a subset of its method list,
   * in that order, starting with its first method (the ratio-matched baselines need LLKD's ratio of the same seed).
   *
   * @throws IllegalArgumentException if the experiment has no method grid or the list is not such a subset
   */
  default Experiment withMethods(List<String> methods) {
    throw new IllegalArgumentException(name() + " has no method grid; --methods applies to MainResultsTable, "
        + "Fig3Ablation, TeacherRobustnessTable and Fig4SelectionQuality");
  }
}
