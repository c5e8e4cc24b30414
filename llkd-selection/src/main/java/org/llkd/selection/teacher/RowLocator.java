package org.llkd.selection.teacher;

/**
 * Turns a 0-based data-row index into the place a user finds it in the source file: {@code "line 7"}
 * (1-based physical line of a text format, header lines counted) or {@code "row 5"} (0-based row of an
 * array).
 *
 * @param unit   {@code "line"}, {@code "row"}, or a prefixed form such as {@code "probs.npy row"}
 * @param offset added to the 0-based data-row index
 */
record RowLocator(String unit, int offset) {
  String at(int row) {
    return unit + " " + ((long) row + offset);
  }

  static RowLocator arrayRows(String prefix) {
    return new RowLocator(prefix.isEmpty() ? "row" : prefix + " row", 0);
  }
}
