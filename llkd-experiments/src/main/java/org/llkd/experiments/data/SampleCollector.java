package org.llkd.experiments.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llkd.experiments.textfile.TextFileException;

/** Shared by the readers: checks label and text of one parsed row, assigns the id, builds the dataset. */
final class SampleCollector {
  private final Path file;
  private final Split split;
  private final LabelSet labels;
  private final String fix;
  private final List<Sample> samples = new ArrayList<>();

  /** @param unknownLabelFix how to repair an unknown label, for the error message */
  SampleCollector(Path file, Split split, LabelSet labels, String unknownLabelFix) {
    this.file = file;
    this.split = split;
    this.labels = labels;
    this.fix = unknownLabelFix;
  }

  /** Adds a row whose label is a class name. */
  void add(long line, String labelName, String text) {
    int id = labels.idOf(labelName);
    if (id < 0) {
      throw TextFileException.atLine(file, line, "a label in " + labels.names(),
          "label " + TextFileException.quote(labelName), fix);
    }
    addId(line, id, text);
  }

  /** Adds a row whose label is already a class id (checked by the caller). */
  void addId(long line, int classId, String text) {
    if (text.isBlank()) {
      throw TextFileException.atLine(file, line, "a non-empty text",
          text.isEmpty() ? "an empty text" : "a whitespace-only text", "drop the row or restore its text");
    }
    samples.add(new Sample(split.sampleId(samples.size()), text, classId));
  }

  TextDataset build(String name, String sha256, String expectedRows) {
    if (samples.isEmpty()) {
      throw TextFileException.atLine(file, 1, expectedRows, "no samples in the whole file",
          "check that this is the right file");
    }
    return new TextDataset(name, split, samples, labels, file, sha256);
  }
}
