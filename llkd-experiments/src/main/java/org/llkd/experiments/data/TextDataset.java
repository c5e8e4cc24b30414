package org.llkd.experiments.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One split of one dataset, read once and held immutably; epochs iterate or index it (shuffle an index
 * permutation, not the list), so no per-epoch copy is ever made.
 *
 * @param name    dataset name, e.g. {@code emotion}
 * @param split   which split
 * @param samples in file order; {@code samples.get(i).id()} is {@code split.sampleId(i)}
 * @param labels  class names; every sample label is a valid id in it
 * @param source  the file the samples were read from
 * @param sha256  SHA-256 (lower-case hex) of {@code source}, for provenance
 */
public record TextDataset(String name, Split split, List<Sample> samples, LabelSet labels, Path source, String sha256) {
  public TextDataset {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("dataset name must be non-blank");
    }
    if (split == null || labels == null || source == null) {
      throw new IllegalArgumentException("split, labels and source are required");
    }
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
    }
    samples = List.copyOf(samples);
    if (samples.isEmpty()) {
      throw new IllegalArgumentException(name + "/" + split.id() + " (" + source + "): no samples");
    }
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (!s.id().equals(split.sampleId(i))) {
        throw new IllegalArgumentException("sample " + i + " of " + name + "/" + split.id() + " has id " + s.id()
            + ", expected " + split.sampleId(i));
      }
      if (s.label() >= labels.size()) {
        throw new IllegalArgumentException("sample " + s.id() + ": label " + s.label() + " outside [0, "
            + labels.size() + ")");
      }
    }
  }

  public int size() {
    return samples.size();
  }

  public Sample get(int index) {
    return samples.get(index);
  }

  /** Gold class ids in sample order; allocates a new {@code int[size()]}. */
  public int[] goldLabels() {
    int[] y = new int[samples.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = samples.get(i).label();
    }
    return y;
  }

  /** Number of samples per class id (rows without gold not counted); allocates a new {@code int[labels().size()]}. */
  public int[] classCounts() {
    int[] counts = new int[labels.size()];
    for (Sample s : samples) {
      if (s.label() != Sample.NO_LABEL) counts[s.label()]++;
    }
    return counts;
  }

  /** Whether every row has a gold label. */
  public boolean fullyLabelled() {
    for (Sample s : samples) if (s.label() == Sample.NO_LABEL) return false;
    return true;
  }

  /**
   * Row index of a sample id of this split ({@code "dev-17"} gives 17).
   *
   * @throws IllegalArgumentException if the id is not {@code "<this split>-<index>"} with index in range
   */
  public int indexOf(String sampleId) {
    String prefix = split.id() + "-";
    if (sampleId == null || !sampleId.startsWith(prefix)) {
      throw new IllegalArgumentException(name + "/" + split.id() + ": sample id " + sampleId
          + " does not start with '" + prefix + "'");
    }
    String digits = sampleId.substring(prefix.length());
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
        || (digits.length() > 1 && digits.charAt(0) == '0') || digits.length() > 9) {
      throw new IllegalArgumentException(name + "/" + split.id() + ": sample id " + sampleId
          + " is not '" + prefix + "<index>' with a decimal index without leading zeros");
    }
    int index = Integer.parseInt(digits);
    if (index >= samples.size()) {
      throw new IllegalArgumentException(name + "/" + split.id() + ": sample id " + sampleId + " beyond the "
          + samples.size() + " samples of " + source);
    }
    return index;
  }
}
