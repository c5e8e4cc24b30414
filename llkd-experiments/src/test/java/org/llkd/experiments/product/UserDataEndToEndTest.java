package org.llkd.experiments.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.product.ProductFixtures.Run;
import org.llkd.selection.teacher.TeacherOutputWriter;
import org.llkd.selection.teacher.TeacherOutputs;

/**
 * Issue 20's end-to-end test on a dataset made here (not from data/): 3 new labels, a CSV train file with quoted
 * commas and Unicode whose rows mostly carry no gold label, an NPY teacher without ids (row order) and a JSONL teacher
 * with ids: train (tiny tier) -> predict -> evaluate -> export onnx -> predict --runtime onnx, outputs agreeing; plus
 * the train-side bad input (--out exists, failed run leaves nothing, labels outside the set).
 */
class UserDataEndToEndTest {
  private static final List<String> LABELS = List.of("billing", "outage, urgent", "éloge");
  private static final String[][] WORDS = {
      {"invoice", "refund", "charged twice", "payment", "receipt"},
      {"down", "cannot log in", "error 500", "crashed", "offline"},
      {"thank you", "wonderful", "great support", "merci beaucoup", "love it"}};
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private static String text(int cls, int i) {
    String[] w = WORDS[cls];
    return "Ticket " + i + ": " + w[i % w.length] + ", and also " + w[(i + 2) % w.length] + " — café ☕ #" + i;
  }

  private static String csvField(String s) { return "\"" + s.replace("\"", "\"\"") + "\""; }

