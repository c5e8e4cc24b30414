package org.llkd.experiments.data;

import java.util.Locale;

/** A dataset split; {@link #id()} is the file stem of the normalised TSV and the prefix of sample ids. */
public enum Split {
  TRAIN,
  DEV,
  TEST;

  /** {@code "train"}, {@code "dev"} or {@code "test"}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** File name of this split's normalised TSV, e.g. {@code train.tsv}. */
  public String tsvFileName() {
    return id() + ".tsv";
  }

  /** The project's sample id for the row with this 0-based index, e.g. {@code train-0}. */
  public String sampleId(int rowIndex) {
    if (rowIndex < 0) {
      throw new IllegalArgumentException("rowIndex must be >= 0, got " + rowIndex);
    }
    return id() + "-" + rowIndex;
  }
}
