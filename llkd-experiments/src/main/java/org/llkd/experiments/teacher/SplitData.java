package org.llkd.experiments.teacher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llkd.experiments.data.DatasetCatalog;
import org.llkd.experiments.data.Sample;
import org.llkd.experiments.data.Split;
import org.llkd.experiments.data.TextDataset;

/**
 * One labelled split as the exporter needs it (ids {@code <split>-<row>}, texts, gold class ids, file and
 * SHA-256), read through {@link DatasetCatalog}. Gold labels are used only to draw shots (train) and to
 * measure the teacher after export, never to make a prediction.
 */
record SplitData(String split, Path file, String sha256, List<String> ids, List<String> texts, int[] labels) {
  SplitData {
    ids = List.copyOf(ids);
    texts = List.copyOf(texts);
  }

  int size() {
    return ids.size();
  }

  /** Class names of {@code dataset} in class-id order ({@code labels.txt}). */
  static List<String> readLabels(Path dataRoot, String dataset) {
    return DatasetCatalog.labels(dataRoot, dataset).names();
  }

  /** Loads {@code <dataRoot>/<dataset>/<split>.tsv}; checked against {@code SHA256SUMS} if the root has one. */
  static SplitData read(Path dataRoot, String dataset, String split) {
    Split s = Split.valueOf(split.toUpperCase(java.util.Locale.ROOT));
    TextDataset ds = DatasetCatalog.load(dataRoot, dataset, s);
    List<String> ids = new ArrayList<>(ds.size());
    List<String> texts = new ArrayList<>(ds.size());
    for (Sample x : ds.samples()) {
      ids.add(x.id());
      texts.add(x.text());
    }
    return new SplitData(split, ds.source(), ds.sha256(), ids, texts, ds.goldLabels());
  }
}
