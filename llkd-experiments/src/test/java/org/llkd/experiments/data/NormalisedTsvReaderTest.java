package org.llkd.experiments.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.textfile.TextFileException;

class NormalisedTsvReaderTest {
  static final LabelSet AG = LabelSet.of("World", "Sports", "Business", "Sci/Tech");

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  @Test
  void splitsOnFirstTabOnlyAndKeepsTextsVerbatim() throws Exception {
    Path tsv = write("train.tsv", "label\ttext\n"
        + "Sci/Tech\t  NASA's \"Mars\" probe \\n lands  \n"
        + "World\tone\ttwo\n"
        + "Sports\tx\n");
    TextDataset ds = NormalisedTsvReader.read(tsv, "ag_news", Split.TRAIN, AG);

    assertEquals(List.of(
        new Sample("train-0", "  NASA's \"Mars\" probe \\n lands  ", 3),
        new Sample("train-1", "one\ttwo", 0),
        new Sample("train-2", "x", 1)), ds.samples());
    assertEquals("ag_news", ds.name());
    assertEquals(Split.TRAIN, ds.split());
    assertEquals(tsv, ds.source());
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tsv)));
    assertEquals(sha, ds.sha256());
    assertEquals(2, ds.indexOf("train-2"));
  }

  @Test
  void labelsWithSpacesAndAmpersandsAreMatchedExactly() throws Exception {
    LabelSet yahoo = YahooAnswersReader.LABELS;
    Path tsv = write("dev.tsv", "label\ttext\nSociety & Culture\ta\nPolitics & Government\tb\n");
    TextDataset ds = NormalisedTsvReader.read(tsv, "yahoo_answers", Split.DEV, yahoo);
    assertEquals(List.of(new Sample("dev-0", "a", 0), new Sample("dev-1", "b", 9)), ds.samples());

    Path lower = write("test.tsv", "label\ttext\nsociety & culture\ta\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> NormalisedTsvReader.read(lower, "yahoo_answers", Split.TEST, yahoo));
    assertEquals(2, e.line());
  }

  @Test
  void rejectsWrongHeader() throws Exception {
    Path tsv = write("train.tsv", "text\tlabel\nWorld\tx\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> NormalisedTsvReader.read(tsv, "ag_news", Split.TRAIN, AG));
    assertEquals(1, e.line());
    assertEquals("\"text\\tlabel\"", e.found());
  }

  @Test
  void rejectsHeaderWithoutRows() throws Exception {
    Path tsv = write("train.tsv", "label\ttext\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> NormalisedTsvReader.read(tsv, "ag_news", Split.TRAIN, AG));
    assertEquals("no samples in the whole file", e.found());
  }

  @Test
  void idsRejectForeignOrMalformedIds() throws Exception {
    TextDataset ds = NormalisedTsvReader.read(write("t.tsv", "label\ttext\nWorld\ta\nWorld\tb\n"), "ag", Split.TEST, AG);
    assertEquals(1, ds.indexOf("test-1"));
    for (String bad : new String[] {"train-1", "test-01", "test-2", "test--1", "test-", "test-x"}) {
      assertThrows(IllegalArgumentException.class, () -> ds.indexOf(bad), bad);
    }
  }
}
