package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.List;

/** A paper artefact: runs its grid into {@code options.out()}, and rebuilds its tables/figures from raw CSVs. */
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
}
