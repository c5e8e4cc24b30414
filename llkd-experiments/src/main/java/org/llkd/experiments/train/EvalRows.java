package org.llkd.experiments.train;

import java.util.ArrayList;
import java.util.List;
import org.llkd.experiments.data.TextDataset;

/**
 * The dev/test rows a run evaluates on: all of them, or (quick tier, {@code evalRows > 0}) the first
 * {@code evalRows} rows of the file. The head of a file is a fair sample only when its rows are in random
 * order, so a head that misses a class the split has is refused: a file listed in class blocks (the source
 * order of Yahoo! Answers' test split) would otherwise be scored on one or two classes.
 *
 * <p>The head rather than a seeded sample is what every committed quick-tier result used; the shipped files
 * are in random order (checked by {@code ShippedDataOrderTest}, and {@code data/reorder_test.py} put Yahoo's
 * test split in one).
 */
final class EvalRows {
  private EvalRows() {}

  /**
   * Indices {@code 0..n-1} with {@code n = min(size, wanted)} ({@code wanted == 0}: all rows).
   *
   * @throws IllegalArgumentException if the head is a strict part of the split and lacks a class the split has
   */
  static int[] head(TextDataset ds, int wanted) {
    int total = ds.size();
    int n = wanted == 0 ? total : Math.min(total, wanted);
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) rows[i] = i;
    if (n < total) requireEveryClass(ds, n);
    return rows;
  }

  private static void requireEveryClass(TextDataset ds, int n) {
    int[] all = ds.classCounts();
    int[] head = new int[all.length];
    for (int i = 0; i < n; i++) head[ds.get(i).label()]++;
    List<String> missing = new ArrayList<>();
    int present = 0;
    for (int c = 0; c < all.length; c++) {
      if (all[c] == 0) continue;
      present++;
      if (head[c] == 0) missing.add(ds.labels().name(c));
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(ds.source() + ": the run evaluates on the first " + n + " of "
          + ds.size() + " " + ds.split().id() + " rows (evalRows), expected them to hold every class of the split,"
          + " found " + (present - missing.size()) + " of " + present + " (missing: " + String.join(", ", missing)
          + "); the rows look sorted by class: put the file in random order (data/reorder_test.py does it for a"
          + " label<TAB>text file) or evaluate on all rows (evalRows 0, the full tier)");
    }
  }
}
