package org.llkd.experiments.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.llkd.experiments.train.Trainer;
import org.llkd.experiments.train.RunCheckpoint;
import org.llkd.models.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Arbiter's {@link TaskCreator} for a sweep: each task is one trial. A trial whose directory holds metrics.csv is
 * not retrained (its stored metrics are scored); an interrupted one resumes from its checkpoint; otherwise it
 * trains from scratch. Each task builds its own model inside {@link Trainer.Launcher#train}, so parallel workers
 * share nothing mutable but the (read-only) pretrained weights and tokenizer. A failure is returned to Arbiter as a
 * Failed result (with the non-null {@link CandidateInfo} Arbiter needs: DEPENDENCIES.md pitfall 5) and written to
 * the trial's FAILED.txt; the sweep goes on.
 */
final class TrialTaskCreator implements TaskCreator {
  private static final Logger LOG = LoggerFactory.getLogger(TrialTaskCreator.class);

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SweepPlan plan;
  private final Path out;
  private final boolean force;
  private final Trainer.Launcher trainer;
  private final Map<Integer, String> actions;

  /** {@code actions} receives plan index → trained | resumed | reused | failed. */
  TrialTaskCreator(SweepPlan plan, Path out, boolean force, Trainer.Launcher trainer, Map<Integer, String> actions) {
    this.plan = plan;
    this.out = out;
    this.force = force;
    this.trainer = trainer;
    this.actions = actions;
  }

  @Override public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider,
      ScoreFunction scoreFunction, List<StatusListener> statusListeners, IOptimizationRunner runner) {
    return () -> runTrial(candidate, m -> scoreFunction.score(m, dataProvider, candidate.getDataParameters()));
  }

  @Override public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
      Properties dataSourceProperties, ScoreFunction scoreFunction, List<StatusListener> statusListeners,
      IOptimizationRunner runner) {
    return () -> runTrial(candidate, m -> scoreFunction.score(m, dataSource, dataSourceProperties));
  }

  private interface Scorer {
    double score(Map<String, String> metrics);
  }

  private OptimizationResult runTrial(Candidate candidate, Scorer scorer) {
    long start = System.currentTimeMillis();
    int idx = candidate.getIndex();
    SweepPlan.Trial t = plan.trial(idx);
    if (!t.point().equals(candidate.getValue())) {
      throw new IllegalStateException("candidate " + idx + " is " + candidate.getValue() + ", plan says " + t.point());
    }
    Path dir = TrialDirs.dir(out, t);
    try {
      if (force) TrialDirs.deleteRecursively(dir);
      String action;
      if (TrialDirs.status(dir) == TrialDirs.Status.OK) {
        trainer.reuse(t.config(), dir); // --keep-models: a model for a trial that finished before, too
        action = "reused";
      } else {
        boolean partial = Files.isDirectory(dir);
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve(TrialDirs.TRIAL_JSON))) writeTrialJson(dir, t);
        trainer.train(t.config(), dir, partial);
        Files.deleteIfExists(dir.resolve(TrialDirs.FAILED));
        // A finished trial needs no checkpoint (about 12 bytes per parameter); it is git-ignored anyway.
        Files.deleteIfExists(dir.resolve(RunCheckpoint.FILE));
        action = partial ? "resumed" : "trained";
      }
      Map<String, String> metrics = TrialDirs.readMetrics(dir.resolve(TrialDirs.METRICS));
      double score = scorer.score(metrics);
      actions.put(idx, action);
      CandidateInfo info = new CandidateInfo(idx, CandidateStatus.Complete, score, start, start,
          System.currentTimeMillis(), t.flat(), null);
      return new OptimizationResult(candidate, score, idx, metrics, info, null);
    } catch (Exception | Error e) { // an Error too (e.g. OutOfMemoryError): Arbiter would only log it through slf4j
      StringWriter sw = new StringWriter();
      e.printStackTrace(new PrintWriter(sw));
      String first = (e.getClass().getSimpleName() + ": " + e.getMessage()).replace('\n', ' ');
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(TrialDirs.FAILED), first + "\n\n" + sw, StandardCharsets.UTF_8);
      } catch (IOException ignored) {
        // the failure still reaches Arbiter and raw.csv below
      }
      LOG.warn("sweep: trial {} failed: {}", t.id(), first);
      actions.put(idx, "failed");
      CandidateInfo info = new CandidateInfo(idx, CandidateStatus.Failed, null, start, start,
          System.currentTimeMillis(), t.flat(), sw.toString());
      return new OptimizationResult(candidate, null, idx, null, info, null);
    } finally {
      // The trial's model, optimiser and data are unreachable now. ND4J frees their off-heap buffers only when the
      // Java objects are collected, and with a large heap that may not happen before the next trial allocates:
      // an 8-trial quick sweep in one JVM (-Xmx6g, javacpp.maxbytes 8G) grew to 13.7 GB RSS and was OOM-killed.
      System.gc();
    }
  }

  /** What the trial is, beside what the trainer writes (provenance.json holds the full config). */
  private void writeTrialJson(Path dir, SweepPlan.Trial t) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sweep", plan.spec().study().name());
    m.put("sweepFile", plan.spec().origin().file().toString());
    m.put("sweepSha256", plan.spec().origin().sha256());
    m.put("trialId", t.id());
    m.put("index", t.index());
    m.put("varied", t.point().varied());
    Map<String, String> values = new LinkedHashMap<>();
    t.point().values().forEach((k, v) -> values.put(k, SweepParameter.format(v)));
    m.put("parameters", values);
    m.put("seed", t.point().seed());
    AtomicFiles.writeString(dir.resolve(TrialDirs.TRIAL_JSON), JSON.writeValueAsString(m) + "\n");
  }
}
