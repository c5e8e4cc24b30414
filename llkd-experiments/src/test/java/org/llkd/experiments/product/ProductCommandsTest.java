package org.llkd.experiments.product;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.product.ProductFixtures.Run;
import org.llkd.models.classifier.ModelDirectory;
import org.llkd.models.classifier.Prediction;
import org.llkd.models.classifier.TextClassifier;
import org.llkd.models.encoder.Pooling;

/** llkd predict / evaluate / export onnx on a model directory made here, and their bad input. */
class ProductCommandsTest {
  @TempDir static Path tmp;
  private static Path model;
  private static Path csv;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll static void setUp() throws IOException {
    model = ProductFixtures.modelDir(tmp.resolve("model"), Pooling.MEAN, 3);
    csv = tmp.resolve("in.csv");
    Files.writeString(csv, """
        id,text,label
        a1,"Great film, truly — I loved the café scene",positive
        a2,"It was ""fine"", I guess",neutral
        a3,"Ужасно. Awful, awful
        plot",négatif
        a4,plain text without quotes,positive
        """, StandardCharsets.UTF_8);
  }

  private static List<JsonNode> jsonl(Path f) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(f)) out.add(JSON.readTree(l));
    return out;
  }

  @Test void predictKeepsOrderIdsAndMatchesTheJavaApi() throws IOException {
    Path out = tmp.resolve("pred.jsonl");
    Run r = ProductFixtures.cli("predict", "--model", model.toString(), "--input", csv.toString(), "--output", out.toString(),
        "--id-column", "id", "--batch-size", "3");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("4 texts in") && r.err().contains("texts/s"), r.err());
    List<JsonNode> rows = jsonl(out);
    assertEquals(List.of("a1", "a2", "a3", "a4"), rows.stream().map(n -> n.get("id").asText()).toList());
    List<String> texts = List.of("Great film, truly — I loved the café scene", "It was \"fine\", I guess",
        "Ужасно. Awful, awful\nplot", "plain text without quotes");
    try (TextClassifier clf = TextClassifier.load(model)) {
      List<Prediction> ps = clf.predict(texts);
      for (int i = 0; i < 4; i++) {
        assertEquals(ps.get(i).label(), rows.get(i).get("label").asText());
        for (String l : clf.labels()) {
          assertEquals(ps.get(i).probabilities().get(l), rows.get(i).get("probabilities").get(l).asDouble(), 1e-6); // other batch split: float rounding only
        }
      }
    }
  }

  /** {@code --input -}: the texts come from standard input (one per line by default), in order, same as a file. */
  @Test void predictReadsStandardInput() throws IOException {
    Path out = tmp.resolve("stdin-pred.jsonl");
    java.io.InputStream saved = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream("first text\nsecond, with a comma\nthird\n"
          .getBytes(StandardCharsets.UTF_8)));
      Run r = ProductFixtures.cli("predict", "--model", model.toString(), "--input", "-", "--output", out.toString());
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.err().contains("3 texts in"), r.err());
    } finally {
      System.setIn(saved);
    }
    List<JsonNode> rows = jsonl(out);
    assertEquals(3, rows.size());
    try (TextClassifier clf = TextClassifier.load(model)) {
      List<Prediction> ps = clf.predict(List.of("first text", "second, with a comma", "third"));
      for (int i = 0; i < 3; i++) assertEquals(ps.get(i).label(), rows.get(i).get("label").asText(), "row " + i);
    }
  }

  @Test void predictCsvOutputHasAHeaderAndOneRowPerInput() throws IOException {
    Path out = tmp.resolve("pred.csv");
    Run r = ProductFixtures.cli("predict", "--model", model.toString(), "--input", csv.toString(), "--output", out.toString(),
        "--format", "csv");
    assertEquals(0, r.exit(), r.err());
    String s = Files.readString(out);
    assertTrue(s.startsWith("id,label,p:négatif,\"p:neutral, mixed\",p:positive\n"), s);
    assertTrue(s.contains("\na1,") && s.contains("\na4,"), "the column named id holds the ids without --id-column: " + s);
    assertEquals(5, s.lines().count(), s);
    Path numbered = tmp.resolve("pred-numbered.csv");
    Run n = ProductFixtures.cli("predict", "--model", model.toString(), "--input", csv.toString(), "--output",
        numbered.toString(), "--format", "csv", "--no-id-column");
    assertEquals(0, n.exit(), n.err());
    String t = Files.readString(numbered);
    assertTrue(t.contains("\n0,") && t.contains("\n3,") && !t.contains("\na1,"), "--no-id-column: row numbers: " + t);
  }

  @Test void emptyInputGivesEmptyOutputAndExitZero() throws IOException {
    Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
    Path out = tmp.resolve("empty-out.jsonl");
    Run r = ProductFixtures.cli("predict", "--model", model.toString(), "--input", empty.toString(), "--output", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(0, Files.size(out));
    Path emptyCsv = Files.writeString(tmp.resolve("empty.csv"), "");
    Run r2 = ProductFixtures.cli("predict", "--model", model.toString(), "--input", emptyCsv.toString(), "--output",
        tmp.resolve("empty-out2.jsonl").toString());
    assertEquals(0, r2.exit(), r2.err());
    assertEquals(0, Files.size(tmp.resolve("empty-out2.jsonl")));
  }

  @Test void hundredThousandCharacterTextIsTruncatedNotACrash() throws IOException {
    Path f = tmp.resolve("long.jsonl");
    String longText = "naïve café ".repeat(10_000).substring(0, 100_000);
    Files.writeString(f, JSON.writeValueAsString(Map.of("text", longText)) + "\n" + JSON.writeValueAsString(Map.of("text", "short"))
        + "\n");
    Path out = tmp.resolve("long-out.jsonl");
    Run r = ProductFixtures.cli("predict", "--model", model.toString(), "--input", f.toString(), "--output", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(2, jsonl(out).size());
  }

  @Test void exportOnnxWritesABundleThenPredictWithOnnxRuntimeAgrees() throws IOException {
    Path bundle = tmp.resolve("bundle");
    Run e = ProductFixtures.cli("export", "onnx", "--model", model.toString(), "--out", bundle.toString());
    assertEquals(0, e.exit(), e.err());
    for (String f : List.of("model.onnx", "tokenizer.json", "labels.txt", "README.md")) {
      assertTrue(Files.isRegularFile(bundle.resolve(f)), f + " in " + bundle);
    }
    assertEquals(List.of("négatif", "neutral, mixed", "positive"), Files.readAllLines(bundle.resolve("labels.txt")));
    assertArrayEquals(Files.readAllBytes(model.resolve("tokenizer.json")), Files.readAllBytes(bundle.resolve("tokenizer.json")));
    Path a = tmp.resolve("nd4j.jsonl"), b = tmp.resolve("onnx.jsonl");
    assertEquals(0, ProductFixtures.cli("predict", "--model", model.toString(), "--input", csv.toString(), "--output", a.toString()).exit());
    Run r = ProductFixtures.cli("predict", "--model", model.toString(), "--input", csv.toString(), "--output", b.toString(),
        "--runtime", "onnx", "--onnx", bundle.toString(), "--threads", "2");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("runtime onnx"), r.err());
    assertTrue(r.err().contains("threads 2"), r.err());
    List<JsonNode> x = jsonl(a), y = jsonl(b);
    assertEquals(x.size(), y.size());
    for (int i = 0; i < x.size(); i++) {
      assertEquals(x.get(i).get("label").asText(), y.get(i).get("label").asText());
      for (String l : List.of("négatif", "neutral, mixed", "positive")) {
        assertEquals(x.get(i).get("probabilities").get(l).asDouble(), y.get(i).get("probabilities").get(l).asDouble(), 1e-4);
      }
    }
    Run again = ProductFixtures.cli("export", "onnx", "--model", model.toString(), "--out", bundle.toString());
    assertEquals(2, again.exit());
    assertTrue(again.err().contains("already exists; pass --force"), again.err());
    assertEquals(0, ProductFixtures.cli("export", "onnx", "--model", model.toString(), "--out", bundle.toString(), "--force").exit());
  }

  @Test void exportOnnxRefusesAFileNameForTheBundle() {
    Run r = ProductFixtures.cli("export", "onnx", "--model", model.toString(), "--out", tmp.resolve("student.onnx").toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("expected a directory for the bundle"), r.err());
    assertFalse(Files.exists(tmp.resolve("student.onnx")));
  }

  @Test void predictOnnxRefusesTheBundleOfAnotherModel() throws IOException {
    Path other = ProductFixtures.modelDir(tmp.resolve("other-model"), Pooling.MEAN, 99L);
    Path bundle = tmp.resolve("other-bundle");
    assertEquals(0, ProductFixtures.cli("export", "onnx", "--model", other.toString(), "--out", bundle.toString()).exit());
    Run r = ProductFixtures.cli("predict", "--model", model.toString(), "--input", csv.toString(), "--runtime", "onnx",
        "--onnx", bundle.resolve("model.onnx").toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("does not belong to this model directory"), r.err());
    assertTrue(r.err().contains("weights.bin SHA-256 " + ModelDirectory.weightsSha256(other)), r.err());
    assertTrue(r.err().contains("export it again"), r.err());
  }

  @Test void evaluateWritesMetricsAndConfusion() throws IOException {
    Path test = tmp.resolve("test.tsv");
    Files.writeString(test, "text\tlabel\nI loved it\tpositive\nawful plot\tnégatif\nit was ok\tneutral, mixed\n"
        + "great music\tpositive\n");
    Path out = tmp.resolve("eval");
    Run r = ProductFixtures.cli("evaluate", "--model", model.toString(), "--test", test.toString(), "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
    try (TextClassifier clf = TextClassifier.load(model)) {
      List<Prediction> ps = clf.predict(List.of("I loved it", "awful plot", "it was ok", "great music"));
      String[] gold = {"positive", "négatif", "neutral, mixed", "positive"};
      int correct = 0;
      long[][] conf = new long[3][3];
      for (int i = 0; i < 4; i++) {
        if (ps.get(i).label().equals(gold[i])) correct++;
        conf[clf.labels().indexOf(gold[i])][ps.get(i).labelIndex()]++;
      }
      assertEquals(correct / 4.0, m.get("accuracy").asDouble(), 1e-12);
      List<String> csvLines = Files.readAllLines(out.resolve("confusion.csv"));
      assertEquals("gold\\predicted,négatif,\"neutral, mixed\",positive", csvLines.get(0));
      for (int g = 0; g < 3; g++) {
        String[] cells = csvLines.get(g + 1).substring(csvLines.get(g + 1).lastIndexOf('"') + 1).replaceFirst("^[^,]*,", "").split(",");
        long[] row = new long[3];
        for (int k = 0; k < 3; k++) row[k] = Long.parseLong(cells[cells.length - 3 + k]);
        assertArrayEquals(conf[g], row, csvLines.get(g + 1));
      }
    }
    assertEquals(2, m.get("perClass").get("positive").get("support").asInt());
    assertTrue(m.has("macroF1") && m.has("ece"));
    assertTrue(Files.size(out.resolve("confusion.png")) > 1000);
    Run again = ProductFixtures.cli("evaluate", "--model", model.toString(), "--test", test.toString(), "--out", out.toString());
    assertEquals(2, again.exit());
    assertTrue(again.err().contains("already holds metrics.json"), again.err());
  }

  @Test void evaluateRefusesALabelOutsideTheModel() throws IOException {
    Path test = Files.writeString(tmp.resolve("test-bad.tsv"), "text\tlabel\nfine\tpositive\nhmm\tsarcastic\n");
    Run r = ProductFixtures.cli("evaluate", "--model", model.toString(), "--test", test.toString(), "--out",
        tmp.resolve("eval-bad").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(test + " row 1 (line 3): expected a label of the model [négatif, neutral, mixed, positive], "
        + "found 'sarcastic'"), r.err());
    assertFalse(Files.exists(tmp.resolve("eval-bad").resolve("metrics.json")));
  }

  @Test void everyNewCommandHasHelp() {
    for (String[] cmd : new String[][] {{"train", "--help"}, {"predict", "--help"}, {"evaluate", "--help"}, {"export", "onnx", "--help"},
        {"teacher", "check", "--help"}, {"serve", "--help"}}) {
      Run r = ProductFixtures.cli(cmd);
      assertEquals(0, r.exit(), String.join(" ", cmd));
      assertTrue(r.out().contains("Usage: llkd " + cmd[0]), r.out());
    }
  }
}
