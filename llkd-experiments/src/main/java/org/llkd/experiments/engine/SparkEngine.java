package org.llkd.experiments.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.llkd.experiments.teacher.TextEmbedder;
import org.llkd.experiments.train.TrainConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.llkd.experiments.train.Trainer;

/**
 * Each run of a grid stage is one Spark task: {@code parallelize(runs, runs.size())}, one partition per run, so
 * the scheduler places runs on free task slots (one slot = {@code spark.task.cpus} cores). A task trains its run
 * with {@link RunGrid#run} into the shared output directory (it owns that run directory; a finished run is
 * skipped) and returns the metrics row or the error; the driver turns the rows into {@link RunGrid.Outcome}s,
 * from which the experiment writes raw.csv and provenance.json. Retries: see {@link SparkTask}.
 *
 * <p>Requirements, checked before any run: the output directory and every input path must be absolute when the
 * master is not local (executors have other working directories), and speculative execution must be off (two
 * attempts of a run would write the same run directory at once).
 */
public final class SparkEngine implements RunEngine {
  private static final Logger LOG = LoggerFactory.getLogger(SparkEngine.class);

  /** The {@code --add-opens} Spark 3.5 needs on Java 17 (verified set; see docs/spark.md). */
  public static final List<String> REQUIRED_OPENS = List.of("java.lang", "java.lang.invoke", "java.nio", "java.util",
      "sun.nio.ch");

  private static final Pattern LOCAL_WITH_RETRIES = Pattern.compile("local\\[\\s*(?:\\d+|\\*)\\s*,\\s*(\\d+)\\s*\\]");
  private static final Pattern LOCAL_NO_RETRIES = Pattern.compile("local(\\[\\s*(?:\\d+|\\*)\\s*\\])?");

  private final JavaSparkContext sc;
  private final boolean ownsContext;
  private final RunBody body;
  private final int maxAttempts;

  /** Uses an existing context (not stopped by {@link #close()}). */
  public SparkEngine(JavaSparkContext sc) { this(sc, false, RunBody.grid()); }

  /** Test hook: {@code body} replaces {@link RunGrid#run} inside the tasks (e.g. to inject a failure). */
  SparkEngine(JavaSparkContext sc, boolean ownsContext, RunBody body) {
    this.sc = sc;
    this.ownsContext = ownsContext;
    this.body = body;
    if (sc.getConf().getBoolean("spark.speculation", false)) {
      throw new IllegalArgumentException("spark.speculation=true: two attempts of one run would write the same run "
          + "directory at once; run the grid with spark.speculation=false");
    }
    this.maxAttempts = maxAttempts(sc.master(), sc.getConf());
  }

  /**
   * Starts a context: {@code master} if given, else the {@code spark.master} that spark-submit set, else
   * {@link EngineOptions#DEFAULT_MASTER}.
   */
  static SparkEngine open(String master, String appName) {
    checkJavaFlags();
    SparkConf conf = new SparkConf().setAppName(appName);
    if (master != null) conf.setMaster(master);
    else if (!conf.contains("spark.master")) conf.setMaster(EngineOptions.DEFAULT_MASTER);
    return new SparkEngine(new JavaSparkContext(conf), true, RunBody.grid());
  }

  /**
   * How many attempts Spark makes at a task: {@code local[N,F]} → F; {@code local} and {@code local[N]} → 1 (local
   * mode does not retry); a cluster master → {@code spark.task.maxFailures} (Spark's default 4).
   */
  static int maxAttempts(String master, SparkConf conf) {
    Matcher m = LOCAL_WITH_RETRIES.matcher(master);
    if (m.matches()) return Math.max(1, Integer.parseInt(m.group(1)));
    if (LOCAL_NO_RETRIES.matcher(master).matches()) return 1;
    return Math.max(1, conf.getInt("spark.task.maxFailures", 4));
  }

  static boolean isLocal(String master) { return master.startsWith("local"); }

