package org.llkd.experiments.train;

import java.util.ArrayList;
import java.util.List;
import org.llkd.experiments.data.TextDataset;

/**
 * The dev/test rows a run evaluates on: all of them, or (quick tier, {@code evalRows > 0}) the first
 * {@code evalRows} rows of the file. The head of a file is a fair sample only when its rows are in random
 * order, so a head that misses a class the split has is refused when random order would almost surely have shown it:
 * at least {@link #MIN_EXPECTED} expected rows of that class in the head (a miss then has probability about
 * e^-10 under random order). A file listed in class blocks (the source order of Yahoo! Answers' test split) would
 * otherwise be scored on one or two classes; a small head (the tiny tier's 16 to 32 rows) may miss a rare class by
 * chance and is accepted.
 *
 * <p>The head rather than a seeded sample is what every committed quick-tier result used; the shipped files
 * are in random order (checked by {@code ShippedDataOrderTest}, and {@code data/reorder_test.py} put Yahoo's
 * test split in one).
 */
final class EvalRows {
  /** Expected rows of a class in the head above which its absence is taken as evidence of a sorted file. */
  static final double MIN_EXPECTED = 10.0;

  private EvalRows() {}

  /**
   * Indices {@code 0..n-1} with {@code n = min(size, wanted)} ({@code wanted == 0}: all rows).
   *
   * @throws IllegalArgumentException if the head is a strict part of the split and lacks a class of which random
   *     order would put at least {@link #MIN_EXPECTED} rows in it
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
      double expected = (double) n * all[c] / ds.size();
      if (head[c] == 0 && expected >= MIN_EXPECTED) {
        missing.add(String.format(java.util.Locale.ROOT, "%s: %.0f expected", ds.labels().name(c), expected));
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(ds.source() + ": the run evaluates on the first " + n + " of "
          + ds.size() + " " + ds.split().id() + " rows (evalRows), expected them to hold every common class of the"
          + " split, found no row of " + missing.size() + " of its " + present + " classes (" + String.join("; ", missing)
          + "); the rows look sorted by class: put the file in random order (data/reorder_test.py does it for a"
          + " label<TAB>text file) or evaluate on all rows (evalRows 0, the full tier)");
    }
  }
}
