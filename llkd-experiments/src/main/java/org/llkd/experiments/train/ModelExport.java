package org.llkd.experiments.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.data.DatasetCatalog;
import org.llkd.models.checkpoint.CheckpointIO;
import org.llkd.models.classifier.ModelBundle;
import org.llkd.models.classifier.ModelDirectory;
import org.llkd.models.encoder.StudentConfig;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keeps a finished run's student as a model directory ({@code docs/model-format.md}): the final parameters from the
 * run's {@code checkpoint.zip} (saved after the last epoch), the run's label names, tokenizer and max length, and its
 * {@code provenance.json} as the model's provenance. Used by {@code --keep-models} on {@code llkd run} and
 * {@code llkd sweep}, before the checkpoint is deleted.
 */
public final class ModelExport {
  /** The model directory's name inside a run directory. */
  public static final String MODEL_DIR = "model";

  private ModelExport() {}

  /** Writes {@code runDir/model} from {@code runDir/checkpoint.zip} (replacing an older model directory there). */
  public static Path keep(TrainConfig cfg, Path runDir) {
    Path ckpt = runDir.resolve(RunCheckpoint.FILE);
    if (!Files.isRegularFile(ckpt)) {
      throw new IllegalStateException("run " + runDir + " has no " + RunCheckpoint.FILE + " to keep the model from");
    }
    List<String> labels = DatasetCatalog.labels(cfg.data().dataRoot(), cfg.dataset()).names();
    StudentConfig sc = StudentFactory.studentConfig(cfg, labels.size());
    CheckpointIO.Checkpoint c = CheckpointIO.load(ckpt, sc.paramSpecs(), DataType.FLOAT);
    Map<String, Object> provenance = new LinkedHashMap<>();
    Path prov = runDir.resolve("provenance.json");
    if (Files.isRegularFile(prov)) {
      try {
        provenance.putAll(new ObjectMapper().readValue(prov.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {}));
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + prov + ": " + e.getMessage(), e);
      }
    }
    provenance.put("keptFrom", runDir.toAbsolutePath().normalize().toString());
    byte[] tokenizer = StudentFactory.tokenizer(cfg.student().maxLength()).json();
    ModelBundle b = new ModelBundle(sc, c.params(), tokenizer, labels, cfg.student().maxLength(), provenance);
    Path dir = runDir.resolve(MODEL_DIR);
    if (Files.exists(dir)) deleteModelDir(dir);
    ModelDirectory.write(dir, b);
    return dir;
  }

  /**
   * Keeps the model of a run that finished before {@code --keep-models} was asked for (a finished run's checkpoint is
   * deleted, so its weights are gone): unless {@code runDir/model} is already there, the run is trained again from its
   * config into the hidden directory {@code runDir/.retrain} (training is a function of the config and seed: the same
   * data order, dropout masks and selector decisions, see InterruptedRunTest), the retrained run's {@code metrics.csv}
   * must equal the stored one (wall time aside), and its model is kept as {@code runDir/model}. A retrained run that
   * differs keeps no model and fails naming the first differing metric: its model would not be the one the stored
   * numbers describe.
   *
   * @return the model directory
   */
  public static Path keepFinished(TrainConfig cfg, Path runDir) {
    Path dir = runDir.resolve(MODEL_DIR);
    if (Files.isRegularFile(dir.resolve(ModelDirectory.MODEL_JSON))) return dir;
    Path again = runDir.resolve(".retrain");
    try {
      if (Files.exists(again)) deleteTree(again);
      new Trainer(cfg, again).train();
      Map<String, String> stored = new LinkedHashMap<>(org.llkd.experiments.csv.Csv.readSingleRow(runDir.resolve("metrics.csv")));
      Map<String, String> redone = new LinkedHashMap<>(org.llkd.experiments.csv.Csv.readSingleRow(again.resolve("metrics.csv")));
      stored.remove("wall_seconds");
      redone.remove("wall_seconds");
      for (String k : stored.keySet()) {
        if (!stored.get(k).equals(redone.get(k))) {
          throw new IllegalStateException("--keep-models: run " + runDir + " finished before; retraining it to recover "
              + "its model gave " + k + " = " + redone.get(k) + ", the stored run has " + stored.get(k) + ", so the "
              + "retrained model is not the run's; rerun the experiment with --force --keep-models to keep models");
        }
      }
      Path kept = keep(cfg, again);
      if (Files.exists(dir)) deleteModelDir(dir);
      Files.move(kept, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("could not keep the model of " + runDir + ": " + e.getMessage(), e);
    } finally {
      if (Files.exists(again)) deleteTree(again);
    }
  }

  private static void deleteTree(Path root) {
    try (java.util.stream.Stream<Path> s = Files.walk(root)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root + ": " + e.getMessage(), e);
    }
  }

  private static void deleteModelDir(Path dir) {
    try {
      for (String f : List.of(ModelDirectory.MODEL_JSON, ModelDirectory.WEIGHTS, ModelDirectory.TOKENIZER)) {
        Files.deleteIfExists(dir.resolve(f));
      }
      Files.delete(dir); // fails if anything else is inside: then it is not ours to delete
    } catch (IOException e) {
      throw new UncheckedIOException("could not replace the old model directory " + dir + ": " + e.getMessage(), e);
    }
  }
}
