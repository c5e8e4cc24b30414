package org.llkd.experiments.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.product.ProductFixtures.Run;
import org.llkd.models.encoder.Pooling;

/**
 * The bad-input cases of issue 20 for predict and evaluate (docs/bad-input.md, cases 24-): each exits 2 with one
 * line naming the file, the row/line, what was expected and what was found, and writes no output file.
 */
class ProductBadInputTest {
  @TempDir static Path tmp;
  private static Path model;

  @BeforeAll static void setUp() {
    model = ProductFixtures.modelDir(tmp.resolve("model"), Pooling.CLS, 9);
  }

  private static Run predict(Path input) {
    return ProductFixtures.cli("predict", "--model", model.toString(), "--input", input.toString(), "--output",
        tmp.resolve("never.jsonl").toString());
  }

  private static void refused(Run r, String... parts) {
    assertEquals(2, r.exit(), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    for (String p : parts) assertTrue(r.err().contains(p), "expected '" + p + "' in: " + r.err());
    assertFalse(Files.exists(tmp.resolve("never.jsonl")), "no output is left behind");
  }

  @Test void noTextColumn() throws IOException {
    Path f = Files.writeString(tmp.resolve("notext.csv"), "id,body\n1,hello\n");
    refused(predict(f), f + " line 1 (header): expected a text column named 'text' (choose it with --text-column), "
        + "found the columns [id, body]");
  }

  @Test void brokenQuoteInCsv() throws IOException {
    Path f = Files.writeString(tmp.resolve("quote.csv"), "text,label\n\"fine, really\",positive\n\"never closed,positive\n");
    refused(predict(f), f + " line 3: expected RFC 4180 CSV", "found a parse error", "EOF reached before encapsulated token finished");
  }

  @Test void nonUtf8Bytes() throws IOException {
    Path f = tmp.resolve("latin1.csv");
    Files.write(f, "text\ncaf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1));
    refused(predict(f), f + " line 2: expected UTF-8 text, found invalid UTF-8 byte 0xE9 at byte offset 8");
  }

  @Test void csvRowWithTooFewFields() throws IOException {
    Path f = Files.writeString(tmp.resolve("short.csv"), "id,text,label\n1,hello,positive\n2,bye\n");
    refused(predict(f), f + " row 1 (line 3): expected 3 fields like the header [id, text, label], found 2 fields");
  }

  @Test void modelDirectoryMissingAFile() throws IOException {
    Path m = ProductFixtures.modelDir(tmp.resolve("model-missing"), Pooling.CLS, 9);
    Files.delete(m.resolve("tokenizer.json"));
    Path f = Files.writeString(tmp.resolve("ok.txt"), "hello\n");
    Run r = ProductFixtures.cli("predict", "--model", m.toString(), "--input", f.toString(), "--output",
        tmp.resolve("never.jsonl").toString());
    refused(r, "model directory " + m + ": tokenizer.json: missing");
  }

  @Test void modelDirectoryFromANewerFormatVersion() throws IOException {
    Path m = ProductFixtures.modelDir(tmp.resolve("model-newer"), Pooling.CLS, 9);
    Path json = m.resolve("model.json");
    Files.writeString(json, Files.readString(json).replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"));
    Path f = Files.writeString(tmp.resolve("ok2.txt"), "hello\n");
    Run r = ProductFixtures.cli("predict", "--model", m.toString(), "--input", f.toString(), "--output",
        tmp.resolve("never.jsonl").toString());
    refused(r, "model directory " + m + ": model.json: formatVersion 7 was written by a newer LLKD-J");
  }

  @Test void unknownInputExtension() throws IOException {
    Path f = Files.writeString(tmp.resolve("data.xlsx"), "x");
    refused(predict(f), "expected a .csv, .tsv, .jsonl or .txt file");
  }
}
