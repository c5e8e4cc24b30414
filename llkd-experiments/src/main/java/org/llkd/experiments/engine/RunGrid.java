package org.llkd.experiments.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.csv.Csv;
import org.llkd.experiments.train.Trainer;
import org.llkd.experiments.train.TrainConfig;

/**
 * Runs a list of training runs into {@code <experiment>/runs/<run-id>/}. A run whose
 * {@code metrics.csv} exists is finished and is skipped; a run directory without it was interrupted
 * and is resumed from its last checkpoint (with {@code resume}) or refused (without). Failures are
 * recorded in {@code <run>/FAILED.txt} and the remaining runs continue; the caller decides what a
 * failed run means for its table.
 */
public final class RunGrid {
  /** The run's tags (extra raw.csv columns, e.g. teacher), so {@link RawCollector} can rebuild raw.csv. */
  public static final String TAGS_FILE = "tags.json";

  private RunGrid() {}

  /** One run of the grid with the extra columns (e.g. teacher, group) its rows carry in raw.csv. */
  public record Spec(TrainConfig config, Map<String, String> tags) {
    public String runId() {
      String suffix = tags.isEmpty() ? "" : "-" + String.join("-", tags.values());
      // One directory level per run: tag values such as "emotion/zeroshot-bge" must not nest directories.
      return (config.runId() + suffix).replaceAll("[^A-Za-z0-9._-]", "_");
    }
  }

  /** The outcome of one run: its metrics row (column → value) or the error that stopped it. */
  public record Outcome(Spec spec, Map<String, String> metrics, String error) {
    public boolean ok() { return error == null; }
  }

  public static Outcome run(Path expDir, Spec spec, boolean resume) {
    return run(expDir, spec, resume, false);
  }

  /**
   * As {@link #run(Path, Spec, boolean)}; with {@code keepModels} the finished run's student is kept as
   * {@code <run>/model} (docs/model-format.md) before the checkpoint is deleted; a run that had finished before
   * (reused by {@code --resume}) without a model gets one through {@link
   * org.llkd.experiments.train.ModelExport#keepFinished} (trained again, checked against its stored metrics).
   */
  public static Outcome run(Path expDir, Spec spec, boolean resume, boolean keepModels) {
    Path runDir = expDir.resolve("runs").resolve(spec.runId());
    Path metrics = runDir.resolve("metrics.csv");
    try {
      if (Files.isRegularFile(metrics)) { // finished before; --keep-models still wants its model
        if (keepModels) org.llkd.experiments.train.ModelExport.keepFinished(spec.config(), runDir);
        return new Outcome(spec, readMetrics(metrics, spec), null);
      }
      boolean partial = Files.isDirectory(runDir);
      new Trainer(spec.config(), runDir).resuming(resume && partial).train();
      if (keepModels) org.llkd.experiments.train.ModelExport.keep(spec.config(), runDir);
      if (!spec.tags().isEmpty()) {
        org.llkd.models.io.AtomicFiles.writeString(runDir.resolve(TAGS_FILE),
            new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(spec.tags()) + "\n");
      }
      Files.deleteIfExists(runDir.resolve("FAILED.txt"));
      // A finished run needs no checkpoint (about 12 bytes per parameter); keep only what resume needs.
      Files.deleteIfExists(runDir.resolve(org.llkd.experiments.train.RunCheckpoint.FILE));
      // ND4J frees a finished run's native buffers only when their Java owners are collected; without this a
      // sweep reached 13.7 GB resident after 6 runs in one JVM and was OOM-killed (docs/memory.md).
      System.gc();
      return new Outcome(spec, readMetrics(metrics, spec), null);
    } catch (RuntimeException | IOException e) {
      String msg = e.getClass().getSimpleName() + ": " + e.getMessage();
      try {
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("FAILED.txt"), msg + "\n", StandardCharsets.UTF_8);
      } catch (IOException ignored) {
        // the failure itself is still returned and reported by the caller
      }
      if (e instanceof IllegalArgumentException iae) throw iae; // bad config: fail the whole experiment up front
      return new Outcome(spec, Map.of(), msg);
    }
  }

  /** Runs every spec in order; returns their outcomes. */
  public static List<Outcome> runAll(Path expDir, List<Spec> specs, boolean resume) {
    return runAll(expDir, specs, resume, false);
  }

  /** Runs every spec in order, keeping each finished run's model directory when {@code keepModels}. */
  public static List<Outcome> runAll(Path expDir, List<Spec> specs, boolean resume, boolean keepModels) {
    List<Outcome> out = new ArrayList<>();
    for (Spec s : specs) out.add(run(expDir, s, resume, keepModels));
    return out;
  }

  public static Map<String, String> readMetrics(Path metricsCsv, Spec spec) throws IOException {
    Map<String, String> m = new LinkedHashMap<>(spec.tags());
    m.putAll(Csv.readSingleRow(metricsCsv));
    return m;
  }

  /**
   * Writes every outcome's row into {@code raw.csv} (union of columns, in first-seen order, then {@code status});
   * a failed run keeps its run id and tags, and when any run failed an {@code error} column holds its error
   * (line breaks replaced by {@code ;}, so each run stays one line; commas and quotes are quoted by Commons CSV).
   */
  public static Path writeRaw(Path expDir, List<Outcome> outcomes) {
    List<String> cols = new ArrayList<>();
    for (Outcome o : outcomes) for (String k : o.metrics().keySet()) if (!cols.contains(k)) cols.add(k);
    for (Outcome o : outcomes) { // a grid whose runs all failed still names them
      if (o.ok()) continue;
      for (String k : o.spec().tags().keySet()) if (!cols.contains(k)) cols.add(k);
      if (!cols.contains("run_id")) cols.add("run_id");
    }
    if (!cols.contains("status")) cols.add("status");
    if (outcomes.stream().anyMatch(o -> !o.ok()) && !cols.contains("error")) cols.add("error");
    List<List<String>> rows = new ArrayList<>();
    for (Outcome o : outcomes) {
      List<String> cells = new ArrayList<>();
      for (String c : cols) {
        if (c.equals("status")) cells.add(o.ok() ? "ok" : "failed");
        else if (c.equals("error")) cells.add(o.ok() ? "" : o.error().replaceAll("[\\r\\n]+", ";"));
        else if (o.ok()) cells.add(o.metrics().getOrDefault(c, ""));
        else if (o.metrics().containsKey(c)) cells.add(o.metrics().get(c)); // collected failed run
        else cells.add(c.equals("run_id") ? o.spec().config().runId() : o.spec().tags().getOrDefault(c, ""));
      }
      rows.add(cells);
    }
    Path raw = expDir.resolve("raw.csv");
    try {
      Files.createDirectories(expDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Csv.write(raw, cols, rows);
    return raw;
  }
}
