package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.report.RawTable;

/** Smoke test of {@link TeacherBudget} on the tiny tier: 3 budgets x {planner, random} x 1 seed, then --resume. */
class TeacherBudgetTest {
  @Test
  void tinyGridWritesPlansTableFigureAndProvenanceAndResumeSkipsFinishedRuns(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("TeacherBudget");
    String[] args = {"--tiny", "--seeds", "1", "--dataset", Fixtures.DATASET, "--data-root",
        Fixtures.dataRoot().toString(), "--teachers-root", Fixtures.teachersRoot().toString(), "--out", out.toString()};
    assertEquals(0, ExperimentMain.run(new TeacherBudget(), args));
    RawTable raw = RawTable.read(out.resolve("raw.csv"));
    assertEquals(TeacherBudget.COLUMNS, raw.columns());
    assertEquals(6, raw.rows().size());
    for (Map<String, String> r : raw.rows()) {
      assertEquals("ok", r.get("status"), r.toString());
      double f1 = Double.parseDouble(r.get("test_macro_f1"));
      assertTrue(f1 >= 0 && f1 <= 1, r.toString());
      Path plan = out.resolve("runs").resolve(r.get("run_id")).resolve("plan.txt");
      List<String> ids = Files.readAllLines(plan);
      assertEquals(Integer.parseInt(r.get("budget_rows")), ids.size(), plan.toString());
      assertEquals(ids.size(), new HashSet<>(ids).size(), "no row planned twice: " + ids);
      assertEquals(r.get("budget_rows"), r.get("teacher_calls"));
      assertTrue(Files.isRegularFile(out.resolve("runs").resolve(r.get("run_id")).resolve("provenance.json")));
    }
    assertEquals("3", raw.rows().get(0).get("budget_rows"), "5% of the tiny pool of 64 rows");
    String md = Files.readString(out.resolve("table.md"));
    assertTrue(md.contains("| 25% | 16 |") && md.contains("## Provenance"), md);
    assertTrue(Files.size(out.resolve("teacher_budget.png")) > 5000);
    assertTrue(Files.readString(out.resolve("provenance.json")).contains("\"git\""));
    // the random plan's first quarter is the planner's random seed set
    String d = Fixtures.DATASET;
    List<String> planner = Files.readAllLines(out.resolve("runs/" + d + "-b25-planner-s1/plan.txt"));
    List<String> random = Files.readAllLines(out.resolve("runs/" + d + "-b25-random-s1/plan.txt"));
    assertEquals(random.subList(0, 4), planner.subList(0, 4));

    String before = Files.readString(out.resolve("raw.csv"));
    long t0 = System.nanoTime();
    String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
    resume[args.length] = "--resume";
    assertEquals(0, ExperimentMain.run(new TeacherBudget(), resume));
    assertEquals(before, Files.readString(out.resolve("raw.csv")), "resume reuses the finished runs' results");
    assertTrue((System.nanoTime() - t0) / 1e9 < 20, "nothing was trained again");
  }
}
