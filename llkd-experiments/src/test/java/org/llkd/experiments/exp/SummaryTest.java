package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.stats.FriedmanNemenyiTest;

/**
 * The across-datasets summary built from a hand-made MainResultsTable/raw.csv holding Demšar's Table 6 (14 "datasets",
 * 4 methods, one seed each; C4.5 as all, C4.5+m as llkd, C4.5+cf as soft, C4.5+m+cf as topk): the published average
 * ranks, χ²_F, F_F and CD appear in table.md with a CD diagram; a dataset missing methods is excluded and named; one
 * dataset gives no test and says so.
 */
class SummaryTest {
  static final String HEADER = "run_id,dataset,method,seed,test_accuracy,test_macro_f1,data_used,mean_ratio,status";
  /** Table 6's columns in the order C4.5, C4.5+m, C4.5+cf, C4.5+m+cf, as project methods. */
  static final String[] AS = {"all", "llkd", "soft", "topk"};

  static Path results(Path tmp, int datasets, boolean partial) throws IOException {
    Path main = Files.createDirectories(tmp.resolve("MainResultsTable"));
    List<String> l = new ArrayList<>(List.of(HEADER));
    for (int i = 0; i < datasets; i++) {
      for (int j = 0; j < 4; j++) {
        double v = FriedmanNemenyiTest.TABLE_6[i][j];
        double used = AS[j].equals("all") || AS[j].equals("soft") ? 1.0 : 0.4 + 0.01 * i;
        l.add(String.format(Locale.ROOT, "d%02d-%s-s1,d%02d,%s,1,%s,%s,%s,%s,ok", i, AS[j], i, AS[j], v, v, used,
            used / 2));
      }
    }
    if (partial) { // a dataset with only two methods finished, and a failed run
      l.add("zz-llkd-s1,zz,llkd,1,0.5,0.5,0.3,0.2,ok");
      l.add("zz-all-s1,zz,all,1,0.4,0.4,1.0,1.0,ok");
      l.add("zz-topk-s1,zz,topk,1,,,,,failed");
    }
    Files.writeString(main.resolve("raw.csv"), String.join("\n", l) + "\n");
    return Files.createDirectories(tmp.resolve("Summary"));
  }

  @Test void demsarsExampleThroughTheSummary(@TempDir Path tmp) throws IOException {
    Path out = results(tmp, 14, true);
    new Summary().build(out);
    String md = Files.readString(out.resolve("table.md"));
    assertTrue(md.contains("Ranked: 14 dataset(s) (d00, d01,"), md);
    assertTrue(md.contains("× 4 method(s) (llkd, all, topk, soft)"), md);
    assertTrue(md.contains("- excluded dataset **zz**: no finished run of topk, soft"), md);
    // average ranks in METHODS order: llkd = C4.5+m 2.000, all = C4.5 3.143, topk = C4.5+m+cf 1.964, soft = C4.5+cf 2.893
    assertTrue(md.contains("| **average rank** | **2.000** | **3.143** | **1.964** | **2.893** |"), md);
    assertTrue(md.contains("| d05 | 0.931 (2.5) | 0.936 (1) | 0.931 (2.5) | 0.916 (4) |"), "iris row:\n" + md);
    assertTrue(md.contains("χ²_F = 9.279 (df 3, p = 0.026); Iman–Davenport F_F = 3.686 (df 3, 39; p = 0.020): "
        + "**the methods' ranks differ** (p < 0.05)."), md);
    assertTrue(md.contains("Nemenyi: q_0.05 = 2.569 for k = 4, CD = 1.254 average ranks (N = 14)."), md);
    assertTrue(md.contains("- Pairs whose average ranks differ by at least the CD: none."), md);
    assertTrue(md.contains("- **llkd across datasets (test macro-F1)**: average rank 2.00 of 4; significantly better "
        + "than 0 of 3 methods, worse than 0"), md);
    for (String png : List.of("cd_test_macro_f1.png", "cd_test_accuracy.png", "data_efficiency.png")) {
      BufferedImage img = ImageIO.read(out.resolve(png).toFile());
      assertNotNull(img, png + " is not a decodable PNG");
      assertTrue(img.getWidth() >= 800 && img.getHeight() >= 200, png + " " + img.getWidth() + "x" + img.getHeight());
      assertTrue(md.contains("(" + png + ")"), png + " is not linked from table.md");
    }
    // data efficiency: LLKD's lowest data used over the datasets, beside the paper's 3.7%
    assertTrue(md.contains("LLKD's lowest data used here: **30.0%** (zz), against the paper's 3.7%."), md);
    assertTrue(md.contains("| d00 | llkd | 1 | 40.0% | 20.0% | 0.768 — |"), md);
    assertFalse(md.contains("NaN"), md);
  }

  @Test void oneDatasetGivesNoTest(@TempDir Path tmp) throws IOException {
    Path out = results(tmp, 1, false);
    new Summary().build(out);
    String md = Files.readString(out.resolve("table.md"));
    assertTrue(md.contains("**Only 1 dataset**: a comparison across datasets needs at least 2; no Friedman test"), md);
    assertFalse(md.contains("χ²_F"), md);
    assertFalse(Files.exists(out.resolve("cd_test_macro_f1.png")), "no CD diagram for one dataset");
    assertTrue(md.contains("| **average rank** | **3.000** | **4.000** | **1.000** | **2.000** |"), md);
  }

  @Test void noSourceSaysSo(@TempDir Path tmp) throws IOException {
    Path out = Files.createDirectories(tmp.resolve("Summary"));
    new Summary().build(out);
    assertTrue(Files.readString(out.resolve("table.md")).contains("nothing to summarise yet"));
  }

  @Test void partialBlockKeepsEveryDatasetWhenThatRanksMore(@TempDir Path tmp) throws IOException {
    // 14 datasets with 4 methods and 6 with llkd and all: A = 14 × 4 = 56 cells, B = 20 × 2 = 40: A
    // 3 datasets with 4 methods and 20 with llkd and all: A = 12, B = 23 × 2 = 46: B, topk and soft left out
    Path out = results(tmp, 3, false);
    Path raw = tmp.resolve("MainResultsTable/raw.csv");
    StringBuilder sb = new StringBuilder(Files.readString(raw));
    for (int i = 0; i < 20; i++) {
      sb.append(String.format(Locale.ROOT, "e%02d-llkd-s1,e%02d,llkd,1,0.6,0.6,0.5,0.3,ok%n", i, i));
      sb.append(String.format(Locale.ROOT, "e%02d-all-s1,e%02d,all,1,0.5,0.5,1.0,1.0,ok%n", i, i));
    }
    Files.writeString(raw, sb.toString());
    new Summary().build(out);
    String md = Files.readString(out.resolve("table.md"));
    assertTrue(md.contains("Ranked: 23 dataset(s)"), md);
    assertTrue(md.contains("× 2 method(s) (llkd, all)"), md);
    assertTrue(md.contains("- methods left out (not finished on every ranked dataset): topk, soft"), md);
  }
}
