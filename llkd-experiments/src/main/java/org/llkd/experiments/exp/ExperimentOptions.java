package org.llkd.experiments.exp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llkd.experiments.data.DatasetCatalog;
import org.llkd.experiments.engine.EngineOptions;
import org.llkd.experiments.train.TrainConfig;

/**
 * The options every experiment shares (CLI flags and IDE defaults), validated up front.
 *
 * @param tier QUICK, FULL or TINY (smoke tests)
 * @param seeds number of seeds (1..seeds)
 * @param datasets dataset names under {@code dataRoot}
 * @param teacher teacher name: files are {@code teachersRoot/<dataset>/<teacher>.jsonl}
 * @param out experiment output directory (e.g. {@code results/MainResultsTable})
 * @param force overwrite an existing output directory
 * @param resume skip finished runs and resume interrupted ones
 * @param engine how the runs execute: {@code --engine local|spark}, {@code --master} (see docs/spark.md)
 * @param overrides training settings replacing the tier's in every run ({@code --lr}, {@code --momentum}, ...)
 */
public record ExperimentOptions(Tier tier, int seeds, List<String> datasets, Path dataRoot, Path teachersRoot,
    String teacher, Path out, boolean force, boolean resume, EngineOptions engine, ConfigOverrides overrides) {

  public ExperimentOptions {
    if (tier == null) throw new IllegalArgumentException("tier must be QUICK, FULL or TINY");
    if (seeds < 1 || seeds > 100) throw new IllegalArgumentException("bad --seeds " + seeds + ": expected 1..100");
    if (datasets == null || datasets.isEmpty()) throw new IllegalArgumentException("no --dataset given");
    if (force && resume) throw new IllegalArgumentException("--force and --resume exclude each other: "
        + "--force starts over, --resume continues");
    for (String d : datasets) {
      if (!Files.isDirectory(dataRoot.resolve(d))) {
        throw new IllegalArgumentException("unknown dataset '" + d + "': no directory " + dataRoot.resolve(d)
            + "; shipped datasets: " + String.join(", ", DatasetCatalog.SHIPPED));
      }
      Path t = teacherFile(teachersRoot, d, teacher);
      if (!Files.isRegularFile(t)) {
        throw new IllegalArgumentException("missing teacher file " + t + " for dataset '" + d + "'; export one with "
            + "`llkd teacher export --dataset " + d + " --teacher " + teacher + " --out " + t + "`");
      }
    }
    datasets = List.copyOf(datasets);
    if (engine == null) throw new IllegalArgumentException("no engine: use EngineOptions.local() or --engine spark");
    if (overrides == null) overrides = ConfigOverrides.NONE;
    // A bad --lr, --momentum, --batch-size, ... fails here, before any run: TrainConfig validates every value.
    if (!overrides.isEmpty()) overrides.apply(tier.config(datasets.get(0), dataRoot,
        teacherFile(teachersRoot, datasets.get(0), teacher), "llkd", 1));
  }

  /** The options with the tier's training settings. */
  public ExperimentOptions(Tier tier, int seeds, List<String> datasets, Path dataRoot, Path teachersRoot,
      String teacher, Path out, boolean force, boolean resume, EngineOptions engine) {
    this(tier, seeds, datasets, dataRoot, teachersRoot, teacher, out, force, resume, engine, ConfigOverrides.NONE);
  }

  /** The options with the local (sequential) engine. */
  public ExperimentOptions(Tier tier, int seeds, List<String> datasets, Path dataRoot, Path teachersRoot,
      String teacher, Path out, boolean force, boolean resume) {
    this(tier, seeds, datasets, dataRoot, teachersRoot, teacher, out, force, resume, EngineOptions.local());
  }

  /** {@code teachersRoot/<dataset>/<teacher>.jsonl}. */
  public static Path teacherFile(Path teachersRoot, String dataset, String teacher) {
    return teachersRoot.resolve(dataset).resolve(teacher + ".jsonl");
  }

  public Path teacherFile(String dataset) {
    return teacherFile(teachersRoot, dataset, teacher);
  }

  public List<Long> seedList() {
    List<Long> s = new ArrayList<>();
    for (long i = 1; i <= seeds; i++) s.add(i);
    return s;
  }

  /** The base training config of this tier for {@code dataset} (method and seed filled in by the caller). */
  public TrainConfig base(String dataset, String method, long seed) {
    return overrides.apply(tier.config(dataset, dataRoot, teacherFile(dataset), method, seed));
  }

  public ExperimentOptions withOut(Path o) {
    return new ExperimentOptions(tier, seeds, datasets, dataRoot, teachersRoot, teacher, o, force, resume, engine,
        overrides);
  }

  public ExperimentOptions withTeacher(String t) {
    return new ExperimentOptions(tier, seeds, datasets, dataRoot, teachersRoot, t, out, force, resume, engine,
        overrides);
  }
}
