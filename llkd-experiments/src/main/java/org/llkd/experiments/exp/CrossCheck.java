package org.llkd.experiments.exp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.llkd.experiments.engine.RunEngine;
import org.llkd.experiments.engine.RunGrid;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.report.TableProvenance;
import org.llkd.experiments.stats.SeedSpread;
import org.llkd.experiments.stats.SeedSummary;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.models.io.AtomicFiles;
import org.llkd.models.io.Sha256;
import org.llkd.selection.teacher.TeacherOutputWriter;
import org.llkd.selection.teacher.TeacherOutputs;

/**
 * The cross-check table (issue 26, item 1): this implementation on the independent PyTorch reference's own setting,
 * set beside the reference's per-seed results ({@code ref/crosscheck-emotion/}), with one generated line per arm:
 * within the seed spread or not ({@link SeedSpread}).
 *
 * <p>Same inputs as the reference, per seed s ∈ 1..seeds: its 4,000 train rows of Emotion
 * ({@code numpy.random.RandomState(1000 + s).choice(16000, 4000, replace=False)}, written by
 * {@code scripts/crosscheck_inputs.py} to {@code ref/crosscheck-emotion/train_rows_s<s>.txt}) and its teacher
 * ({@code teachers/emotion/crosscheck-bge.jsonl}, the third Emotion teacher). Each seed gets a derived dataset under
 * {@code <out>/inputs/s<s>/emotion/} (those train rows in file order, the whole dev and test splits) and its teacher
 * rows, so the tier trains on exactly those rows. Arms, as the reference named them: {@code all},
 * {@code llkd_lam0.999}, {@code llkd_lam0.9}, {@code topk} (at LLKD λ 0.999's mean ratio of the same seed, as the
 * reference), {@code topk@llkd_lam0.9}, {@code gold}. The tier (standard for the committed table) supplies the rest.
 */
public final class CrossCheck implements Experiment {
  /** One arm: its name (the reference's method name), the selector, λ (NaN = the tier's) and the LLKD arm whose ratio it takes. */
  record Arm(String name, String method, double momentum, String ratioOf) {}

  static final List<Arm> ARMS = List.of(
      new Arm("all", "all", Double.NaN, null),
      new Arm("llkd_lam0.999", "llkd", 0.999, null),
      new Arm("llkd_lam0.9", "llkd", 0.9, null),
      new Arm("topk", "topk", Double.NaN, "llkd_lam0.999"),
      new Arm("topk@llkd_lam0.9", "topk", Double.NaN, "llkd_lam0.9"),
      new Arm("gold", "gold", Double.NaN, null));
  /** The tag column naming the arm in raw.csv. */
  static final String ARM = "arm";
  static final String DATASET = "emotion";
  static final String TEACHER = "crosscheck-bge";
  /** The reference's seeds. */
  static final int MAX_SEEDS = 3;

  @Override public String name() { return "CrossCheck"; }

  @Override public String description() {
    return "Cross-check: LLKD-J on the independent PyTorch reference's Emotion setting (its teacher and train subsets),"
        + " beside its per-seed results, one line per arm: within the seed spread or not";
  }

  @Override public List<String> defaultDatasets() { return List.of(DATASET); }

  /** {@code <repo>/ref/crosscheck-emotion}: the reference's results, subsets and teacher arrays. */
  static Path refDir() {
    return Provenance.repoRoot().resolve("ref").resolve("crosscheck-emotion");
  }

  @Override public void run(ExperimentOptions o) {
    long t0 = System.nanoTime();
    if (!o.inputs().datasets().equals(List.of(DATASET))) {
      throw new IllegalArgumentException("CrossCheck runs on emotion only (the reference's dataset), found --dataset "
          + o.inputs().datasets());
    }
    if (o.seeds() > MAX_SEEDS) {
      throw new IllegalArgumentException("CrossCheck has the reference's subsets of seeds 1.." + MAX_SEEDS
          + " only, found --seeds " + o.seeds());
    }
    Path teacher = ExperimentOptions.teacherFile(o.inputs().teachersRoot(), DATASET, TEACHER);
    if (!Files.isRegularFile(teacher)) {
      throw new IllegalArgumentException("missing " + teacher + "; write it with python3 scripts/crosscheck_inputs.py");
    }
    ExperimentSupport.prepare(o);
    TeacherOutputs full = org.llkd.selection.teacher.TeacherOutputReader.read(teacher);
    List<Path[]> inputs = new ArrayList<>(); // per seed: {dataRoot, teacher file}
    for (long s : o.seedList()) inputs.add(writeInputs(o, full, s));
    ExperimentSupport.runAndFinish(this, o, t0, engine -> grid(engine, o, inputs));
  }

