package org.llkd.experiments.exp;

import java.util.LinkedHashMap;
import java.util.Map;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.models.train.SelectionForward;

/**
 * Training settings given on the command line ({@code --lr}, {@code --momentum}, {@code --batch-size},
 * {@code --max-length}, {@code --epochs}, {@code --selection-forward}) that replace the tier's defaults in every run of an experiment. A null
 * field keeps the tier's value. Values are validated by {@link TrainConfig}'s constructor, so a bad one is refused
 * before any run, with the field, the value and what was expected.
 */
public record ConfigOverrides(Double learningRate, Double momentum, Integer batchSize, Integer maxLength,
    Integer epochs, SelectionForward selectionForward) {
  /** Nothing overridden. */
  public static final ConfigOverrides NONE = new ConfigOverrides(null, null, null, null, null, null);

  /** The five training values, the selection forward left as the tier's. */
  public ConfigOverrides(Double learningRate, Double momentum, Integer batchSize, Integer maxLength, Integer epochs) {
    this(learningRate, momentum, batchSize, maxLength, epochs, null);
  }

  public boolean isEmpty() {
    return learningRate == null && momentum == null && batchSize == null && maxLength == null && epochs == null
        && selectionForward == null;
  }

  /** {@code c} with the given values in place of its own. */
  public TrainConfig apply(TrainConfig c) {
    TrainConfig r = c;
    if (learningRate != null || batchSize != null || epochs != null) {
      TrainConfig.Schedule s = r.schedule();
      r = r.withSchedule(s.withEpochs(epochs != null ? epochs : s.epochs())
          .withBatchSize(batchSize != null ? batchSize : s.batchSize())
          .withLearningRate(learningRate != null ? learningRate : s.learningRate()));
    }
    if (momentum != null) r = r.withSelector(r.selector().withMomentum(momentum));
    if (maxLength != null) r = r.withStudent(r.student().withMaxLength(maxLength));
    if (selectionForward != null) r = r.withSelector(r.selector().withSelectionForward(selectionForward));
    return r;
  }

  /** The given values by flag name, for provenance.json. */
  public Map<String, Object> flags() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (learningRate != null) m.put("--lr", learningRate);
    if (momentum != null) m.put("--momentum", momentum);
    if (batchSize != null) m.put("--batch-size", batchSize);
    if (maxLength != null) m.put("--max-length", maxLength);
    if (epochs != null) m.put("--epochs", epochs);
    if (selectionForward != null) m.put("--selection-forward", selectionForward.name().toLowerCase(java.util.Locale.ROOT));
    return m;
  }
}
