package org.llkd.experiments.product;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.textfile.TextFileException;

/**
 * The one mapping from a row's label name to its class index (the position of the name in the label list), used by
 * {@code llkd train} (dev, test and train gold labels), {@code llkd evaluate} and {@code teacher check}. Names are
 * matched exactly (case, spaces and accents included); a name not in the list is a {@link TextFileException} naming
 * the file, the row and line, the list and the name.
 */
public final class LabelIndex {
  private final List<String> labels;
  private final Map<String, Integer> index;
  private final String expected;

  /**
   * @param labels   the label list; index = position (the first on a repeated name)
   * @param expected how an error names what a label must be, e.g. {@code "a label of the model"}; the list follows
   * @param suffix   appended after the list in errors (e.g. {@code " (or an empty cell)"}), or empty
   */
  public LabelIndex(List<String> labels, String expected, String suffix) {
    this.labels = List.copyOf(labels);
    this.index = new HashMap<>(labels.size() * 2);
    for (int k = 0; k < labels.size(); k++) index.putIfAbsent(labels.get(k), k);
    this.expected = expected + " " + this.labels + suffix;
  }

  /** The class index of {@code row}'s label (not null) in the list; refuses a label that is not in it. */
  public int of(String file, TextRow row) {
    Integer k = index.get(row.label());
    if (k == null) {
      throw TextFileException.atRow(file, row.row(), row.line(), expected,
          "'" + row.label() + "' (labels are matched exactly, case and spaces included)");
    }
    return k;
  }

  public List<String> labels() { return labels; }
}
