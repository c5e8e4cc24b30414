package org.llkd.experiments.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.llkd.experiments.data.DatasetCatalog;
import org.llkd.experiments.data.Split;
import org.llkd.experiments.data.TextDataset;

/**
 * The quick tier scores the first {@code evalRows} dev/test rows, which is fair only if every shipped file is in
 * random order: the head must hold every class, each within 5 percentage points of its share of the split.
 * (Measured heads of 1,000 rows: the largest gap is ag_news test, Business 20.5% vs 25.0%; yahoo's test split
 * fails this in its source order, one class per 1,000 rows, and passes after data/reorder_test.py.)
 */
class ShippedDataOrderTest {
  private static final double MAX_SHARE_GAP = 0.05;

  @Test
  void everyShippedDevAndTestHeadMatchesItsSplitsClassMix() {
    int head = 1000; // a head as large as the legacy quick tier evaluated on (no tier uses one now; --tiny uses 32)
    Path root = Path.of(System.getProperty("llkd.repo.root", "..")).resolve("data");
    for (String name : DatasetCatalog.SHIPPED) {
      for (Split split : new Split[] {Split.DEV, Split.TEST}) {
        TextDataset ds = DatasetCatalog.load(root, name, split);
        int n = EvalRows.head(ds, head).length; // throws if a common class is missing
        int[] all = ds.classCounts();
        int[] first = new int[all.length];
        for (int i = 0; i < n; i++) first[ds.get(i).label()]++;
        for (int c = 0; c < all.length; c++) {
          assertTrue(all[c] == 0 || first[c] > 0, name + "/" + split.id() + ": no " + ds.labels().name(c)
              + " row in the first " + n);
          double gap = Math.abs(first[c] / (double) n - all[c] / (double) ds.size());
          assertTrue(gap <= MAX_SHARE_GAP, name + "/" + split.id() + " class " + ds.labels().name(c)
              + ": share in the first " + n + " rows differs from the split's by " + gap);
        }
      }
    }
  }
}
