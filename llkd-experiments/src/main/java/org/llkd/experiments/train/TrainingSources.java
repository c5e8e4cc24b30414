package org.llkd.experiments.train;

import java.util.ArrayList;
import java.util.List;
import org.llkd.experiments.data.DatasetCatalog;
import org.llkd.experiments.data.Sample;
import org.llkd.experiments.data.Split;
import org.llkd.experiments.data.TextDataset;
import org.llkd.selection.teacher.TeacherOutputs;

/**
 * What one training run reads: a train split, optional dev and test splits, and the teacher's probabilities
 * aligned to the train rows (row i = train row i, column k = class k of the train split's label list). The dataset
 * catalog is one way to name such a set ({@link #catalog}); {@code llkd train} builds one from a user's files.
 *
 * <p>Train rows may lack gold labels ({@link Sample#NO_LABEL}): the teacher is then their only supervision, and the
 * analysis columns that compare teacher and gold are NaN unless every train row has gold.
 *
 * @param dev  null when there is no dev split (no dev evaluation; the last model is the result)
 * @param test null when there is no test split (no test metrics)
 */
public record TrainingSources(TextDataset train, TextDataset dev, TextDataset test, TeacherOutputs teacher) {
  public TrainingSources {
    if (train == null || teacher == null) throw new IllegalArgumentException("train and teacher are required");
    if (teacher.numRows() != train.size()) {
      throw new IllegalArgumentException("teacher has " + teacher.numRows() + " rows, train has " + train.size());
    }
    if (!teacher.labelNames().equals(train.labels().names())) {
      throw new IllegalArgumentException("teacher classes " + teacher.labelNames() + " are not the train labels "
          + train.labels().names());
    }
    for (TextDataset d : new TextDataset[] {dev, test}) {
      if (d != null && !d.labels().equals(train.labels())) {
        throw new IllegalArgumentException(d.source() + ": labels " + d.labels().names() + ", expected the train labels "
            + train.labels().names());
      }
      if (d != null && !d.fullyLabelled()) {
        throw new IllegalArgumentException(d.source() + ": every " + d.split().id() + " row needs a gold label");
      }
    }
  }

  /** The catalog's dataset {@code cfg.dataset()} under {@code cfg.data().dataRoot()} with the teacher file {@code cfg.data().teacherFile()}. */
  public static TrainingSources catalog(TrainConfig cfg) {
    TextDataset train = TrainingData.input(() -> DatasetCatalog.load(cfg.data().dataRoot(), cfg.dataset(), Split.TRAIN));
    TextDataset dev = TrainingData.input(() -> DatasetCatalog.load(cfg.data().dataRoot(), cfg.dataset(), Split.DEV));
    TextDataset test = TrainingData.input(() -> DatasetCatalog.load(cfg.data().dataRoot(), cfg.dataset(), Split.TEST));
    List<String> ids = new ArrayList<>(train.size());
    for (Sample s : train.samples()) ids.add(s.id());
    TeacherOutputs teacher = TrainingData.readTeacher(cfg.data().teacherFile(), "train", ids, train.labels().names());
    return new TrainingSources(train, dev, test, teacher);
  }
}
