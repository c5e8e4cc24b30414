package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.report.RawTable;

/**
 * Teacher robustness (paper: LLaMA vs Gemma): LLKD and the main baselines trained on the pseudo-labels
 * of two different stand-in teachers, zero-shot bge-small and few-shot all-MiniLM-L6-v2.
 */
public final class TeacherRobustnessTable extends MethodGridExperiment {
  public static final List<String> TEACHERS = List.of("zeroshot-bge", "fewshot-minilm");
  public static final List<String> METHODS = List.of("llkd", "all", "random", "topk", "soft");

  public TeacherRobustnessTable() { this(METHODS); }

  /** Test hook: runs only {@code methods} (see {@link MethodGridExperiment}). */
  TeacherRobustnessTable(List<String> methods) {
    super(methods, METHODS, "TeacherRobustnessTable");
  }

  @Override public Experiment withMethods(List<String> only) { return new TeacherRobustnessTable(only); }

  @Override public String name() { return "TeacherRobustnessTable"; }

  @Override public String description() {
    return "Teacher robustness: LLKD vs baselines under two stand-in teachers (zero-shot bge, few-shot MiniLM)";
  }

  @Override public List<String> defaultDatasets() { return List.of("emotion"); }

  @Override public void run(ExperimentOptions o) {
    long t0 = System.nanoTime();
    for (String t : TEACHERS) o.withTeacher(t); // validates that every teacher file exists before any run
    ExperimentSupport.prepare(o);
    List<MainResultsTable.SeedGroup> groups = new ArrayList<>();
    for (String t : TEACHERS) {
      ExperimentOptions ot = o.withTeacher(t);
      for (String d : o.inputs().datasets()) {
        for (long seed : o.seedList()) {
          Map<String, String> tags = new LinkedHashMap<>();
          tags.put("teacher", t);
          tags.put("group", d + "/" + t);
          groups.add(new MainResultsTable.SeedGroup(ot, d, seed, tags));
        }
      }
    }
    ExperimentSupport.runAndFinish(this, o, t0, engine -> MainResultsTable.runSeeds(engine, groups, methods));
  }

  @Override public void build(Path expDir) {
    RawTable raw = RawTable.read(expDir.resolve("raw.csv"));
    MethodTables.writeMarkdown(expDir.resolve("table.md"), MethodTables.markdown(raw, "Teacher robustness", "group",
        METHODS, "Groups are dataset/teacher. Random and top-k keep LLKD's mean ratio under the same teacher and seed."));
    MethodTables.figure(raw, expDir.resolve("teacher_robustness.png"), "Test macro-F1 under two teachers",
        "group", METHODS, "test_macro_f1", "test macro-F1");
  }

  public static void main(String[] args) {
    System.exit(ExperimentMain.run(new TeacherRobustnessTable(), args));
  }
}