  /** n rows, class i % 3; gold only on every 5th row (the rest: empty label cell). */
  private Path trainCsv(int n) throws IOException {
    StringBuilder sb = new StringBuilder("id,text,label\n");
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      sb.append("t").append(i).append(',').append(csvField(text(c, i))).append(',')
          .append(i % 5 == 0 ? csvField(LABELS.get(c)) : "").append('\n');
    }
    return Files.writeString(tmp.resolve("train.csv"), sb.toString());
  }

  private static double[][] teacherProbs(int n) {
    double[][] p = new double[n][3];
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      int shown = i % 7 == 0 ? (c + 1) % 3 : c; // a teacher that is wrong on 1 row in 7
      for (int k = 0; k < 3; k++) p[i][k] = k == shown ? 0.8 : 0.1;
    }
    return p;
  }

  private static List<String> ids(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add("train-" + i);
    return ids;
  }

  /**
   * A JSONL teacher keyed by the train file's ids (its column named id, the id column without --id-column): t0, t1, ...
   * (the writer takes catalog ids train-&lt;row&gt;, renamed here).
   */
  private static void writeJsonlById(TeacherOutputs t, Path file) throws IOException {
    TeacherOutputWriter.writeJsonl(t, file);
    Files.writeString(file, Files.readString(file).replaceAll("\"train-(\\d+)\"", "\"t$1\""));
  }

  private Path labelsFile() throws IOException {
    return Files.writeString(tmp.resolve("labels.txt"), String.join("\n", LABELS) + "\n");
  }

  private Path devTsv() throws IOException {
    StringBuilder sb = new StringBuilder("text\tlabel\n");
    for (int i = 0; i < 24; i++) sb.append(text(i % 3, 100 + i)).append('\t').append(LABELS.get(i % 3)).append('\n');
    return Files.writeString(tmp.resolve("dev.tsv"), sb.toString());
  }

  private Path testJsonl() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 24; i++) {
      sb.append(JSON.writeValueAsString(Map.of("id", "q" + i, "text", text(i % 3, 200 + i), "label", LABELS.get(i % 3))))
          .append('\n');
    }
    return Files.writeString(tmp.resolve("test.jsonl"), sb.toString());
  }

  private static List<JsonNode> jsonl(Path f) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(f)) out.add(JSON.readTree(l));
    return out;
  }

  @Test void trainPredictEvaluateExportPredictOnnx() throws IOException {
    int n = 60;
    Path train = trainCsv(n);
    // NPY teacher without an ids sidecar: aligned by row order
    Path npy = tmp.resolve("teacher.npy");
    TeacherOutputWriter.writeNpy(TeacherOutputs.ofProbabilities(ids(n), null, teacherProbs(n), Map.of()), npy,
        TeacherOutputWriter.NpyDtype.FLOAT64);
    Files.deleteIfExists(tmp.resolve("teacher.npy.ids.txt"));
    assertFalse(Files.exists(tmp.resolve("teacher.npy.ids.txt")));
    Path out = tmp.resolve("out");
    Run t = ProductFixtures.cli("train", "--train", train.toString(), "--teacher", npy.toString(), "--labels",
        labelsFile().toString(), "--dev", devTsv().toString(), "--test", testJsonl().toString(),
        "--tier", "tiny", "--eval-every", "2", "--out", out.toString());
    assertEquals(0, t.exit(), t.err());
    assertTrue(t.out().startsWith("llkd train: best epoch ") && t.out().contains("60 train rows")
        && t.out().contains("model in " + out.resolve("model")), t.out());
    for (String f : List.of("model/model.json", "model-last/model.json", "metrics.json", "train_log.csv", "curves.png",
        "provenance.json", "run/steps.csv")) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
    assertFalse(Files.exists(out.resolve("run").resolve("checkpoint.zip")));
    JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
    assertEquals("best on dev macro-F1", metrics.get("model").asText());
    assertEquals(24, metrics.get("dev").get("n").asInt());
    assertTrue(metrics.get("test").get("perClass").has("outage, urgent"));
    List<String> log = Files.readAllLines(out.resolve("train_log.csv"));
    assertEquals("step,epoch,kind,loss,selected_ratio,lr,dev_accuracy,dev_macro_f1,dev_ece", log.get(0));
    long devEvals = log.stream().filter(l -> l.contains(",dev,")).count();
    assertTrue(devEvals > 2, "--eval-every 2 adds mid-epoch dev evaluations: " + devEvals);
    // one test figure: metrics.json's. The trainer's last-model files are gone from run/, and the provenance keeps only
    // the run's model-independent numbers (the teacher-vs-gold analysis is NaN: most train rows have no gold)
    for (String f : UserTraining.LAST_MODEL_FILES) assertFalse(Files.exists(out.resolve("run").resolve(f)), f);
    JsonNode runMetrics = JSON.readTree(out.resolve("provenance.json").toFile()).get("runMetrics");
    for (String col : List.of("teacher_acc_all", "teacher_acc_selected")) {
      assertTrue(runMetrics.get(col).asText().equals("NaN"), col + " = " + runMetrics.get(col));
    }
    assertTrue(runMetrics.has("data_used") && !runMetrics.has("test_macro_f1") && !runMetrics.has("dev_macro_f1")
        && !runMetrics.has("student_train_acc_all"), runMetrics.toString());
    assertEquals(metrics.get("steps").asInt(), runMetrics.get("steps").asInt());
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".out.")), "no temporary directory left");
    }

    // predict -> evaluate -> export onnx -> predict --runtime onnx
    Path model = out.resolve("model");
    Path pNd4j = tmp.resolve("p-nd4j.jsonl"), pOnnx = tmp.resolve("p-onnx.jsonl"), onnx = tmp.resolve("onnx"); // the export bundle directory
    Run p1 = ProductFixtures.cli("predict", "--model", model.toString(), "--input", tmp.resolve("test.jsonl").toString(),
        "--id-column", "id", "--output", pNd4j.toString());
    assertEquals(0, p1.exit(), p1.err());
    Run ev = ProductFixtures.cli("evaluate", "--model", model.toString(), "--test", tmp.resolve("test.jsonl").toString(),
        "--out", tmp.resolve("eval").toString());
    assertEquals(0, ev.exit(), ev.err());
    JsonNode evm = JSON.readTree(tmp.resolve("eval").resolve("metrics.json").toFile());
    assertEquals(metrics.get("test").get("accuracy").asDouble(), evm.get("accuracy").asDouble(), 1e-12,
        "llkd evaluate on the test file = the test metrics llkd train reported for the kept model");
    Run ex = ProductFixtures.cli("export", "onnx", "--model", model.toString(), "--out", onnx.toString());
    assertEquals(0, ex.exit(), ex.err());
    Run p2 = ProductFixtures.cli("predict", "--model", model.toString(), "--input", tmp.resolve("test.jsonl").toString(),
        "--id-column", "id", "--output", pOnnx.toString(), "--runtime", "onnx", "--onnx", onnx.toString());
    assertEquals(0, p2.exit(), p2.err());
    List<JsonNode> a = jsonl(pNd4j), b = jsonl(pOnnx);
    assertEquals(24, a.size());
    int correct = 0;
    for (int i = 0; i < a.size(); i++) {
      assertEquals("q" + i, a.get(i).get("id").asText());
      assertEquals(a.get(i).get("id").asText(), b.get(i).get("id").asText());
      assertEquals(a.get(i).get("label").asText(), b.get(i).get("label").asText());
      for (String l : LABELS) {
        assertEquals(a.get(i).get("probabilities").get(l).asDouble(), b.get(i).get("probabilities").get(l).asDouble(), 1e-4);
      }
      if (a.get(i).get("label").asText().equals(LABELS.get(i % 3))) correct++;
    }
    assertEquals(evm.get("accuracy").asDouble(), correct / 24.0, 1e-12, "predict and evaluate agree");

    // a JSONL teacher with ids (label names inside) trains too
    Path jsonlTeacher = tmp.resolve("teacher.jsonl");
    writeJsonlById(TeacherOutputs.ofProbabilities(ids(n), LABELS, teacherProbs(n), Map.of()), jsonlTeacher);
    Run t2 = ProductFixtures.cli("train", "--train", train.toString(), "--teacher", jsonlTeacher.toString(),
        "--tier", "tiny", "--out", tmp.resolve("out2").toString());
    assertEquals(0, t2.exit(), t2.err());
    assertTrue(t2.out().contains("no --dev: last model"), t2.out());
    assertFalse(Files.exists(tmp.resolve("out2").resolve("model-last")));

    // --out exists: refused without --force, nothing changed
    byte[] before = Files.readAllBytes(out.resolve("model").resolve("weights.bin"));
    Run again = ProductFixtures.cli("train", "--train", train.toString(), "--teacher", jsonlTeacher.toString(),
        "--tier", "tiny", "--out", out.toString());
    assertEquals(2, again.exit());
    assertTrue(again.err().contains("output directory " + out + " already exists; pass --force"), again.err());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(out.resolve("model").resolve("weights.bin"))));

    // with --force a new run (another seed) replaces it whole: new weights, no model-last (no --dev), no temp left
    Run forced = ProductFixtures.cli("train", "--train", train.toString(), "--teacher", jsonlTeacher.toString(),
        "--tier", "tiny", "--seed", "7", "--out", out.toString(), "--force");
    assertEquals(0, forced.exit(), forced.err());
    assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(out.resolve("model").resolve("weights.bin"))));
    assertFalse(Files.exists(out.resolve("model-last")), "the old run's files are gone, not merged");
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("." + out.getFileName() + ".")));
    }
  }

  @Test void failedRunLeavesNoHalfModel() throws IOException {
    Path train = trainCsv(30);
    Path teacher = tmp.resolve("short.jsonl");
    writeJsonlById(TeacherOutputs.ofProbabilities(ids(29), LABELS, teacherProbs(29), Map.of()), teacher);
    Path out = tmp.resolve("never");
    Run r = ProductFixtures.cli("train", "--train", train.toString(), "--teacher", teacher.toString(), "--tier", "tiny",
        "--out", out.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(teacher + ": id 't29' of " + train + " row 29 (line 31) has no teacher row; "
        + "expected one teacher row per train row (30 rows in " + train + "), found 29 teacher rows"), r.err());
    assertFalse(Files.exists(out));
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".never.")));
    }
  }

  @Test void devLabelOutsideTheLabelSet() throws IOException {
    Path train = trainCsv(30);
    Path teacher = tmp.resolve("t.jsonl");
    writeJsonlById(TeacherOutputs.ofProbabilities(ids(30), LABELS, teacherProbs(30), Map.of()), teacher);
    Path dev = Files.writeString(tmp.resolve("bad-dev.tsv"), "text\tlabel\nan invoice\tbilling\nhello\tgreeting\n");
    Run r = ProductFixtures.cli("train", "--train", train.toString(), "--teacher", teacher.toString(), "--dev",
        dev.toString(), "--tier", "tiny", "--out", tmp.resolve("o").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(dev + " row 1 (line 3): expected a label in [billing, outage, urgent, éloge], found "
        + "'greeting'"), r.err());
  }

  @Test void teacherClassesDifferFromTheLabels() throws IOException {
    Path train = trainCsv(30);
    Path teacher = tmp.resolve("t2.jsonl");
    writeJsonlById(TeacherOutputs.ofProbabilities(ids(30), List.of("billing", "outage", "praise"),
        teacherProbs(30), Map.of()), teacher);
    Run r = ProductFixtures.cli("train", "--train", train.toString(), "--teacher", teacher.toString(), "--labels",
        labelsFile().toString(), "--tier", "tiny", "--out", tmp.resolve("o2").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("llkd: " + teacher), r.err());
    assertTrue(r.err().contains("outage, urgent") || r.err().contains("éloge"), r.err());
  }
}
