package org.llkd.experiments.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.product.ProductFixtures.Run;
import org.llkd.models.classifier.TextClassifier;
import org.llkd.models.encoder.Pooling;

/**
 * Files as Excel, Notepad and pandas write them: a UTF-8 byte-order mark in every format, blank lines (skipped the same
 * way in CSV, TSV, JSONL and TXT), empty texts (classified like any text); and a file that turns bad midway: nothing
 * half-written to --output, a FAILED last line on stdout.
 */
class EverydayInputFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path model;

  @BeforeAll static void setUp() {
    model = ProductFixtures.modelDir(tmp.resolve("model"), Pooling.MEAN, 3);
  }

  private static List<JsonNode> jsonl(Path f) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(f)) out.add(JSON.readTree(l));
    return out;
  }

  private static List<String> texts(String file) {
    List<String> out = new ArrayList<>();
    for (TextRow r : TextFileReader.readAll(file, null, TextFileReader.Columns.defaults())) out.add(r.text());
    return out;
  }

  @Test void byteOrderMarkIsSkippedInEveryFormat() throws IOException {
    String bom = "\uFEFF";
    Path csv = Files.writeString(tmp.resolve("excel.csv"), bom + "text,label\r\nfirst,neg\r\nsecond,pos\r\n");
    Path tsv = Files.writeString(tmp.resolve("bom.tsv"), bom + "text\tlabel\nfirst\tneg\nsecond\tpos\n");
    Path jsonl = Files.writeString(tmp.resolve("bom.jsonl"), bom + "{\"text\": \"first\"}\n{\"text\": \"second\"}\n");
    Path txt = Files.writeString(tmp.resolve("bom.txt"), bom + "first\nsecond\n");
    for (Path f : List.of(csv, tsv, jsonl, txt)) {
      assertEquals(List.of("first", "second"), texts(f.toString()), f + ": the header's 'text' or the first text has no BOM");
    }
  }

  @Test void blankLinesAreSkippedTheSameWayInEveryFormat() throws IOException {
    Path csv = Files.writeString(tmp.resolve("blank.csv"), "text,label\n\nfirst,neg\n   \nsecond,pos\n\n");
    Path tsv = Files.writeString(tmp.resolve("blank.tsv"), "text\tlabel\n\nfirst\tneg\n \t \nsecond\tpos\n\n");
    Path jsonl = Files.writeString(tmp.resolve("blank.jsonl"), "\n{\"text\": \"first\"}\n  \n{\"text\": \"second\"}\n\n");
    Path txt = Files.writeString(tmp.resolve("blank.txt"), "\nfirst\n \t\nsecond\n\n\n");
    for (Path f : List.of(csv, tsv, jsonl, txt)) {
      List<TextRow> rows = TextFileReader.readAll(f.toString(), null, TextFileReader.Columns.defaults());
      assertEquals(List.of("first", "second"), rows.stream().map(TextRow::text).toList(), f.toString());
      assertEquals(List.of("0", "1"), rows.stream().map(TextRow::id).toList(), f + ": blank lines are not rows");
    }
    // a line break inside a quoted CSV field is part of the text, not a blank line
    Path quoted = Files.writeString(tmp.resolve("quoted.csv"), "text\n\"two\n\nparagraphs\"\nnext\n");
    assertEquals(List.of("two\n\nparagraphs", "next"), texts(quoted.toString()));
  }

  @Test void emptyAndWhitespaceTextsArePredictedLikeAnyText() throws IOException {
    Path in = Files.writeString(tmp.resolve("empties.jsonl"),
        "{\"text\": \"hello\"}\n{\"text\": \"\"}\n{\"text\": \"   \"}\n{\"text\": \"bye\"}\n");
    Path out = tmp.resolve("empties-pred.jsonl");
    Run r = ProductFixtures.cli("predict", "--model", model.toString(), "--input", in.toString(), "--output", out.toString());
    assertEquals(0, r.exit(), r.err());
    List<JsonNode> rows = jsonl(out);
    assertEquals(4, rows.size());
    try (TextClassifier clf = TextClassifier.load(model)) {
      List<String> texts = List.of("hello", "", "   ", "bye");
      for (int i = 0; i < 4; i++) {
        assertEquals(clf.predict(texts.get(i)).label(), rows.get(i).get("label").asText(), "row " + i);
      }
    }
    Path tsv = Files.writeString(tmp.resolve("emptytext.tsv"), "text\tlabel\nhello\tpositive\n\tpositive\n");
    Run t = ProductFixtures.cli("predict", "--model", model.toString(), "--input", tsv.toString(), "--output",
        tmp.resolve("emptytext-pred.jsonl").toString());
    assertEquals(0, t.exit(), t.err());
    assertEquals(2, Files.readAllLines(tmp.resolve("emptytext-pred.jsonl")).size());
  }

  /**
   * A one-column CSV as Python's csv.writer writes empty and whitespace texts ({@code ""}, {@code "   "}): rows with
   * that text, predicted like any other, not blank lines; unquoted blank lines still are not rows. Train refuses them
   * with the empty-text message.
   */
  @Test void quotedEmptyCsvFieldsAreRowsNotBlankLines() throws IOException {
    Path in = Files.writeString(tmp.resolve("quoted-empties.csv"), "text\r\nfirst\r\n\"\"\r\n\"   \"\r\nfifth\r\n");
    List<TextRow> rows = TextFileReader.readAll(in.toString(), null, TextFileReader.Columns.defaults());
    assertEquals(List.of("first", "", "   ", "fifth"), rows.stream().map(TextRow::text).toList());
    assertEquals(List.of("0", "1", "2", "3"), rows.stream().map(TextRow::id).toList());
    assertEquals(List.of(2L, 3L, 4L, 5L), rows.stream().map(TextRow::line).toList());
    Path out = tmp.resolve("quoted-empties-pred.jsonl");
    Run r = ProductFixtures.cli("predict", "--model", model.toString(), "--input", in.toString(), "--output", out.toString());
    assertEquals(0, r.exit(), r.err());
    List<JsonNode> preds = jsonl(out);
    assertEquals(List.of("0", "1", "2", "3"), preds.stream().map(n -> n.get("id").asText()).toList(), "one prediction per row");
    try (TextClassifier clf = TextClassifier.load(model)) {
      List<String> texts = List.of("first", "", "   ", "fifth");
      for (int i = 0; i < 4; i++) assertEquals(clf.predict(texts.get(i)).label(), preds.get(i).get("label").asText(), "row " + i);
    }
    // the same rows between unquoted blank lines (skipped): the ids do not move
    Path mixed = Files.writeString(tmp.resolve("quoted-and-blank.csv"), "text\n\nfirst\n\"\"\n   \n\"   \"\n\nfifth\n");
    assertEquals(List.of("first", "", "   ", "fifth"), texts(mixed.toString()));
    // a train file refuses an empty text, quoted or not, naming its row and line
    Path train = Files.writeString(tmp.resolve("quoted-empty-train.csv"), "text\nfirst\n\"\"\nthird\n");
    Path teacher = Files.writeString(tmp.resolve("quoted-empty-teacher.jsonl"), ""
        + "{\"id\": \"train-0\", \"probs\": [0.8, 0.1, 0.1], \"label_names\": [\"a\", \"b\", \"c\"]}\n"
        + "{\"id\": \"train-1\", \"probs\": [0.1, 0.8, 0.1], \"label_names\": [\"a\", \"b\", \"c\"]}\n"
        + "{\"id\": \"train-2\", \"probs\": [0.1, 0.1, 0.8], \"label_names\": [\"a\", \"b\", \"c\"]}\n");
    Run t = ProductFixtures.cli("train", "--train", train.toString(), "--teacher", teacher.toString(), "--tier", "tiny",
        "--out", tmp.resolve("quoted-empty-out").toString());
    assertEquals(2, t.exit(), t.err());
    assertTrue(t.err().contains(train + " row 1 (line 3): expected a non-empty text in every row of a train, dev or test "
        + "file"), t.err());
  }

  /** 40 good rows, then a broken quote on line 42: the failure comes after the first batches went out. */
  private static Path badAfter40() throws IOException {
    StringBuilder sb = new StringBuilder("text\n");
    for (int i = 0; i < 40; i++) sb.append("row ").append(i).append('\n');
    sb.append("\"never closed\n");
    return Files.writeString(tmp.resolve("bad-late.csv"), sb.toString());
  }

  @Test void failureAfterOutputStartedLeavesNoFileAndEndsStdoutWithAFailedLine() throws IOException {
    Path in = badAfter40();
    Path out = tmp.resolve("late.jsonl");
    Run f = ProductFixtures.cli("predict", "--model", model.toString(), "--input", in.toString(), "--output", out.toString(),
        "--batch-size", "8");
    assertEquals(2, f.exit());
    assertTrue(f.err().contains(in + " line 42: expected RFC 4180 CSV"), f.err());
    assertFalse(Files.exists(out), "nothing half-written");
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".late.jsonl.")), "no temporary file left");
    }

    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Run s;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      s = ProductFixtures.cli("predict", "--model", model.toString(), "--input", in.toString(), "--batch-size", "8");
    } finally {
      System.setOut(saved);
    }
    assertEquals(2, s.exit());
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(41, lines.size(), "40 predictions, then the failure line");
    assertTrue(lines.get(39).startsWith("{\"id\":\"39\""), lines.get(39));
    assertTrue(lines.get(40).startsWith("llkd predict: FAILED after 40 rows; the output above is incomplete: " + in
        + " line 42"), lines.get(40));
  }
}
