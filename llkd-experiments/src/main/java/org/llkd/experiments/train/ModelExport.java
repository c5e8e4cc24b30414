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
    List<String> labels = DatasetCatalog.labels(cfg.dataRoot(), cfg.dataset()).names();
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
    byte[] tokenizer = StudentFactory.tokenizer(cfg.maxLength()).json();
    ModelBundle b = new ModelBundle(sc, c.params(), tokenizer, labels, cfg.maxLength(), provenance);
    Path dir = runDir.resolve(MODEL_DIR);
    if (Files.exists(dir)) deleteModelDir(dir);
    ModelDirectory.write(dir, b);
    return dir;
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
