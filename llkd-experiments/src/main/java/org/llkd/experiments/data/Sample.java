package org.llkd.experiments.data;

/**
 * One labelled text.
 *
 * @param id    {@code "<split>-<rowIndex>"}, see {@link Split#sampleId(int)}
 * @param text  the text exactly as in the file (not trimmed), never blank
 * @param label class id: 0-based line of the class name in {@code labels.txt}, or {@link #NO_LABEL} for a train row
 *     of a user's file without gold (the teacher is its only supervision)
 */
public record Sample(String id, String text, int label) {
  /** The label of a row without gold. */
  public static final int NO_LABEL = -1;

  public Sample {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("sample id must be non-blank, got " + (id == null ? "null" : "'" + id + "'"));
    }
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("sample " + id + ": text must be non-blank");
    }
    if (label < NO_LABEL) {
      throw new IllegalArgumentException("sample " + id + ": label must be >= 0 (or NO_LABEL = -1), got " + label);
    }
  }
}
