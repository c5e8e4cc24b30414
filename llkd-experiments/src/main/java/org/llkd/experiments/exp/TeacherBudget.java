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
import org.llkd.experiments.csv.Csv;
import org.llkd.experiments.data.DatasetCatalog;
import org.llkd.experiments.data.Sample;
import org.llkd.experiments.data.Split;
import org.llkd.experiments.data.TextDataset;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.report.TableProvenance;
import org.llkd.experiments.stats.PairedComparison;
import org.llkd.experiments.stats.SeedSummary;
import org.llkd.experiments.teacher.plan.BudgetPlanner;
import org.llkd.experiments.teacher.plan.PoolStudent;
import org.llkd.experiments.train.Tier;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.experiments.train.Trainer;
import org.llkd.experiments.train.TrainingData;
import org.llkd.experiments.train.TrainingSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 28 item 4: is it worth choosing which rows the teacher labels? The stand-in teacher plays the LLM: a row's
 * teacher output is revealed only once the row is planned. Pool: the tier's train rows (the head of the train
 * split, which is shipped in random order; the whole split at the full tier). For budgets of 5%, 10% and 25% of the
 * pool and each seed, two plans of the same size: {@code planner} ({@link BudgetPlanner}: a random seed set of a
 * quarter of the budget, then 2 rounds of the quick-tier student (tiny tier: the tiny student) trained on what is
 * labelled, picking the next rows by its uncertainty and k-center diversity over its sentence embeddings) and
 * {@code random} (a seeded random subset; its first quarter is the planner's seed set). Then the tier's student is
 * trained with LLKD on the planned rows only (repeated within each epoch to make at least the tier's number of steps)
 * and scored on the test split:
 * macro-F1 against teacher calls spent.
 *
 * <p>Each run directory holds {@code plan.txt} (pool rows in plan order), the final run's files, {@code result.csv}
 * and {@code provenance.json}; {@code --resume} skips finished runs and reuses a saved plan.
 */
public final class TeacherBudget implements Experiment {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherBudget.class);
  static final double[] FRACTIONS = {0.05, 0.10, 0.25};
  static final List<String> METHODS = List.of("planner", "random");
  static final String FINAL_METHOD = "llkd";
  static final int ROUNDS = 2;
  static final double SEED_FRACTION = 0.25;
  static final int FILTER_FACTOR = 4;
  static final List<String> COLUMNS = List.of("run_id", "dataset", "method", "seed", "budget_fraction", "budget_rows",
      "pool_rows", "teacher_calls", "rounds", "test_accuracy", "test_macro_f1", "plan_seconds", "wall_seconds", "status");

  @Override public String name() { return "TeacherBudget"; }

  @Override public String description() {
    return "Teacher budget: which rows to send to the LLM (uncertainty + k-center planner vs random rows), macro-F1 "
        + "against teacher calls at 5/10/25% of the pool";
  }

  @Override public List<String> defaultDatasets() { return List.of("emotion"); }

  @Override public void run(ExperimentOptions o) {
    long t0 = System.nanoTime();
    Path dir = ExperimentSupport.prepare(o);
    List<List<String>> rows = new ArrayList<>();
    List<Path> failed = new ArrayList<>();
    for (String d : o.inputs().datasets()) {
      TrainConfig tierCfg = o.base(d, FINAL_METHOD, 1);
      TextDataset train = TrainingData.input(() -> DatasetCatalog.load(o.inputs().dataRoot(), d, Split.TRAIN));
      TextDataset test = TrainingData.input(() -> DatasetCatalog.load(o.inputs().dataRoot(), d, Split.TEST));
      int tierRows = tierCfg.data().trainRows();
      int poolRows = tierRows == 0 ? train.size() : Math.min(tierRows, train.size());
      TextDataset pool = head(train, poolRows);
      List<String> ids = pool.samples().stream().map(Sample::id).toList();
      double[][] teacher = TrainingData.readTeacher(o.teacherFile(d), "train",
          train.samples().stream().map(Sample::id).toList(), train.labels().names()).probs();
      TrainConfig.Schedule tierSchedule = tierCfg.schedule();
      int tierSteps = (poolRows + tierSchedule.batchSize() - 1) / tierSchedule.batchSize() * tierSchedule.epochs();
      for (double f : FRACTIONS) {
        int budget = Math.max(2, (int) Math.round(f * poolRows));
        for (long seed : o.seedList()) {
          for (String method : METHODS) {
            String runId = String.format(Locale.ROOT, "%s-b%02d-%s-s%d", d, Math.round(f * 100), method, seed);
            Path runDir = dir.resolve("runs").resolve(runId);
            Path result = runDir.resolve("result.csv");
            if (o.output().resume() && Files.isRegularFile(result)) {
              Map<String, String> done = Csv.readSingleRow(result);
              rows.add(COLUMNS.stream().map(c -> done.getOrDefault(c, "")).toList());
              LOG.info("{}: finished before, skipped", runId);
              continue;
            }
            long r0 = System.nanoTime();
            List<String> row;
            try {
              row = oneRun(o, d, pool, test, teacher, tierCfg.withSeed(seed), tierSteps, budget, method, seed, runId,
                  runDir, f, r0);
            } catch (RuntimeException e) {
              LOG.error("{}: failed", runId, e);
              failed.add(runDir);
              writeFailed(runDir, e);
              row = List.of(runId, d, method, Long.toString(seed), fmt(f), Integer.toString(budget),
                  Integer.toString(poolRows), Integer.toString(budget), "", "", "", "", fmt((System.nanoTime() - r0) / 1e9),
                  "failed: " + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
            rows.add(row);
          }
        }
      }
      LOG.info("{}: pool of {} rows ({})", d, poolRows, ids.isEmpty() ? "" : ids.get(0) + "..");
    }
    Csv.write(dir.resolve("raw.csv"), COLUMNS, rows);
    Provenance p = new Provenance(name(), o, o.seedList());
    for (String d : o.inputs().datasets()) {
      p.input("dataset." + d + ".train", o.inputs().dataRoot().resolve(d).resolve("train.tsv"));
      p.input("dataset." + d + ".test", o.inputs().dataRoot().resolve(d).resolve("test.tsv"));
      p.input("teacher." + d, o.teacherFile(d));
    }
    p.put("design", Map.of("fractions", List.of(0.05, 0.10, 0.25), "methods", METHODS, "rounds", ROUNDS,
        "seedFraction", SEED_FRACTION, "filterFactor", FILTER_FACTOR, "finalMethod", FINAL_METHOD));
    p.put("runs", Map.of("total", rows.size(), "failed", failed.size()));
    p.put("experimentWallSeconds", (System.nanoTime() - t0) / 1e9);
    p.write(dir.resolve("provenance.json"));
    build(dir);
    if (!failed.isEmpty()) throw new RunsFailedException(failed, rows.size());
  }

  private static List<String> oneRun(ExperimentOptions o, String d, TextDataset pool, TextDataset test,
      double[][] teacher, TrainConfig finalBase, int tierSteps, int budget, String method, long seed, String runId,
      Path runDir, double f, long r0) {
    Path planFile = runDir.resolve("plan.txt");
    List<Integer> plan;
    double planSeconds = 0;
    if (o.output().resume() && Files.isRegularFile(planFile)) {
      plan = readPlan(planFile);
    } else {
      BudgetPlanner planner = new BudgetPlanner(budget, ROUNDS, SEED_FRACTION, FILTER_FACTOR, seed);
      if (method.equals("planner")) {
        TrainConfig roundCfg = o.tier() == Tier.TINY ? finalBase
            : TrainConfig.quick(d, o.inputs().dataRoot(), o.teacherFile(d), "all", seed);
        int roundSteps = o.tier() == Tier.TINY ? 8 : 189; // the quick tier's 2,000 rows x 3 epochs / 32
        plan = planner.plan(pool.size(), rows -> rows.stream().map(i -> teacher[i].clone()).toArray(double[][]::new),
            new PoolStudent(roundCfg, pool, runDir.resolve("rounds"), roundSteps));
      } else {
        plan = planner.randomPlan(pool.size());
      }
      planSeconds = (System.nanoTime() - r0) / 1e9;
      writePlan(planFile, plan, pool);
    }
    double[][] probs = new double[plan.size()][];
    for (int i = 0; i < probs.length; i++) probs[i] = teacher[plan.get(i)];
    TrainConfig cfg = finalBase.withData(finalBase.data().withTrainRows(0));
    int repeat = PoolStudent.repeats(cfg, plan.size(), tierSteps);
    TrainingSources src = PoolStudent.subset(pool, plan, probs, null, test, true, repeat);
    Trainer.Result r = new Trainer(cfg, runDir.resolve("final")).resuming(o.output().resume()).train(() -> src);
    List<String> row = List.of(runId, d, method, Long.toString(seed), fmt(f), Integer.toString(budget),
        Integer.toString(pool.size()), Integer.toString(plan.size()), Integer.toString(method.equals("planner") ? ROUNDS : 0),
        fmt(r.test().accuracy()), fmt(r.test().macroF1()), fmt(planSeconds), fmt((System.nanoTime() - r0) / 1e9), "ok");
    Map<String, Object> cfgMap = new LinkedHashMap<>();
    cfgMap.put("final", cfg.toString());
    cfgMap.put("budget", budget);
    cfgMap.put("method", method);
    cfgMap.put("rowsRepeatedPerEpoch", repeat);
    Provenance p = new Provenance("TeacherBudget/" + runId, cfgMap, List.of(seed));
    p.input("teacher", o.teacherFile(d));
    p.input("plan", planFile);
    p.write(runDir.resolve("provenance.json"));
    Csv.write(runDir.resolve("result.csv"), COLUMNS, List.of(row));
    return row;
  }

  /** {@code runDir/FAILED.txt}: the error on line 1, then the stack trace (what {@code llkd run} points to). */
  private static void writeFailed(Path runDir, RuntimeException e) {
    java.io.StringWriter sw = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(sw));
    try {
      Files.createDirectories(runDir);
      Files.writeString(runDir.resolve("FAILED.txt"), String.valueOf(e.getMessage()).replace('\n', ' ') + "\n" + sw,
          StandardCharsets.UTF_8);
    } catch (IOException io) {
      LOG.error("{}: could not write FAILED.txt", runDir, io);
    }
  }

  static TextDataset head(TextDataset ds, int n) {
    return n >= ds.size() ? ds
        : new TextDataset(ds.name(), ds.split(), ds.samples().subList(0, n), ds.labels(), ds.source(), ds.sha256());
  }

  private static void writePlan(Path file, List<Integer> plan, TextDataset pool) {
    StringBuilder sb = new StringBuilder();
    for (int i : plan) sb.append(pool.get(i).id()).append('\n');
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  private static List<Integer> readPlan(Path file) {
    try {
      List<Integer> out = new ArrayList<>();
      for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!l.isBlank()) out.add(Integer.parseInt(l.strip().substring(l.strip().lastIndexOf('-') + 1)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
  }

  @Override public void build(Path expDir) {
    RawTable raw = RawTable.read(expDir.resolve("raw.csv")).filter(r -> "ok".equals(r.get("status")));
    StringBuilder md = new StringBuilder("# Teacher budget: planned vs random rows\n\n");
    md.append("Test macro-F1 of the student trained with LLKD on the rows sent to the teacher (stand-in teacher as "
        + "the LLM), by budget. planner: random seed set of 25% of the budget, then 2 rounds of uncertainty-filtered "
        + "k-center over the quick-tier student's embeddings; random: a seeded random subset. Mean ± 95% CI half-width "
        + "over seeds; Δ = planner − random, paired by seed (t-test).\n\n");
    md.append("| dataset | budget | teacher calls | planner | random | Δ macro-F1 (paired) | p (t) | pairs |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    List<String> names = new ArrayList<>(METHODS);
    List<double[]> xs = new ArrayList<>();
    List<double[]> ys = new ArrayList<>();
    for (String m : METHODS) {
      xs.add(new double[FRACTIONS.length]);
      ys.add(new double[FRACTIONS.length]);
    }
    for (String d : raw.distinct("dataset")) {
      for (int fi = 0; fi < FRACTIONS.length; fi++) {
        String f = fmt(FRACTIONS[fi]);
        List<Map<String, String>> cell = raw.rows().stream()
            .filter(r -> d.equals(r.get("dataset")) && f.equals(r.get("budget_fraction"))).toList();
        if (cell.isEmpty()) continue;
        String calls = cell.get(0).get("teacher_calls");
        double[][] bySeed = new double[2][];
        String[] cells = new String[2];
        for (int mi = 0; mi < 2; mi++) {
          String m = METHODS.get(mi);
          bySeed[mi] = cell.stream().filter(r -> m.equals(r.get("method")))
              .sorted(java.util.Comparator.comparingLong(r -> Long.parseLong(r.get("seed"))))
              .mapToDouble(r -> Double.parseDouble(r.get("test_macro_f1"))).toArray();
          SeedSummary s = bySeed[mi].length == 0 ? null : SeedSummary.of(bySeed[mi]);
          cells[mi] = s == null ? "—" : s.cell(3) + " (n=" + s.n() + ")";
          xs.get(mi)[fi] = Double.parseDouble(calls);
          ys.get(mi)[fi] = s == null ? Double.NaN : s.mean();
        }
        String delta = "—", p = "—";
        int pairs = Math.min(bySeed[0].length, bySeed[1].length);
        if (pairs >= 2 && bySeed[0].length == bySeed[1].length) {
          PairedComparison c = PairedComparison.of(bySeed[0], bySeed[1]);
          delta = c.difference().cell(3);
          p = String.format(Locale.ROOT, "%.3f", c.pT());
        }
        md.append(String.format(Locale.ROOT, "| %s | %.0f%% | %s | %s | %s | %s | %s | %d |%n", d, FRACTIONS[fi] * 100,
            calls, cells[0], cells[1], delta, p, pairs));
      }
    }
    TableProvenance prov = TableProvenance.of(expDir, raw.rows());
    md.append('\n').append(prov.markdown(TableProvenance.builtBy("TeacherBudget` from `raw.csv")));
    MethodTables.writeMarkdown(expDir.resolve("table.md"), md.toString());
    Charts.lines(expDir.resolve("teacher_budget.png"), "Teacher budget: macro-F1 vs teacher calls",
        "teacher calls (rows labelled)", "test macro-F1", names, xs, ys, false);
  }

  public static void main(String[] args) {
    System.exit(ExperimentMain.run(new TeacherBudget(), args));
  }
}
