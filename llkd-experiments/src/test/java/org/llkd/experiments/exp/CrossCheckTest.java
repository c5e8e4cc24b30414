package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.report.RawTable;

/**
 * The cross-check table's generated lines against the committed reference (ref/crosscheck-emotion/reference_runs.csv):
 * an arm whose three seeds sit on the reference's is "within the seed spread", one that is off in macro-F1 only is
 * "outside" naming macro-F1, an arm without runs on one side is "not judged"; and the committed reference files agree
 * with the README's summary (0.612 ± 0.007 / 0.437 ± 0.015 for all pseudo-labels).
 */
class CrossCheckTest {
  static RawTable reference() {
    return RawTable.read(CrossCheck.refDir().resolve("reference_runs.csv"));
  }

  /** A raw.csv of LLKD-J runs: arm, seed, test accuracy, macro-F1 (data used etc. fixed). */
  static RawTable ours(Path dir, String[][] rows) throws IOException {
    List<String> l = new ArrayList<>(List.of("arm,run_id,dataset,method,seed,train_rows,steps,test_accuracy,"
        + "test_macro_f1,data_used,mean_ratio,teacher_acc_selected,status"));
    for (String[] r : rows) {
      l.add(String.join(",", r[0], "emotion-x-s" + r[1] + "-" + r[0], "emotion", "x", r[1], r.length > 4 ? r[4] : "4000",
          "375", r[2], r[3], "1.0", "1.0", "0.58", "ok"));
    }
    Path raw = dir.resolve("raw.csv");
    Files.writeString(raw, String.join("\n", l) + "\n");
    return RawTable.read(raw);
  }

  @Test void theReferenceFileIsTheOneTheReadmeSummarises() {
    RawTable ref = reference();
    RawTable all = ref.filter(r -> "all".equals(r.get("method")));
    assertEquals("0.612 ± 0.007", CrossCheck.cell(all.values("test_acc", r -> true)));
    assertEquals("0.437 ± 0.015", CrossCheck.cell(all.values("test_macro_f1", r -> true)));
    for (CrossCheck.Arm a : CrossCheck.ARMS) {
      assertEquals(3, ref.filter(r -> a.name().equals(r.get("method"))).rows().size(), "reference seeds of " + a.name());
    }
  }

  @Test void linesPerArm(@TempDir Path tmp) throws IOException {
    RawTable ref = reference();
    RawTable ours = ours(tmp, new String[][] {
        // all: the reference's own seeds shifted by +0.002: within
        {"all", "1", "0.615", "0.4497"}, {"all", "2", "0.6065", "0.4224"}, {"all", "3", "0.6205", "0.4461"},
        // gold: accuracy as the reference, macro-F1 0.05 higher in every seed: outside on macro-F1 only
        {"gold", "1", "0.9045", "0.9068"}, {"gold", "2", "0.8885", "0.894"}, {"gold", "3", "0.896", "0.9025"}});
    RawTable all = ours.filter(r -> "all".equals(r.get("arm")));
    RawTable gold = ours.filter(r -> "gold".equals(r.get("arm")));
    String lineAll = CrossCheck.line("all", all, ref.filter(r -> "all".equals(r.get("method"))));
    assertTrue(lineAll.startsWith("- all: within the seed spread — test acc +0.002 (|Δ| ≤ "), lineAll);
    String lineGold = CrossCheck.line("gold", gold, ref.filter(r -> "gold".equals(r.get("method"))));
    assertTrue(lineGold.startsWith("- gold: **outside the seed spread** (test macro-F1) — test acc +0.000"), lineGold);
    assertTrue(lineGold.contains("test macro-F1 +0.050 (|Δ| > "), lineGold);
    String none = CrossCheck.line("topk", ours.filter(r -> "topk".equals(r.get("arm"))),
        ref.filter(r -> "topk".equals(r.get("method"))));
    assertEquals("- topk: not judged (no LLKD-J runs)", none);
    // the whole table: both sides of every arm present on either side, one line each
    String md = CrossCheck.markdown(ours, ref);
    assertTrue(md.contains("| all | LLKD-J | 3 | 0.614 ± 0.007 |"), md);
    assertTrue(md.contains("|  | reference | 3 | 0.612 ± 0.007 | 0.437 ± 0.015 |"), md);
    assertTrue(md.contains("- llkd_lam0.9: not judged (no LLKD-J runs)"), md);
    assertTrue(md.contains(lineAll) && md.contains(lineGold), md);
    assertTrue(md.contains("## Provenance"), md);
    assertFalse(md.contains("Not the reference's setting"), "4,000 rows and 375 steps are the reference's:\n" + md);
    // a TINY run (64 rows) is flagged as unlike the reference
    RawTable tiny = ours(Files.createDirectories(tmp.resolve("tiny")), new String[][] {{"all", "1", "0.3", "0.1", "64"}});
    assertTrue(CrossCheck.markdown(tiny, ref).contains("> **Not the reference's setting**: these LLKD-J runs trained on "
        + "64 rows for 375 steps"), CrossCheck.markdown(tiny, ref));
  }
}
