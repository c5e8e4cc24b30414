package org.llkd.experiments.exp;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llkd.experiments.data.DatasetCatalog;
import org.llkd.experiments.engine.EngineOptions;
import org.llkd.experiments.train.Tier;
import org.llkd.experiments.train.TrainConfig;

/**
 * The options every experiment shares (CLI flags and IDE defaults), validated up front.
 *
 * <p>Serialised form (the {@code config} of an experiment's provenance.json): the groups are unwrapped, so the keys
 * are the pre-grouping ones in their order ({@code tier, seeds, datasets, dataRoot, teachersRoot, teacher, out, force,
 * resume, engine, overrides}; {@code ExperimentOptionsJsonTest} pins them).
 *
 * @param tier QUICK, FULL or TINY (smoke tests)
 * @param seeds number of seeds (1..seeds)
 * @param inputs datasets and teacher, and the roots they live under
 * @param output the experiment's output directory, --force and --resume
 * @param engine how the runs execute: {@code --engine local|spark}, {@code --master} (see docs/spark.md)
 * @param overrides training settings replacing the tier's in every run ({@code --lr}, {@code --momentum}, ...)
 */
public record ExperimentOptions(Tier tier, int seeds, @JsonUnwrapped Inputs inputs, @JsonUnwrapped Output output,
    EngineOptions engine, ConfigOverrides overrides) {

  public ExperimentOptions {
    if (tier == null) throw new IllegalArgumentException("tier must be QUICK, FULL or TINY");
    if (seeds < 1 || seeds > 100) throw new IllegalArgumentException("bad --seeds " + seeds + ": expected 1..100");
    if (inputs == null || output == null) throw new IllegalArgumentException("inputs and output are required");
    if (engine == null) throw new IllegalArgumentException("no engine: use EngineOptions.local() or --engine spark");
    if (overrides == null) overrides = ConfigOverrides.NONE;
    // A bad --lr, --momentum, --batch-size, ... fails here, before any run: TrainConfig validates every value.
    String first = inputs.datasets().get(0);
    if (!overrides.isEmpty()) {
      overrides.apply(tier.config(first, inputs.dataRoot(), inputs.teacherFile(first), "llkd", 1));
    }
  }

  /** The options with the local (sequential) engine and the tier's training settings. */
  public ExperimentOptions(Tier tier, int seeds, Inputs inputs, Output output) {
    this(tier, seeds, inputs, output, EngineOptions.local(), ConfigOverrides.NONE);
  }

  /**
   * What the experiment reads; every dataset directory and teacher file must exist.
   *
   * @param datasets dataset names under {@code dataRoot}
   * @param dataRoot directory holding one folder per dataset
   * @param teachersRoot directory holding {@code <dataset>/<teacher>.jsonl}
   * @param teacher teacher name: files are {@code teachersRoot/<dataset>/<teacher>.jsonl}
   */
  public record Inputs(List<String> datasets, Path dataRoot, Path teachersRoot, String teacher) {
    public Inputs {
      if (datasets == null || datasets.isEmpty()) throw new IllegalArgumentException("no --dataset given");
      for (String d : datasets) {
        if (!Files.isDirectory(dataRoot.resolve(d))) {
          throw new IllegalArgumentException("unknown dataset '" + d + "': no directory " + dataRoot.resolve(d)
              + "; shipped datasets: " + String.join(", ", DatasetCatalog.SHIPPED));
        }
        Path t = ExperimentOptions.teacherFile(teachersRoot, d, teacher);
        if (!Files.isRegularFile(t)) {
          throw new IllegalArgumentException("missing teacher file " + t + " for dataset '" + d + "'; export one with "
              + "`llkd teacher export --dataset " + d + " --teacher " + teacher + " --out " + t + "`");
        }
      }
      datasets = List.copyOf(datasets);
    }

    /** {@code teachersRoot/<dataset>/<teacher>.jsonl}. */
    public Path teacherFile(String dataset) {
      return ExperimentOptions.teacherFile(teachersRoot, dataset, teacher);
    }

    public Inputs withTeacher(String t) {
      return new Inputs(datasets, dataRoot, teachersRoot, t);
    }
  }

  /**
   * Where the experiment writes.
   *
   * @param out experiment output directory (e.g. {@code results/MainResultsTable})
   * @param force overwrite an existing output directory
   * @param resume skip finished runs and resume interrupted ones
   */
  public record Output(Path out, boolean force, boolean resume) {
    public Output {
      if (force && resume) throw new IllegalArgumentException("--force and --resume exclude each other: "
          + "--force starts over, --resume continues");
    }

    /** A new output directory: no --force, no --resume. */
    public static Output fresh(Path out) {
      return new Output(out, false, false);
    }
  }

  /** {@code teachersRoot/<dataset>/<teacher>.jsonl}. */
  public static Path teacherFile(Path teachersRoot, String dataset, String teacher) {
    return org.llkd.experiments.teacher.TeacherFiles.of(teachersRoot, dataset, teacher);
  }

  public Path teacherFile(String dataset) {
    return inputs.teacherFile(dataset);
  }

  public List<Long> seedList() {
    List<Long> s = new ArrayList<>();
    for (long i = 1; i <= seeds; i++) s.add(i);
    return s;
  }

  /** The base training config of this tier for {@code dataset} (method and seed filled in by the caller). */
  public TrainConfig base(String dataset, String method, long seed) {
    return overrides.apply(tier.config(dataset, inputs.dataRoot(), teacherFile(dataset), method, seed));
  }

  public ExperimentOptions withOut(Path o) {
    return new ExperimentOptions(tier, seeds, inputs, new Output(o, output.force(), output.resume()), engine, overrides);
  }

  public ExperimentOptions withTeacher(String t) {
    return new ExperimentOptions(tier, seeds, inputs.withTeacher(t), output, engine, overrides);
  }
}