  /**
   * The derived dataset and teacher of seed {@code s} under {@code <out>/inputs/s<s>/}; rewritten on every run
   * (byte-identical: the rows file, the shipped splits and the teacher file fix them).
   */
  static Path[] writeInputs(ExperimentOptions o, TeacherOutputs full, long s) {
    Path rowsFile = refDir().resolve("train_rows_s" + s + ".txt");
    Path src = o.inputs().dataRoot().resolve(DATASET);
    Path root = o.output().out().resolve("inputs").resolve("s" + s);
    Path dir = root.resolve(DATASET);
    try {
      if (!Files.isRegularFile(rowsFile)) {
        throw new IllegalArgumentException("missing " + rowsFile + "; write it with python3 scripts/crosscheck_inputs.py");
      }
      List<Integer> rows = new ArrayList<>();
      for (String l : Files.readAllLines(rowsFile, StandardCharsets.UTF_8)) if (!l.isBlank()) rows.add(Integer.parseInt(l.strip()));
      List<String> train = Files.readAllLines(src.resolve("train.tsv"), StandardCharsets.UTF_8);
      StringBuilder tsv = new StringBuilder(train.get(0)).append('\n');
      List<String> ids = new ArrayList<>();
      List<double[]> probs = new ArrayList<>();
      Map<String, Integer> byId = new LinkedHashMap<>();
      for (int i = 0; i < full.numRows(); i++) byId.put(full.ids().get(i), i);
      for (int j = 0; j < rows.size(); j++) {
        int r = rows.get(j);
        if (j > 0 && r <= rows.get(j - 1)) {
          throw new IllegalArgumentException(rowsFile + " line " + (j + 1) + ": rows must ascend, found " + r + " after "
              + rows.get(j - 1));
        }
        tsv.append(train.get(r + 1)).append('\n'); // + 1: the header line
        ids.add("train-" + j);
        probs.add(full.probs()[row(byId, "train-" + r, full)]);
      }
      for (String split : List.of("dev")) {
        int n = Files.readAllLines(src.resolve(split + ".tsv"), StandardCharsets.UTF_8).size() - 1;
        for (int j = 0; j < n; j++) {
          ids.add(split + "-" + j);
          probs.add(full.probs()[row(byId, split + "-" + j, full)]);
        }
      }
      Files.createDirectories(dir);
      AtomicFiles.writeString(dir.resolve("train.tsv"), tsv.toString());
      for (String f : List.of("dev.tsv", "test.tsv", "labels.txt")) {
        AtomicFiles.writeString(dir.resolve(f), Files.readString(src.resolve(f), StandardCharsets.UTF_8));
      }
      Map<String, Object> meta = new LinkedHashMap<>(full.metadata());
      meta.put("subset", "train rows of " + rowsFile.getFileName() + " (sha256:" + Sha256.of(rowsFile)
          + ") renumbered train-0..; dev rows unchanged; from " + TEACHER + ".jsonl");
      Path teacher = root.resolve(TEACHER + ".jsonl");
      TeacherOutputWriter.writeJsonl(TeacherOutputs.ofProbabilities(ids, full.labelNames(),
          probs.toArray(double[][]::new), meta), teacher);
      return new Path[] {root, teacher};
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the cross-check inputs under " + root, e);
    }
  }

  private static int row(Map<String, Integer> byId, String id, TeacherOutputs t) {
    Integer i = byId.get(id);
    if (i == null) throw new IllegalArgumentException(t.source() + ": no row " + id + "; rewrite it with "
        + "python3 scripts/crosscheck_inputs.py");
    return i;
  }

