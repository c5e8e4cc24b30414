package org.llkd.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llkd.experiments.engine.EngineFlags;
import org.llkd.experiments.engine.EngineOptions;
import org.llkd.experiments.engine.RunEngine;
import org.llkd.experiments.engine.RunEngines;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.teacher.TeacherExporter;
import org.llkd.experiments.teacher.TeacherQuality;
import org.llkd.experiments.teacher.TemperatureSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llkd teacher export}: see {@link TeacherExporter}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
        "Label the given splits of a dataset with a stand-in teacher and write canonical teacher JSONL",
        "(atomically, with a _meta header) plus <out>.provenance.json (model, ONNX sha256, shots, temperature,",
        "dataset sha256s, git, JVM, wall time, and accuracy / macro-F1 / ECE / coverage against gold).",
        "Teachers: zeroshot-bge (label descriptions, bge-small-en-v1.5), fewshot-minilm (k-shot prototypes,",
        "all-MiniLM-L6-v2 = the student's own initialisation, so it shares the student's prior)."})
public final class TeacherExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dataset", required = true, description = "Dataset folder name under --data-root, e.g. emotion.")
  String dataset;

  @Option(names = "--teacher", required = true,
      description = "zeroshot-bge | fewshot-minilm (also zeroshot-minilm, fewshot-bge).")
  String teacher;

  @Option(names = "--split", split = ",", defaultValue = "train,dev",
      description = "Comma-separated splits to export (default: ${DEFAULT-VALUE}).")
  List<String> splits;

  @Option(names = "--out", required = true, description = "Output JSONL file.")
  Path out;

  @Option(names = "--data-root", description = "Folder with <dataset>/{train,dev,test}.tsv, labels.txt (default: the repository's data/).")
  Path dataRoot;

  @Option(names = "--k", defaultValue = "" + TeacherExporter.DEFAULT_K,
      description = "Shots per class from train, few-shot teachers (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--seed", defaultValue = "" + TeacherExporter.DEFAULT_SEED, description = "Seed of the shot draw (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", defaultValue = "2", description = "onnxruntime intra-op threads (per partition with --engine spark; default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--temperature", defaultValue = "auto",
      description = "auto (few-shot: fit on the shots, leave-one-out; zero-shot: documented per-dataset default), fit, or a number (default: ${DEFAULT-VALUE}).")
  String temperature;

  @Option(names = "--descriptions", description = "JSON file of label descriptions replacing the bundled teachers/label_descriptions.json.")
  Path descriptions;

  @Mixin EngineFlags engineFlags = new EngineFlags();

  @Option(names = "--partitions", description = "With --engine spark: slices (Spark tasks, one onnxruntime session"
      + " each) per split (default: Spark's default parallelism).")
  Integer partitions;

  @Option(names = "--force", description = "Overwrite an existing output file and its provenance.")
  boolean force;

  @Option(names = "--no-progress", negatable = false, description = "Do not draw a progress bar.")
  boolean noProgress;

  @Override
  public Integer call() {
    Path data = dataRoot != null ? dataRoot : Provenance.repoRoot().resolve("data"); // not the caller's directory
    TeacherExporter.Config c = new TeacherExporter.Config(new TeacherExporter.Config.Source(data, dataset, splits),
        new TeacherExporter.Config.TeacherSpec(teacher, k, seed, TemperatureSpec.parse(temperature), descriptions),
        new TeacherExporter.Config.Output(out, force), new TeacherExporter.Config.Run(threads, !noProgress));
    EngineOptions engineOptions = engineFlags.options();
    if (partitions != null && engineOptions.kind() != EngineOptions.Kind.SPARK) {
      throw new IllegalArgumentException("--partitions " + partitions + " needs --engine spark");
    }
    TeacherExporter.Result r;
    try (RunEngine engine = RunEngines.open(engineOptions, "teacher export " + dataset + " " + teacher)) {
      r = TeacherExporter.run(c, engine.textEmbedder(partitions, threads));
    }
    var o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "wrote %s (%d rows, coverage %.4f, T=%s) and %s in %.1f s%n", r.out(), r.rows(), r.coverage(),
        r.temperature(), r.provenance().getFileName(), r.wallSeconds());
    for (Map.Entry<String, TeacherQuality> e : r.quality().entrySet()) {
      TeacherQuality q = e.getValue();
      o.printf(Locale.ROOT, "  %-5s n=%d acc=%.4f macroF1=%.4f ECE=%.4f (majority %.4f)%n", e.getKey(), q.n(), q.accuracy(),
          q.macroF1(), q.ece(), q.majorityRate());
    }
    o.flush();
    return 0;
  }
}