  /** Fails with the flags to add when this JVM lacks an {@code --add-opens} that Spark needs on Java 17. */
  static void checkJavaFlags() {
    Module java = Object.class.getModule();
    Module us = SparkEngine.class.getModule();
    List<String> missing = new ArrayList<>();
    for (String p : REQUIRED_OPENS) if (!java.isOpen(p, us)) missing.add("--add-opens=java.base/" + p + "=ALL-UNNAMED");
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("--engine spark on Java " + Runtime.version().feature() + " needs JVM flags "
          + "this JVM lacks: " + String.join(" ", missing) + " (spark-submit adds them itself; for java or mvn, add "
          + "them to the java command line or MAVEN_OPTS / surefire argLine; see docs/spark.md)");
    }
  }

  @Override public String name() { return "spark"; }

  @Override public List<RunGrid.Outcome> runAll(Path expDir, List<RunGrid.Spec> specs, boolean resume) {
    if (specs.isEmpty()) return List.of();
    if (!isLocal(sc.master())) requireAbsolute(expDir, specs);
    List<byte[]> in = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      in.add(SparkTask.write(RunDescription.of(i, expDir, specs.get(i), resume, maxAttempts)));
    }
    sc.setJobDescription("llkd grid " + expDir.getFileName() + ": " + specs.size() + " runs");
    List<byte[]> out = SparkTask.collect("Spark job of " + specs.size() + " runs into " + expDir,
        "; finished runs are kept (metrics.csv): rerun with --resume to skip them",
        () -> sc.parallelize(in, in.size()).map(new SparkTask(body)).collect());
    RunGrid.Outcome[] outcomes = new RunGrid.Outcome[specs.size()];
    for (byte[] b : out) {
      RunResult r = SparkTask.read(b, RunResult.class);
      RunGrid.Spec s = specs.get(r.index());
      if (!s.runId().equals(r.runId())) {
        throw new IllegalStateException("result " + r.index() + " is for run " + r.runId() + ", expected " + s.runId());
      }
      if (r.ok()) LOG.info("[spark] {} ok (attempt {}, executor {})", r.runId(), r.attempt(), r.executor());
      else LOG.warn("[spark] {} FAILED: {} (attempt {}, executor {})", r.runId(), r.error(), r.attempt(), r.executor());
      if (r.badInput()) throw new IllegalArgumentException(r.runId() + ": " + r.error());
      outcomes[r.index()] = new RunGrid.Outcome(s, r.metrics(), r.error());
    }
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i] == null) throw new IllegalStateException("Spark returned no result for run " + specs.get(i).runId());
    }
    return List.of(outcomes);
  }

  /**
   * Sweep trials as Spark tasks: each trial is a one-task job ({@link SparkTrialTask}); Arbiter's runner threads
   * (one per {@link Trainer.Launcher#slots()} by default) submit them concurrently, and Spark places them on free task
   * slots. Retries as for grid runs; a trial whose last attempt fails throws here, and the sweep records it as
   * failed and goes on.
   */
  @Override public Trainer.Launcher launcher() {
    return new Trainer.Launcher() {
      @Override public void train(TrainConfig config, Path trialDir, boolean resume) {
        if (!isLocal(sc.master())) requireAbsolute(trialDir, List.of(new RunGrid.Spec(config, new LinkedHashMap<>())));
        byte[] in = SparkTask.write(new SparkTrialTask.Trial(TrainConfigDto.of(config),
            trialDir.toAbsolutePath().normalize().toString(), resume, maxAttempts));
        sc.setJobDescription("llkd sweep trial " + trialDir.getFileName());
        List<byte[]> out = SparkTask.collect("Spark job of trial " + trialDir.getFileName(), "",
            () -> sc.parallelize(List.of(in), 1).map(new SparkTrialTask()).collect());
        RunResult r = SparkTask.read(out.get(0), RunResult.class);
        if (r.ok()) LOG.info("[spark] trial {} ok (attempt {}, executor {})", r.runId(), r.attempt(), r.executor());
        else LOG.warn("[spark] trial {} FAILED: {} (attempt {}, executor {})", r.runId(), r.error(), r.attempt(),
            r.executor());
        if (r.badInput()) throw new IllegalArgumentException("trial " + r.runId() + ": " + r.error());
        if (!r.ok()) throw new IllegalStateException("trial " + r.runId() + ": " + r.error());
      }

      @Override public Map<String, Object> describe() {
        return SparkEngine.this.describe();
      }

      @Override public Integer slots() {
        return Math.max(1, sc.defaultParallelism());
      }
    };
  }

  /** Teacher export on Spark: {@link SparkTextEmbedder} ({@code partitions} null: the default parallelism). */
  @Override public TextEmbedder textEmbedder(Integer partitions, int threads) {
    return new SparkTextEmbedder(sc, partitions, threads);
  }

  private static void requireAbsolute(Path expDir, List<RunGrid.Spec> specs) {
    List<String> relative = new ArrayList<>();
    if (!expDir.isAbsolute()) relative.add("--out " + expDir);
    for (RunGrid.Spec s : specs) {
      if (!s.config().data().dataRoot().isAbsolute()) relative.add("--data-root " + s.config().data().dataRoot());
      if (!s.config().data().teacherFile().isAbsolute()) relative.add("teacher " + s.config().data().teacherFile());
    }
    if (!relative.isEmpty()) {
      throw new IllegalArgumentException("a cluster master needs absolute paths on storage every executor sees; "
          + "relative: " + relative.stream().distinct().toList());
    }
  }

  @Override public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("engine", "spark");
    m.put("sparkVersion", sc.version());
    m.put("master", sc.master());
    m.put("defaultParallelism", sc.defaultParallelism());
    m.put("taskCpus", sc.getConf().get("spark.task.cpus", "1"));
    m.put("maxAttempts", maxAttempts);
    return m;
  }

  @Override public void close() {
    if (ownsContext) sc.stop();
  }
}
