package org.llkd.experiments.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llkd.experiments.metrics.SelectionTracker;
import org.llkd.models.checkpoint.CheckpointIO;
import org.llkd.models.checkpoint.CheckpointWriter;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.optim.AdamW;
import org.llkd.selection.SampleSelector;
import org.llkd.selection.SelectorState;

/**
 * The trainer's checkpoint: model and AdamW state through {@link CheckpointIO} (one zip, written
 * atomically), plus metadata with the selector state, the selection tracker, the position (epochs
 * done, log rows written) and the run id. The data order and dropout masks are functions of
 * (seed, epoch, step), so the position is the whole RNG state.
 */
public final class RunCheckpoint {
  public static final String FILE = "checkpoint.zip";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunCheckpoint() {}

  /** Where a run stands after a completed epoch. */
  public record Position(int epochsDone, long stepRows, long epochRows) {}

  public static void save(Path file, TrainConfig cfg, StudentTransformer model, AdamW opt, SampleSelector selector,
      SelectionTracker tracker, Position pos) {
    CheckpointIO.save(file, model.params(), opt, metadata(cfg, selector, tracker, pos));
  }

  /**
   * As {@link #save(Path, TrainConfig, StudentTransformer, AdamW, SampleSelector, SelectionTracker, Position)}, but
   * the file is written by {@code writer} in the background: this copies the state now (parameters, AdamW moments,
   * selector, tracker, position) and returns while the copy is written.
   */
  public static void save(CheckpointWriter writer, Path file, TrainConfig cfg, StudentTransformer model, AdamW opt,
      SampleSelector selector, SelectionTracker tracker, Position pos) {
    writer.submit(file, model.params(), opt, metadata(cfg, selector, tracker, pos));
  }

  private static Map<String, Object> metadata(TrainConfig cfg, SampleSelector selector, SelectionTracker tracker,
      Position pos) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("runId", cfg.runId());
    meta.put("config", configKey(cfg));
    meta.put("epochsDone", pos.epochsDone());
    meta.put("stepRows", pos.stepRows());
    meta.put("epochRows", pos.epochRows());
    meta.put("selector", selector.snapshot().toJson());
    meta.put("tracker", JSON.convertValue(tracker.snapshot(), Map.class));
    return meta;
  }

  /**
   * The config as the checkpoint records it, and as {@link #load} compares it: {@link TrainConfig#flat()} through
   * Jackson ({@code {dataset=emotion, dataRoot=file:///…, …}}), the string checkpoints have held since before the
   * config was grouped, so their runs still resume.
   */
  public static String configKey(TrainConfig cfg) {
    return JSON.convertValue(cfg.flat(), Map.class).toString();
  }

  /**
   * Restores model, optimiser, selector and tracker from {@code file}; fails if it was written by a run
   * with another config (resuming it would silently change the results).
   */
  public static Position load(Path file, TrainConfig cfg, StudentTransformer model, AdamW opt, SampleSelector selector,
      SelectionTracker tracker) {
    Map<String, Object> meta = CheckpointIO.readMetadata(file);
    String expected = configKey(cfg);
    if (!expected.equals(meta.get("config"))) {
      throw new IllegalArgumentException(file + " was written by a run with another config; expected " + expected
          + ", found " + meta.get("config") + ". Resume with the same config, or start over with --force");
    }
    CheckpointIO.loadInto(file, model.params(), opt);
    selector.restore(SelectorState.fromJson((String) meta.get("selector")));
    tracker.restore(JSON.convertValue(meta.get("tracker"), SelectionTracker.State.class));
    return new Position(((Number) meta.get("epochsDone")).intValue(), ((Number) meta.get("stepRows")).longValue(),
        ((Number) meta.get("epochRows")).longValue());
  }
}
