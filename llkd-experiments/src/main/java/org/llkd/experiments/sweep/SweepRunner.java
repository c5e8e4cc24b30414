package org.llkd.experiments.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.llkd.experiments.train.Trainer;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.report.ResultDirs;
import org.llkd.models.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep: plans it ({@link SweepPlan}), hands this invocation's trials to Arbiter's
 * {@link LocalOptimizationRunner} ({@code workers} threads; {@link TrialTaskCreator} tasks; {@link DevMacroF1Score}),
 * then writes {@code raw.csv}, {@code table.md}, {@code best_config.json} and {@code provenance.json} into the
 * sweep directory from what the trial directories hold (so they also cover trials other machines ran).
 */
public final class SweepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

  private SweepRunner() {}

  /**
   * How to run a sweep.
   *
   * @param output sweep directory, --force and --resume
   * @param dataRoot directory holding one folder per dataset
   * @param teachersRoot directory holding {@code <dataset>/<teacher>.jsonl}
   * @param slice which of the plan's trials this invocation runs (--shard, --limit)
   * @param workers parallel trials (null: the sweep file's {@code workers})
   * @param trainer what trains a trial ({@link Trainer.Launcher#LOCAL} outside tests)
   */
  public record Options(Output output, Path dataRoot, Path teachersRoot, Slice slice, Integer workers,
      Trainer.Launcher trainer) {
    public Options {
      if (output == null || dataRoot == null || teachersRoot == null) {
        throw new IllegalArgumentException("sweep: out, dataRoot and teachersRoot are required");
      }
      if (slice == null) throw new IllegalArgumentException("sweep: slice is required (Slice.ALL)");
      if (workers != null && workers < 1) throw new IllegalArgumentException("bad --workers " + workers + ": expected >= 1");
      if (trainer == null) throw new IllegalArgumentException("sweep: trainer is required (Trainer.Launcher.LOCAL)");
    }

    /**
     * The sweep directory.
     *
     * @param out sweep directory ({@code trials/<id>/} below it)
     * @param force retrain every selected trial (its directory is deleted first)
     * @param resume continue in a non-empty {@code out}: finished trials are reused, interrupted ones resumed
     */
    public record Output(Path out, boolean force, boolean resume) {
      public Output {
        if (out == null) throw new IllegalArgumentException("sweep: out, dataRoot and teachersRoot are required");
        if (force && resume) {
          throw new IllegalArgumentException("--force and --resume exclude each other: --force retrains, --resume "
              + "continues");
        }
      }
    }

    /**
     * Which trials run here.
     *
     * @param shardIndex this machine's shard, 0 ≤ shardIndex < shardCount: runs trials with index % count = shardIndex
     * @param shardCount machines sharing the sweep
     * @param limit run only the first {@code limit} of the selected trials (null: all); the rest stay pending
     */
    public record Slice(int shardIndex, int shardCount, Integer limit) {
      /** Every trial, on one machine. */
      public static final Slice ALL = new Slice(0, 1, null);

      public Slice {
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
          throw new IllegalArgumentException("bad --shard " + shardIndex + "/" + shardCount
              + ": expected I/N with 0 <= I < N (e.g. 0/2 and 1/2 on two machines)");
        }
        if (limit != null && limit < 1) throw new IllegalArgumentException("bad --limit " + limit + ": expected >= 1");
      }

      /** Whether trial {@code index} of the plan is in this machine's shard. */
      public boolean holds(int index) {
        return index % shardCount == shardIndex;
      }
    }

    /** All trials, the file's workers, the default trainer; data and teachers under {@code repoRoot}. */
    public static Options of(Path out, Path repoRoot, boolean force, boolean resume) {
      return new Options(new Output(out, force, resume), repoRoot.resolve("data"), repoRoot.resolve("teachers"),
          Slice.ALL, null, Trainer.Launcher.LOCAL);
    }

    public Options withTrainer(Trainer.Launcher t) {
      return new Options(output, dataRoot, teachersRoot, slice, workers, t);
    }

    public Options withLimit(Integer l) {
      return new Options(output, dataRoot, teachersRoot, new Slice(slice.shardIndex(), slice.shardCount(), l), workers,
          trainer);
    }

    public Options withWorkers(Integer w) {
      return new Options(output, dataRoot, teachersRoot, slice, w, trainer);
    }

    public Options withResume(boolean r) {
      return new Options(new Output(output.out(), output.force(), r), dataRoot, teachersRoot, slice, workers, trainer);
    }
  }

  /**
   * What one invocation did.
   *
   * @param actions plan index → trained | resumed | reused | failed, for the trials this invocation ran
   * @param bestScore Arbiter's best score among them (null if none finished)
   * @param bestIndex its candidate (plan) index, -1 if none
   */
  public record Summary(Path out, SweepPlan plan, Map<Integer, String> actions, Double bestScore, int bestIndex) {
    public long count(String action) {
      return actions.values().stream().filter(action::equals).count();
    }
  }

  /** Plans, runs and reports {@code spec} with {@code o}; provenance.json's config is the sweep file. */
  public static Summary run(SweepSpec spec, Options o) {
    return run(spec, o, "sweep " + spec.study().name(), spec.origin().source());
  }

  /**
   * As {@link #run(SweepSpec, Options)}, with provenance.json's {@code what} and {@code config} given by the caller
   * (an experiment records its name and options; the sweep file is recorded under {@code sweepFile} either way).
   */
  public static Summary run(SweepSpec spec, Options o, String what, Object config) {
    long t0 = System.nanoTime();
    SweepPlan plan = SweepPlan.create(spec, o.dataRoot(), o.teachersRoot());
    Path out = o.output().resume() && Files.isDirectory(o.output().out()) ? o.output().out().toAbsolutePath().normalize()
        : ResultDirs.prepare(o.output().out(), o.output().force());
    List<SweepPlan.Trial> selected = new ArrayList<>();
    for (SweepPlan.Trial t : plan.trials()) {
      if (o.slice().holds(t.index())) selected.add(t);
    }
    Integer limit = o.slice().limit();
    if (limit != null && selected.size() > limit) selected = new ArrayList<>(selected.subList(0, limit));
    int workers = workers(spec, o);

    Map<Integer, String> actions = new ConcurrentSkipListMap<>();
    Double best = null;
    int bestIndex = -1;
    if (!selected.isEmpty()) {
      LOG.info("sweep {}: {} of {} trials here, {} worker(s) -> {}", spec.study().name(), selected.size(),
          plan.trials().size(), workers, out);
      OptimizationConfiguration cfg = new OptimizationConfiguration.Builder()
          .candidateGenerator(new PlannedCandidates(plan.space(), selected))
          .scoreFunction(new DevMacroF1Score())
          .terminationConditions(new MaxCandidatesCondition(selected.size()))
          .build();
      LocalOptimizationRunner runner = new LocalOptimizationRunner(workers, cfg,
          new TrialTaskCreator(plan, out, o.output().force(), o.trainer(), actions));
      runner.execute();
      best = runner.bestScore();
      bestIndex = runner.bestScoreCandidateIndex();
    }
    report(out, plan, o, workers, actions, best, bestIndex, t0, what, config);
    return new Summary(out, plan, actions, best, bestIndex);
  }

  /**
   * Trains nothing: rewrites raw.csv, table.md, best_config.json and provenance.json of an existing sweep directory
   * from its trial directories (e.g. after every machine of a sharded sweep has finished).
   */
  public static Summary reportOnly(SweepSpec spec, Options o) {
    long t0 = System.nanoTime();
    SweepPlan plan = SweepPlan.create(spec, o.dataRoot(), o.teachersRoot());
    if (!Files.isDirectory(o.output().out())) {
      throw new IllegalArgumentException("--report-only: no sweep directory " + o.output().out() + "; run the sweep first");
    }
    Path out = o.output().out().toAbsolutePath().normalize();
    Map<Integer, String> none = new TreeMap<>();
    report(out, plan, o, workers(spec, o), none, null, -1, t0,
        "sweep " + spec.study().name(), spec.origin().source());
    return new Summary(out, plan, none, null, -1);
  }

  /** Rewrites raw.csv, table.md, best_config.json and provenance.json from the trial directories. */
  static void report(Path out, SweepPlan plan, Options o, int workers, Map<Integer, String> actions, Double best,
      int bestIndex, long t0, String what, Object config) {
    SweepSpec spec = plan.spec();
    Path raw = SweepReport.writeRaw(out, plan);
    RawTable table = RawTable.read(raw);
    AtomicFiles.writeString(out.resolve("table.md"), SweepReport.rankedMarkdown(table, "Sweep " + spec.study().name(),
        roles(spec)));
    SweepReport.writeBest(out, plan, table);

    Provenance p = new Provenance(what, config, spec.seeds());
    p.input("sweep", spec.origin().file());
    for (String split : List.of("train", "dev", "test")) { // keys as ExperimentSupport writes them
      Path f = o.dataRoot().resolve(spec.study().dataset()).resolve(split + ".tsv");
      if (Files.isRegularFile(f)) p.input("dataset." + spec.study().dataset() + "." + split, f);
      else p.put("dataset." + split, "not hashed: no " + f + " (dataset stored in another format)");
    }
    Path teacher = plan.base().data().teacherFile();
    p.input("teacher." + spec.study().dataset() + "." + teacher.getFileName(), teacher);
    p.put("sweepFile", Map.of("path", spec.origin().file().toString(), "sha256", spec.origin().sha256()));
    Map<String, Object> arbiter = new LinkedHashMap<>();
    arbiter.put("artifact", "org.deeplearning4j:arbiter-core:1.0.0-beta7 (see docs/arbiter.md)");
    SweepSpec.SearchPlan search = spec.searchPlan();
    arbiter.put("generator", switch (search.search()) {
      case RANDOM -> "RandomSearchGenerator(seed " + search.rngSeed() + "), " + search.candidates() + " distinct points";
      case GRID -> "GridSearchCandidateGenerator(Sequential, discretizationCount " + search.gridPoints() + ")";
      case ONE_AT_A_TIME -> "GridSearchCandidateGenerator(Sequential) over one-at-a-time variants";
    });
    arbiter.put("runner", "LocalOptimizationRunner(" + workers + ")");
    arbiter.put("score", "DevMacroF1Score (dev_macro_f1, maximised)");
    arbiter.put("bestScoreThisInvocation", best);
    arbiter.put("bestCandidateIndexThisInvocation", bestIndex);
    p.put("arbiter", arbiter);
    p.put("engine", o.trainer().describe());
    Map<String, Object> trials = new LinkedHashMap<>();
    trials.put("planned", plan.trials().size());
    trials.put("selectedThisInvocation", countSelected(plan, o));
    Map<String, Long> acts = new TreeMap<>();
    for (String a : actions.values()) acts.merge(a, 1L, Long::sum);
    trials.put("thisInvocation", acts);
    Map<String, Long> status = new TreeMap<>();
    for (Map<String, String> r : table.rows()) status.merge(r.get("status"), 1L, Long::sum);
    trials.put("statusInRawCsv", status);
    p.put("trials", trials);
    p.put("runs", Map.of("total", plan.trials().size(), "failed", status.getOrDefault("failed", 0L)));
    p.put("options", Map.of("force", o.output().force(), "resume", o.output().resume(), "workers", workers,
        "shard", o.slice().shardIndex() + "/" + o.slice().shardCount(),
        "limit", o.slice().limit() == null ? "none" : o.slice().limit()));
    p.put("baseConfig", plan.base());
    p.put("sweepWallSeconds", (System.nanoTime() - t0) / 1e9);
    p.write(out.resolve("provenance.json"));
  }

  /** --workers, else the engine's task slots (Spark), else the sweep file's workers. */
  private static int workers(SweepSpec spec, Options o) {
    if (o.workers() != null) return o.workers();
    return o.trainer().slots() != null ? o.trainer().slots() : spec.workers();
  }

  private static int countSelected(SweepPlan plan, Options o) {
    int n = 0;
    for (SweepPlan.Trial t : plan.trials()) if (o.slice().holds(t.index())) n++;
    return o.slice().limit() == null ? n : Math.min(n, o.slice().limit());
  }

  /** The tuning-playbook roles of the sweep's hyper-parameters (STYLE convention 11), for table.md. */
  static String roles(SweepSpec spec) {
    List<String> sci = new ArrayList<>();
    List<String> nui = new ArrayList<>(List.of("training seed " + spec.seeds()));
    for (ParameterRange r : spec.space().parameters()) {
      (r.role() == ParameterRange.Role.SCIENTIFIC ? sci : nui).add(r.parameter().key());
    }
    List<String> fixed = new ArrayList<>();
    spec.space().fixed().forEach((k, v) -> fixed.add(k.key() + " = " + SweepParameter.format(v)));
    SweepSpec.Study study = spec.study();
    SweepSpec.Origin origin = spec.origin();
    fixed.add("everything else at the " + study.tier().name().toLowerCase(java.util.Locale.ROOT) + " tier's defaults");
    return "Dataset `" + study.dataset() + "`, teacher `" + study.teacher() + "`, method `" + study.method() + "`, "
        + spec.searchPlan().search().key() + " search (`" + origin.file().getFileName() + "`, sha256 "
        + origin.sha256().substring(0, 12)
        + "…).\n\n- scientific: " + (sci.isEmpty() ? "none" : String.join(", ", sci)) + "\n- nuisance: "
        + String.join(", ", nui) + "\n- fixed: " + String.join(", ", fixed);
  }
}