  /** LLKD arms of every seed first, then the others (top-k at the named LLKD arm's mean ratio of the same seed). */
  static List<RunGrid.Outcome> grid(RunEngine engine, ExperimentOptions o, List<Path[]> inputs) {
    List<Long> seeds = o.seedList();
    List<Arm> first = ARMS.stream().filter(a -> a.method().equals("llkd")).toList();
    List<Arm> second = ARMS.stream().filter(a -> !a.method().equals("llkd")).toList();
    List<RunGrid.Spec> specs1 = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) for (Arm a : first) specs1.add(spec(o, inputs.get(i), seeds.get(i), a, Double.NaN));
    List<RunGrid.Outcome> out1 = engine.runAll(o.output().out(), specs1, o.output().resume());
    Map<String, RunGrid.Outcome> llkd = new LinkedHashMap<>();
    for (RunGrid.Outcome x : out1) llkd.put(x.spec().tags().get(ARM) + "/" + x.spec().config().seed(), x);
    // A top-k arm needs its LLKD arm's ratio: where that run failed it is not run (no made-up ratio) and is recorded
    // as failed naming it, as in MainResultsTable.
    List<RunGrid.Spec> specs2 = new ArrayList<>();
    List<RunGrid.Outcome> blocked = new ArrayList<>(); // null where the spec at that position runs
    for (int i = 0; i < seeds.size(); i++) {
      for (Arm a : second) {
        double r = Double.NaN;
        if (a.ratioOf() != null) {
          RunGrid.Outcome l = llkd.get(a.ratioOf() + "/" + seeds.get(i));
          if (!l.ok()) {
            blocked.add(new RunGrid.Outcome(spec(o, inputs.get(i), seeds.get(i), a, 0.5), Map.of(), "not run: it takes "
                + "the selection ratio of " + l.spec().runId() + ", which failed (" + l.error() + ")"));
            continue;
          }
          r = Double.parseDouble(l.metrics().get("mean_ratio"));
        }
        specs2.add(spec(o, inputs.get(i), seeds.get(i), a, r));
        blocked.add(null);
      }
    }
    List<RunGrid.Outcome> ran = engine.runAll(o.output().out(), specs2, o.output().resume());
    List<RunGrid.Outcome> all = new ArrayList<>(out1);
    int next = 0;
    for (RunGrid.Outcome b : blocked) all.add(b != null ? b : ran.get(next++));
    return all;
  }

  private static RunGrid.Spec spec(ExperimentOptions o, Path[] input, long seed, Arm a, double ratio) {
    TrainConfig c = o.overrides().apply(o.tier().config(DATASET, input[0], input[1], a.method(), seed));
    if (!Double.isNaN(a.momentum())) c = c.withSelector(c.selector().withMomentum(a.momentum()));
    if (!Double.isNaN(ratio)) c = c.withSelector(c.selector().withRatio(Math.max(1e-3, Math.min(1.0, ratio))));
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(ARM, a.name());
    return new RunGrid.Spec(c, tags);
  }

  @Override public void build(Path expDir) {
    RawTable raw = RawTable.read(expDir.resolve("raw.csv"));
    Path refCsv = refDir().resolve("reference_runs.csv");
    RawTable ref = RawTable.read(refCsv);
    AtomicFiles.writeString(expDir.resolve("table.md"), markdown(raw, ref));
  }

  /** Metrics compared: raw.csv column, reference_runs.csv column, label. */
  static final List<String[]> METRICS = List.of(new String[] {"test_accuracy", "test_acc", "test acc"},
      new String[] {"test_macro_f1", "test_macro_f1", "test macro-F1"},
      new String[] {"data_used", "data_used", "data used"},
      new String[] {"mean_ratio", "mean_ratio", "mean ratio"},
      new String[] {"teacher_acc_selected", "teacher_acc_selected", "teacher acc (selected)"});
  /** The metrics the within-spread line judges. */
  static final int JUDGED = 2;

  static String markdown(RawTable raw, RawTable ref) {
    RawTable ok = raw.filter(r -> "ok".equals(r.get("status")));
    StringBuilder sb = new StringBuilder("# Cross-check against the independent PyTorch reference (Emotion)\n\n");
    Path expDir = raw.source().toAbsolutePath().getParent();
    TableProvenance prov = TableProvenance.of(expDir, ok.rows());
    sb.append(prov.dirtyBanner());
    sb.append("Both sides: the reference's teacher (`teachers/emotion/crosscheck-bge.jsonl`, bge-small zero-shot, "
        + "train accuracy 0.575), its 4,000 train rows per seed (`ref/crosscheck-emotion/train_rows_s<seed>.txt`), the "
        + "whole dev and test splits; tier and λ as recorded in each run's provenance.json. Reference: "
        + "`ref/crosscheck-emotion/reference_runs.csv` (PyTorch, written apart from LLKD-J). Cells: mean ± sample sd "
        + "over seeds (the reference's convention).\n\n");
    List<String> rowsUsed = ok.distinct("train_rows");
    List<String> steps = ok.distinct("steps");
    if (!ok.rows().isEmpty() && !(rowsUsed.equals(List.of("4000")) && steps.equals(List.of("375")))) {
      sb.append("> **Not the reference's setting**: these LLKD-J runs trained on ").append(String.join("/", rowsUsed))
          .append(" rows for ").append(String.join("/", steps)).append(" steps; the reference used 4,000 rows and 375 "
          + "steps (the standard tier, `--standard`). The lines below compare unlike runs.\n\n");
    }
    sb.append("| arm | side | seeds |");
    for (String[] m : METRICS) sb.append(' ').append(m[2]).append(" |");
    sb.append("\n|---|---|---|");
    for (int i = 0; i < METRICS.size(); i++) sb.append("---|");
    sb.append('\n');
    List<String> lines = new ArrayList<>();
    for (Arm a : ARMS) {
      RawTable ours = ok.filter(r -> a.name().equals(r.get(ARM)));
      RawTable theirs = ref.filter(r -> a.name().equals(r.get("method")));
      if (ours.rows().isEmpty() && theirs.rows().isEmpty()) continue;
      for (int side = 0; side < 2; side++) {
        RawTable t = side == 0 ? ours : theirs;
        sb.append("| ").append(side == 0 ? a.name() : "").append(" | ").append(side == 0 ? "LLKD-J" : "reference")
            .append(" | ").append(t.rows().size()).append(" |");
        for (String[] m : METRICS) sb.append(' ').append(cell(t.values(m[side == 0 ? 0 : 1], r -> true))).append(" |");
        sb.append('\n');
      }
      lines.add(line(a.name(), ours, theirs));
    }
    sb.append("\nWithin the seed spread (rule: |Δ mean| ≤ max(2 × pooled sample sd of the two sides, 0.005), judged on "
        + "test accuracy and test macro-F1; Δ = LLKD-J − reference; docs/statistics.md):\n\n");
    for (String l : lines) sb.append(l).append('\n');
    sb.append('\n');
    sb.append(prov.markdown(TableProvenance.builtBy(CrossCheck.class.getSimpleName() + "` from `raw.csv` and `"
        + "ref/crosscheck-emotion/reference_runs.csv")));
    return sb.toString();
  }

  /** "0.612 ± 0.007", "0.612" for one value, "–" for none. */
  static String cell(double[] v) {
    SeedSummary s = SeedSummary.of(v);
    if (s.n() == 0) return "–";
    return s.n() == 1 ? String.format(Locale.ROOT, "%.3f", s.mean())
        : String.format(Locale.ROOT, "%.3f ± %.3f", s.mean(), s.sd());
  }

  /**
   * The generated line of one arm: "within the seed spread" when every judged metric is, "**outside** the seed spread
   * (metric)" when any is, "not judged" when a side has no runs or no spread.
   */
  static String line(String arm, RawTable ours, RawTable theirs) {
    List<String> parts = new ArrayList<>();
    List<String> outside = new ArrayList<>();
    boolean judged = true;
    for (String[] m : METRICS.subList(0, JUDGED)) {
      SeedSpread s = SeedSpread.of(ours.values(m[0], r -> true), theirs.values(m[1], r -> true));
      parts.add(m[2] + " " + s.describe());
      if (!s.judged()) judged = false;
      else if (!s.within()) outside.add(m[2]);
    }
    String verdict;
    if (ours.rows().isEmpty() || theirs.rows().isEmpty()) {
      verdict = "not judged (" + (ours.rows().isEmpty() ? "no LLKD-J runs" : "no reference runs") + ")";
      return "- " + arm + ": " + verdict;
    } else if (!outside.isEmpty()) {
      verdict = "**outside the seed spread** (" + String.join(", ", outside) + ")";
    } else if (!judged) {
      verdict = "not judged (one seed on each side)";
    } else {
      verdict = "within the seed spread";
    }
    return "- " + arm + ": " + verdict + " — " + String.join("; ", parts);
  }

  public static void main(String[] args) {
    System.exit(ExperimentMain.run(new CrossCheck(), args));
  }
}
