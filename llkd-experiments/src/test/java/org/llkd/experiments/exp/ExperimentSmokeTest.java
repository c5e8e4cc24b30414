package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.train.RunMetrics;
import org.llkd.experiments.train.Trainer;

/**
 * One smoke test per experiment class (STYLE 13): its {@code main} logic ({@link ExperimentMain#run}, the
 * same flags as {@code llkd run <Name>}) on the TINY tier, one seed, {@code pubmed_rct_sample}, into a
 * temp dir. Each checks raw.csv (columns, one ok row per run), table.md (every method), the figures
 * (decodable PNGs of real size), provenance.json (git, config, seeds, input hashes, Java, ND4J, host,
 * start/end, wall time), every run's logs, and that {@code --build-only} regenerates table.md
 * byte-identically from raw.csv. MainResultsTable runs every method (so every selector trains once);
 * the ablation, robustness and Fig. 4 grids run a subset through the package-private method hook, to
 * keep the suite short (a TINY run takes 5-13 s on a loaded 2-core machine).
 */
class ExperimentSmokeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String[] tinyArgs(Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of("--tiny", "--seeds", "1", "--dataset", Fixtures.DATASET,
        "--data-root", Fixtures.dataRoot().toString(), "--teachers-root", Fixtures.teachersRoot().toString(),
        "--out", out.toString()));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void mainResultsTable(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("MainResultsTable");
    assertEquals(0, ExperimentMain.run(new MainResultsTable(), tinyArgs(out)));
    RawTable raw = checkRaw(out, List.of(), MainResultsTable.METHODS, 1);
    String md = checkTable(out, MainResultsTable.METHODS);
    // one seed: no spread, no tests (issue 19)
    assertFalse(md.contains("± 0.000"), "a one-seed table shows a spread:\n" + md);
    assertTrue(java.util.regex.Pattern.compile("\n\\| llkd( \\[[^\\]]*\\])? \\| 1 \\|").matcher(md).find(), md);
    assertTrue(md.contains(" — |") && md.contains("- llkd > all: not testable (1 pair)"), md);
    checkPng(out.resolve("main_results.png"));
    checkExperimentProvenance(out, "MainResultsTable", List.of("teacher." + Fixtures.DATASET + ".zeroshot-bge.jsonl"));
    checkRuns(out, raw);
    // The selection bookkeeping must see what the selectors did: "all" and "gold" keep every row,
    // LLKD some, and the ratio-matched baselines run at LLKD's ratio.
    for (String m : List.of("all", "gold")) {
      Map<String, String> r = row(raw, m);
      assertEquals(1.0, Double.parseDouble(r.get("mean_ratio")), 1e-12, m + " keeps every row: " + r);
      assertEquals(1.0, Double.parseDouble(r.get("data_used")), 1e-12, m + " sees every row: " + r);
      assertEquals("0", r.get("empty_steps"), m + ": " + r);
    }
    double llkdRatio = Double.parseDouble(row(raw, "llkd").get("mean_ratio"));
    assertTrue(llkdRatio > 0 && llkdRatio < 1, "LLKD's mean selection ratio " + llkdRatio + " should be in (0, 1)");
    assertTrue(Double.parseDouble(row(raw, "llkd").get("data_used")) > 0, "LLKD used no data");
    double randomRatio = Double.parseDouble(row(raw, "random").get("mean_ratio"));
    assertEquals(llkdRatio, randomRatio, 1.0 / 16 + 1e-9, "random runs at LLKD's ratio (batch 16 rounds to 1/16)");
    // the training rows are evaluated for Figure 4 only (TrainConfig.Schedule.evaluateTrainRows): not here
    for (Map<String, String> r : raw.rows()) {
      assertEquals("", r.get("student_train_acc_all"), "evaluated the train rows (a missing value is empty): " + r);
    }
    assertBuildOnlyReproduces(new MainResultsTable(), out, List.of("main_results.png"));
  }

  @Test
  void fig3Ablation(@TempDir Path tmp) throws Exception {
    List<String> methods = List.of("llkd", "llkd-no-teacher", "llkd-fixed");
    Path out = tmp.resolve("Fig3Ablation");
    assertEquals(0, ExperimentMain.run(new Fig3Ablation(methods), tinyArgs(out)));
    RawTable raw = checkRaw(out, List.of(), methods, 1);
    checkTable(out, methods);
    checkPng(out.resolve("fig3_ablation.png"));
    checkExperimentProvenance(out, "Fig3Ablation", List.of("teacher." + Fixtures.DATASET + ".zeroshot-bge.jsonl"));
    checkRuns(out, raw);
    assertBuildOnlyReproduces(new Fig3Ablation(), out, List.of("fig3_ablation.png"));
  }

  @Test
  void teacherRobustnessTable(@TempDir Path tmp) throws Exception {
    Fixtures.teacher("fewshot-minilm"); // both teachers of the dataset must exist
    List<String> methods = List.of("llkd", "random");
    Path out = tmp.resolve("TeacherRobustnessTable");
    assertEquals(0, ExperimentMain.run(new TeacherRobustnessTable(methods), tinyArgs(out)));
    RawTable raw = checkRaw(out, List.of("teacher", "group"), methods, TeacherRobustnessTable.TEACHERS.size());
    assertEquals(TeacherRobustnessTable.TEACHERS, raw.distinct("teacher"));
    String md = checkTable(out, methods);
    for (String t : TeacherRobustnessTable.TEACHERS) {
      assertTrue(md.contains("## " + Fixtures.DATASET + "/" + t), "table.md lacks the group of teacher " + t + ":\n" + md);
    }
    checkPng(out.resolve("teacher_robustness.png"));
    checkExperimentProvenance(out, "TeacherRobustnessTable", List.of(
        "teacher." + Fixtures.DATASET + ".zeroshot-bge.jsonl", "teacher." + Fixtures.DATASET + ".fewshot-minilm.jsonl"));
    checkRuns(out, raw);
    // The two teachers really differ: the runs read different teacher files.
    Set<String> teacherAcc = new HashSet<>();
    for (Map<String, String> r : raw.rows()) if (r.get("method").equals("llkd")) teacherAcc.add(r.get("teacher_acc_all"));
    assertEquals(2, teacherAcc.size(), "both teachers gave the same teacher accuracy: " + raw.rows());
    assertBuildOnlyReproduces(new TeacherRobustnessTable(), out, List.of("teacher_robustness.png"));
  }

  @Test
  void fig2ConfidenceAndUncertainty(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("Fig2");
    assertEquals(0, ExperimentMain.run(new Fig2ConfidenceAndUncertainty(), tinyArgs(out)));
    RawTable raw = checkRaw(out, List.of(), List.of("llkd"), 1);
    RawTable bins = RawTable.read(out.resolve("bins.csv"));
    assertEquals(List.of("dataset", "panel", "seed", "bin_lo", "bin_hi", "count", "accuracy"), bins.columns());
    int devRows = Fixtures.dataRows(Fixtures.dataRoot().resolve(Fixtures.DATASET).resolve("dev.tsv"));
    int evalRows = Fixtures.tiny("llkd", 1).data().evalRows(); // the student panel covers the evaluated dev rows only
    for (String[] p : new String[][] {{"teacher_confidence", Integer.toString(devRows)},
        {"student_uncertainty", Integer.toString(evalRows)}}) {
      RawTable panel = bins.filter(r -> r.get("panel").equals(p[0]));
      assertEquals(Fig2ConfidenceAndUncertainty.BINS, panel.rows().size(), p[0]);
      double n = 0;
      for (double c : panel.values("count", r -> true)) n += c;
      assertEquals(Double.parseDouble(p[1]), n, p[0] + ": bin counts must add up to the dev rows");
      for (Map<String, String> bin : panel.rows()) correctRows(bin); // each bin's accuracy is (its right rows)/count
    }
    // the student panel is the run's own dev_predictions.csv binned by uncertainty: its right rows are dev accuracy
    RawTable student = bins.filter(r -> r.get("panel").equals("student_uncertainty"));
    long right = 0;
    for (Map<String, String> bin : student.rows()) right += correctRows(bin);
    assertEquals(Double.parseDouble(raw.rows().get(0).get("dev_accuracy")), right / (double) evalRows, 0.0,
        "right rows of the student panel / evaluated dev rows = the run's dev_accuracy");
    String md = Files.readString(out.resolve("table.md"));
    assertTrue(md.contains("teacher confidence") && md.contains("student uncertainty") && md.contains(Fixtures.DATASET), md);
    checkPng(out.resolve("fig2a_teacher_confidence.png"));
    checkPng(out.resolve("fig2b_student_uncertainty.png"));
    checkExperimentProvenance(out, "Fig2ConfidenceAndUncertainty",
        List.of("teacher." + Fixtures.DATASET + ".zeroshot-bge.jsonl"));
    checkRuns(out, raw);
    assertBuildOnlyReproduces(new Fig2ConfidenceAndUncertainty(), out,
        List.of("fig2a_teacher_confidence.png", "fig2b_student_uncertainty.png"));
  }

  @Test
  void fig4SelectionQuality(@TempDir Path tmp) throws Exception {
    List<String> methods = List.of("llkd", "random", "topk");
    Path out = tmp.resolve("Fig4");
    assertEquals(0, ExperimentMain.run(new Fig4SelectionQuality(methods), tinyArgs(out)));
    RawTable raw = checkRaw(out, List.of(), methods, 1);
    checkTable(out, methods);
    // Every method sees every train row once per epoch, so the teacher's accuracy over the rows seen is the same for
    // all three (the selector decides what is trained on, not what is seen), and steps.csv reproduces it exactly.
    assertEquals(1, raw.distinct("teacher_acc_all").size(), "teacher_acc_all differs between methods: " + raw.rows());
    for (Map<String, String> r : raw.rows()) {
      Path run = out.resolve("runs").resolve(r.get("run_id").replaceAll("[^A-Za-z0-9._-]", "_"));
      assertEquals(Double.parseDouble(r.get("teacher_acc_all")), teacherAccuracyFromSteps(run.resolve("steps.csv")), 0.0,
          run + ": teacher_acc_all is not what steps.csv's teacher_acc_batch x batch add up to");
      // the student's train accuracy is over the 64 distinct train rows: a whole number of them
      double studentTrain = Double.parseDouble(r.get("student_train_acc_all"));
      assertFalse(Double.isNaN(studentTrain), "Figure 4 evaluates the training rows: " + r);
      assertEquals(Math.rint(studentTrain * 64) / 64, studentTrain, 0.0, "student_train_acc_all " + studentTrain
          + " is not k/64 in " + r);
    }
    checkPng(out.resolve("fig4_selection_quality.png"));
    checkExperimentProvenance(out, "Fig4SelectionQuality", List.of("teacher." + Fixtures.DATASET + ".zeroshot-bge.jsonl"));
    checkRuns(out, raw);
    assertBuildOnlyReproduces(new Fig4SelectionQuality(), out, List.of("fig4_selection_quality.png"));
  }

  /**
   * CrossCheck on its own inputs (Emotion, the reference's teacher and seed-1 train rows; the TINY tier takes 64 of
   * them): every arm runs once, the derived train split has the reference's 4,000 rows, the LLKD arms record their λ,
   * top-k runs at its LLKD arm's ratio, and the table sets each arm beside the reference with a generated line.
   */
  @Test
  void crossCheck(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("CrossCheck");
    String[] args = {"--tiny", "--seeds", "1", "--dataset", "emotion", "--data-root", Fixtures.dataRoot().toString(),
        "--teachers-root", Fixtures.teachersRoot().toString(), "--out", out.toString()};
    assertEquals(0, ExperimentMain.run(new CrossCheck(), args));
    RawTable raw = RawTable.read(out.resolve("raw.csv"));
    assertEquals("arm", raw.columns().get(0), "the arm tag leads raw.csv");
    assertEquals(CrossCheck.ARMS.stream().map(CrossCheck.Arm::name).toList(),
        List.of("all", "llkd_lam0.999", "llkd_lam0.9", "topk", "topk@llkd_lam0.9", "gold"));
    assertEquals(CrossCheck.ARMS.size(), raw.rows().size(), "one run per arm");
    for (Map<String, String> r : raw.rows()) {
      assertEquals("ok", r.get("status"), r.toString());
      assertEquals("emotion", r.get("dataset"));
      Path run = out.resolve("runs").resolve((r.get("run_id") + "-" + r.get("arm")).replaceAll("[^A-Za-z0-9._-]", "_"));
      JsonNode p = checkProvenance(run.resolve("provenance.json"));
      assertTrue(p.get("inputs").get("teacher").asText().contains("inputs/s1/crosscheck-bge.jsonl"), p.get("inputs").toString());
    }
    Map<String, String> lam9 = raw.filter(r -> "llkd_lam0.9".equals(r.get("arm"))).rows().get(0);
    assertEquals(0.9, Double.parseDouble(lam9.get("momentum")), 1e-12);
    assertEquals(0.999, Double.parseDouble(raw.filter(r -> "llkd_lam0.999".equals(r.get("arm"))).rows().get(0)
        .get("momentum")), 1e-12);
    double ratio9 = Double.parseDouble(lam9.get("mean_ratio"));
    double topk9 = Double.parseDouble(raw.filter(r -> "topk@llkd_lam0.9".equals(r.get("arm"))).rows().get(0)
        .get("mean_ratio"));
    assertEquals(ratio9, topk9, 1.0 / 16 + 1e-9, "top-k at LLKD λ 0.9's ratio (batch 16 rounds to 1/16)");
    List<String> train = Fixtures.lines(out.resolve("inputs/s1/emotion/train.tsv"));
    assertEquals(4001, train.size(), "the reference's 4,000 rows and the header");
    List<String> shipped = Fixtures.lines(Fixtures.dataRoot().resolve("emotion/train.tsv"));
    List<String> rows = Fixtures.lines(CrossCheck.refDir().resolve("train_rows_s1.txt"));
    assertEquals(shipped.get(Integer.parseInt(rows.get(0)) + 1), train.get(1));
    assertEquals(shipped.get(Integer.parseInt(rows.get(3999)) + 1), train.get(4000));
    String md = Files.readString(out.resolve("table.md"));
    for (CrossCheck.Arm a : CrossCheck.ARMS) {
      assertTrue(md.contains("\n| " + a.name() + " | LLKD-J | 1 |"), md);
      assertTrue(md.contains("\n- " + a.name() + ": "), "no line for " + a.name() + ":\n" + md);
    }
    assertFalse(md.contains("run directory missing") || md.contains("NaN"), md);
    assertBuildOnlyReproduces(new CrossCheck(), out, List.of());
  }

  /** Summary beside a MainResultsTable folder: table.md, CD diagrams and its provenance.json with the input's hash. */
  @Test
  void summary(@TempDir Path tmp) throws Exception {
    Path out = SummaryTest.results(tmp, 14, true);
    assertEquals(0, ExperimentMain.run(new Summary(), tinyArgs(out)));
    String md = Files.readString(out.resolve("table.md"));
    assertTrue(md.contains("χ²_F = 9.279"), md);
    for (String f : List.of("cd_test_macro_f1.png", "cd_test_accuracy.png", "data_efficiency.png")) {
      assertTrue(ImageIO.read(out.resolve(f).toFile()) != null, f);
    }
    JsonNode p = JSON.readTree(out.resolve("provenance.json").toFile());
    assertEquals("Summary", p.get("what").asText());
    assertTrue(p.get("inputs").get("MainResultsTable.raw.csv").asText().matches(".+ sha256:[0-9a-f]{64}"), p.toString());
    assertTrue(p.get("git").get("build").get("commit").asText().matches("[0-9a-f]{40}"), p.toString());
    Files.delete(out.resolve("table.md"));
    assertEquals(0, ExperimentMain.run(new Summary(), new String[] {"--build-only", "--out", out.toString()}));
    assertEquals(md, Files.readString(out.resolve("table.md")), "--build-only rebuilds the same table");
  }

  // ---- checks shared by the experiments ----

  /** raw.csv: tags + metrics.csv columns + status; one ok row per method x teacher, seed 1. */
  static RawTable checkRaw(Path out, List<String> tagColumns, List<String> methods, int perMethod) {
    RawTable raw = RawTable.read(out.resolve("raw.csv"));
    List<String> expected = new ArrayList<>(tagColumns);
    expected.addAll(RunMetrics.COLUMNS);
    expected.add("status");
    assertEquals(expected, raw.columns(), "raw.csv columns");
    assertEquals(methods.size() * perMethod, raw.rows().size(), "one raw.csv row per run");
    for (String m : methods) {
      assertEquals(perMethod, raw.filter(r -> m.equals(r.get("method"))).rows().size(), "rows of method " + m);
    }
    Set<String> ids = new HashSet<>();
    for (Map<String, String> r : raw.rows()) {
      assertEquals("ok", r.get("status"), "run failed: " + r);
      assertEquals(Fixtures.DATASET, r.get("dataset"));
      assertEquals("1", r.get("seed"));
      assertEquals("64", r.get("train_rows"), "TINY tier trains on 64 rows");
      assertEquals("8", r.get("steps"), "64 rows / batch 16 x 2 epochs");
      assertTrue(ids.add(r.get("run_id") + r.getOrDefault("teacher", "")), "duplicate run " + r.get("run_id"));
    }
    return raw;
  }

  /** table.md mentions every method in a table row; returns it. */
  static String checkTable(Path out, List<String> methods) throws IOException {
    String md = Files.readString(out.resolve("table.md"));
    for (String m : methods) {
      String shown = m.equals("gold") ? "gold (upper bound)" : m;
      // a row may carry degenerate-run flags after the name, e.g. "| llkd [C? M?] |"
      assertTrue(md.contains("\n| " + shown + " |") || md.contains("\n| " + shown + " ["),
          "table.md has no row for method " + m + ":\n" + md);
    }
    assertTrue(md.contains(Fixtures.DATASET), md);
    assertFalse(md.contains("NaN"), "table.md shows NaN:\n" + md);
    // every row's run directory is found (tagged ones included) and listed in the Provenance section
    assertTrue(md.contains("\n## Provenance\n"), md);
    assertFalse(md.contains("run directory missing"), md);
    RawTable raw = RawTable.read(out.resolve("raw.csv"));
    assertTrue(md.contains("Runs (" + raw.rows().size() + "): "), md);
    return md;
  }

  /** A PNG that decodes, has real dimensions, and is not blank. */
  static void checkPng(Path png) throws IOException {
    assertTrue(Files.isRegularFile(png), "missing figure " + png);
    assertTrue(Files.size(png) > 10_000, png + " is only " + Files.size(png) + " bytes");
    BufferedImage img = ImageIO.read(png.toFile());
    assertNotNull(img, png + " does not decode as an image");
    assertTrue(img.getWidth() >= 600 && img.getHeight() >= 400, png + " is " + img.getWidth() + "x" + img.getHeight());
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) for (int x = 0; x < img.getWidth(); x += 7) colours.add(img.getRGB(x, y));
    assertTrue(colours.size() >= 5, png + " looks blank: " + colours.size() + " colours");
  }

  /** The experiment's provenance.json: every field STYLE 8 asks for, and the hashes of its inputs. */
  static void checkExperimentProvenance(Path out, String name, List<String> teacherInputs) throws IOException {
    JsonNode p = checkProvenance(out.resolve("provenance.json"));
    assertEquals(name, p.get("what").asText());
    assertEquals("TINY", p.get("config").get("tier").asText());
    assertEquals(List.of(Fixtures.DATASET), List.of(p.get("config").get("datasets").get(0).asText()));
    List<String> inputs = new ArrayList<>();
    p.get("inputs").fieldNames().forEachRemaining(inputs::add);
    for (String split : List.of("train", "dev", "test")) {
      assertTrue(inputs.contains("dataset." + Fixtures.DATASET + "." + split), "inputs lack " + split + ": " + inputs);
    }
    for (String t : teacherInputs) assertTrue(inputs.contains(t), "inputs lack " + t + ": " + inputs);
    assertEquals(3 + teacherInputs.size(), inputs.size(), "unexpected inputs " + inputs);
    assertTrue(p.get("runs").get("failed").asInt() == 0, p.get("runs").toString());
  }

  /** Fields every provenance.json has; returns the parsed record. */
  static JsonNode checkProvenance(Path file) throws IOException {
    assertTrue(Files.isRegularFile(file), "missing " + file);
    JsonNode p = JSON.readTree(file.toFile());
    for (String field : List.of("what", "config", "seeds", "git", "java", "nd4j", "host", "inputs", "start", "end",
        "wallSeconds")) {
      assertNotNull(p.get(field), file + " lacks '" + field + "'");
    }
    JsonNode git = p.get("git");
    assertTrue(git.get("commit").asText().matches("[0-9a-f]{40}"), file + ": git commit " + git);
    assertTrue(git.get("dirty").isBoolean(), file + ": git dirty flag " + git);
    // the build stamp (llkd-git.properties from the Maven build): the commit the classes were built from
    assertTrue(git.get("build").get("commit").asText().matches("[0-9a-f]{40}"), file + ": build commit " + git);
    assertTrue(git.get("buildMatchesCheckout").isBoolean(), file + ": " + git);
    if (git.get("buildMatchesCheckout").asBoolean()) {
      assertEquals(git.get("commit").asText(), git.get("build").get("commit").asText(), file + ": " + git);
    }
    assertTrue(p.get("config").isObject() && p.get("config").size() > 3, file + ": config " + p.get("config"));
    assertEquals("[1]", p.get("seeds").toString(), file + ": seeds");
    for (Iterator<Map.Entry<String, JsonNode>> it = p.get("inputs").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      assertTrue(e.getValue().asText().matches(".+ sha256:[0-9a-f]{64}"), file + ": input " + e);
    }
    assertTrue(p.get("inputs").size() > 0, file + ": no inputs");
    assertFalse(p.get("java").get("version").asText().isEmpty(), file + ": java " + p.get("java"));
    assertTrue(p.get("nd4j").get("backend").asText().contains("CpuBackend")
        || p.get("nd4j").get("backend").asText().contains("Cpu"), file + ": nd4j " + p.get("nd4j"));
    assertFalse(p.get("nd4j").get("version").asText().isEmpty(), file + ": nd4j " + p.get("nd4j"));
    // the nd4j-native build read from the loaded library: the one surefire's argLine forced ("" = generic)
    String ext = System.getProperty("org.bytedeco.javacpp.platform.extension");
    assertNotNull(ext, "surefire's argLine sets -Dorg.bytedeco.javacpp.platform.extension (parent pom.xml)");
    JsonNode nb = p.get("nd4j").get("nativeBuild");
    assertNotNull(nb, file + ": nd4j.nativeBuild missing: " + p.get("nd4j"));
    assertEquals(ext.isEmpty() ? "generic" : ext.substring(1), nb.get("name").asText(), file + ": " + nb);
    assertTrue(nb.get("library").asText().contains("nd4jcpu"), file + ": " + nb);
    assertFalse(p.get("host").get("name").asText().isEmpty(), file + ": host " + p.get("host"));
    assertTrue(p.get("host").get("cores").asInt() >= 1, file + ": host " + p.get("host"));
    Instant start = Instant.parse(p.get("start").asText());
    Instant end = Instant.parse(p.get("end").asText());
    assertFalse(end.isBefore(start), file + ": end before start");
    assertTrue(p.get("wallSeconds").isNumber() && p.get("wallSeconds").asDouble() >= 0, file + ": wallSeconds");
    return p;
  }

  /** Every run directory: logs with the documented columns and one row per step/epoch, and its provenance. */
  static void checkRuns(Path out, RawTable raw) throws IOException {
    for (Map<String, String> r : raw.rows()) {
      // RunGrid names a run directory <run_id>[-<tag values>], one level, with '/' etc. replaced by '_'.
      String runId = (r.get("run_id") + (r.containsKey("teacher") ? "-" + r.get("teacher") + "-" + r.get("group") : ""))
          .replaceAll("[^A-Za-z0-9._-]", "_");
      Path run = out.resolve("runs").resolve(runId);
      assertTrue(Files.isDirectory(run), "no run directory " + run);
      List<String> steps = Fixtures.lines(run.resolve("steps.csv"));
      assertEquals(String.join(",", Trainer.STEP_COLUMNS), steps.get(0), run + "/steps.csv header");
      assertEquals(Integer.parseInt(r.get("steps")), steps.size() - 1, run + "/steps.csv rows");
      List<String> epochs = Fixtures.lines(run.resolve("epochs.csv"));
      assertEquals(String.join(",", Trainer.EPOCH_COLUMNS), epochs.get(0), run + "/epochs.csv header");
      assertEquals(Integer.parseInt(r.get("epochs")), epochs.size() - 1, run + "/epochs.csv rows");
      assertEquals(String.join(",", RunMetrics.COLUMNS), Fixtures.lines(run.resolve("metrics.csv")).get(0));
      assertEquals(Double.parseDouble(r.get("test_accuracy")), accuracyFromProbs(run.resolve(Trainer.TEST_PROBS_FILE)),
          0.0, run + ": test_accuracy is not the argmax accuracy of the run's own " + Trainer.TEST_PROBS_FILE);
      assertFalse(Files.exists(run.resolve("FAILED.txt")), run + " failed");
      JsonNode p = checkProvenance(run.resolve("provenance.json"));
      assertEquals(r.get("method"), p.get("config").get("method").asText(), run + " provenance config");
      assertTrue(p.get("inputs").has("teacher") && p.get("inputs").has("dataset.train"), run + " provenance inputs");
    }
  }

  /** Accuracy of {@code test_probs.csv.gz} (id, gold class index, one probability column per label): argmax = gold. */
  static double accuracyFromProbs(Path gz) throws IOException {
    try (Reader in = new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8);
         CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
      int numClasses = csv.getHeaderNames().size() - 2;
      int n = 0;
      int right = 0;
      for (CSVRecord row : csv) {
        int best = 0;
        for (int k = 1; k < numClasses; k++) {
          if (Double.parseDouble(row.get(2 + k)) > Double.parseDouble(row.get(2 + best))) best = k;
        }
        n++;
        if (best == Integer.parseInt(row.get("gold"))) right++;
      }
      assertTrue(n > 0, gz + " has no rows");
      return right / (double) n;
    }
  }

  /** Teacher accuracy over every row occurrence of steps.csv: sum of teacher_acc_batch x batch over sum of batch. */
  static double teacherAccuracyFromSteps(Path stepsCsv) {
    long right = 0;
    long seen = 0;
    for (Map<String, String> step : RawTable.read(stepsCsv).rows()) {
      int batch = Integer.parseInt(step.get("batch"));
      double correct = Double.parseDouble(step.get("teacher_acc_batch")) * batch;
      assertEquals(Math.rint(correct), correct, 1e-9, stepsCsv + ": teacher_acc_batch x batch is no row count: " + step);
      right += Math.round(correct);
      seen += batch;
    }
    return right / (double) seen;
  }

  /** Right rows of one bins.csv row: accuracy x count, which must be a whole number (accuracy empty for count 0). */
  static long correctRows(Map<String, String> bin) {
    int count = Integer.parseInt(bin.get("count"));
    if (count == 0) {
      assertEquals("", bin.get("accuracy"), "an empty bin has no accuracy: " + bin);
      return 0;
    }
    double right = Double.parseDouble(bin.get("accuracy")) * count;
    assertEquals(Math.rint(right), right, 1e-9, "accuracy x count is no row count: " + bin);
    return Math.round(right);
  }

  private static Map<String, String> row(RawTable raw, String method) {
    List<Map<String, String>> rows = raw.filter(r -> method.equals(r.get("method"))).rows();
    assertEquals(1, rows.size(), method);
    return rows.get(0);
  }

  /** Deletes table.md and the figures, runs --build-only, and compares table.md byte for byte. */
  static void assertBuildOnlyReproduces(Experiment fresh, Path out, List<String> figures) throws IOException {
    byte[] table = Files.readAllBytes(out.resolve("table.md"));
    Files.delete(out.resolve("table.md"));
    for (String f : figures) Files.delete(out.resolve(f));
    assertEquals(0, ExperimentMain.run(fresh, new String[] {"--build-only", "--out", out.toString()}));
    assertArrayEquals(table, Files.readAllBytes(out.resolve("table.md")), "--build-only wrote another table.md");
    for (String f : figures) checkPng(out.resolve(f));
  }
}
