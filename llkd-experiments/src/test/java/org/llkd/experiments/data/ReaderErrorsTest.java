package org.llkd.experiments.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.textfile.TextFileException;

/** Each strict error names file, line, expected and found. */
class ReaderErrorsTest {
  static final LabelSet AG = NormalisedTsvReaderTest.AG;

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static void assertMessage(TextFileException e) {
    assertTrue(e.getMessage().startsWith(e.file() + " line " + e.line() + ": expected " + e.expected()
        + ", found " + e.found() + "; "), e.getMessage());
  }

  @Test
  void malformedRowWithoutTab() throws Exception {
    Path tsv = write("train.tsv", "label\ttext\nWorld\tfine\nSports no tab here\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> NormalisedTsvReader.read(tsv, "ag_news", Split.TRAIN, AG));
    assertEquals(tsv.toString(), e.file());
    assertEquals(3, e.line());
    assertEquals("2 columns <label><TAB><text>", e.expected());
    assertEquals("1 column (no TAB) in \"Sports no tab here\"", e.found());
    assertMessage(e);
  }

  @Test
  void malformedRecordWithWrongColumnCount() throws Exception {
    Path csv = write("train.csv", "\"1\",\"t\",\"q\",\"a\"\n\"2\",\"title\",\"answer, unquoted comma\"\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> YahooAnswersReader.read(csv, "yahoo", Split.TRAIN, YahooAnswersReader.LABELS));
    assertEquals(2, e.line());
    assertEquals("4 fields \"class\",\"title\",\"question\",\"answer\"", e.expected());
    assertEquals("3 field(s)", e.found());
    assertMessage(e);
  }

  @Test
  void unknownLabel() throws Exception {
    Path tsv = write("dev.tsv", "label\ttext\nWorld\ta\nSci-Tech\tb\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> NormalisedTsvReader.read(tsv, "ag_news", Split.DEV, AG));
    assertEquals(3, e.line());
    assertEquals("a label in [World, Sports, Business, Sci/Tech]", e.expected());
    assertEquals("label \"Sci-Tech\"", e.found());
    assertMessage(e);
  }

  @Test
  void emptyText() throws Exception {
    Path tsv = write("test.tsv", "label\ttext\nWorld\ta\nBusiness\t\nWorld\tb\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> NormalisedTsvReader.read(tsv, "ag_news", Split.TEST, AG));
    assertEquals(3, e.line());
    assertEquals("a non-empty text", e.expected());
    assertEquals("an empty text", e.found());
    assertMessage(e);

    Path blank = write("blank.tsv", "label\ttext\nWorld\t   \n");
    assertEquals("a whitespace-only text", assertThrows(TextFileException.class,
        () -> NormalisedTsvReader.read(blank, "ag_news", Split.TEST, AG)).found());
  }

  @Test
  void duplicateAbstractId() {
    Path f = TestFiles.fixture("pubmed_rct_duplicate_abstract.txt");
    TextFileException e = assertThrows(TextFileException.class,
        () -> PubMedRctReader.read(f, "pubmed", Split.TRAIN, PubMedRctReader.LABELS));
    assertEquals(f.toString(), e.file());
    assertEquals(7, e.line());
    assertEquals("a new abstract id", e.expected());
    assertEquals("abstract id 24491034 again (first on line 1)", e.found());
    assertMessage(e);
  }

  @Test
  void invalidUtf8() throws Exception {
    byte[] head = "label\ttext\nWorld\tok\nSports\tcaf".getBytes(StandardCharsets.UTF_8);
    // 0xE9 is Latin-1 'é'; in UTF-8 it opens a 3-byte sequence that ' ' (0x20) cannot continue.
    byte[] bytes = new byte[head.length + 3];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xE9;
    bytes[head.length + 1] = ' ';
    bytes[head.length + 2] = '\n';
    Path tsv = Files.write(dir.resolve("train.tsv"), bytes);
    TextFileException e = assertThrows(TextFileException.class,
        () -> NormalisedTsvReader.read(tsv, "ag_news", Split.TRAIN, AG));
    assertEquals(3, e.line());
    assertEquals("UTF-8 text", e.expected());
    assertEquals("invalid UTF-8 byte 0xE9 at byte offset " + head.length, e.found());
    assertMessage(e);
  }

  @Test
  void invalidUtf8FarIntoALargeFileIsFoundAtTheRightLine() throws Exception {
    StringBuilder sb = new StringBuilder("label\ttext\n");
    for (int i = 0; i < 20_000; i++) {
      sb.append("World\trow ").append(i).append(" caf\u00e9 \u2014 \uD83D\uDE00\n"); // 1-, 2-, 3- and 4-byte chars
    }
    byte[] good = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] bytes = java.util.Arrays.copyOf(good, good.length + 8);
    System.arraycopy("World\t".getBytes(StandardCharsets.UTF_8), 0, bytes, good.length, 6);
    bytes[good.length + 6] = (byte) 0xC3; // lead byte of a 2-byte sequence, then the file ends
    bytes = java.util.Arrays.copyOf(bytes, good.length + 7);
    Path tsv = Files.write(dir.resolve("big.tsv"), bytes);
    TextFileException e = assertThrows(TextFileException.class,
        () -> NormalisedTsvReader.read(tsv, "ag_news", Split.TRAIN, AG));
    assertEquals(20_002, e.line());
    assertEquals("invalid UTF-8 byte 0xC3 at byte offset " + (good.length + 6), e.found());
  }

  @Test
  void emptyFile() throws Exception {
    Path tsv = write("train.tsv", "");
    TextFileException e = assertThrows(TextFileException.class,
        () -> NormalisedTsvReader.read(tsv, "ag_news", Split.TRAIN, AG));
    assertEquals(tsv.toString(), e.file());
    assertEquals(1, e.line());
    assertEquals("the header \"label\\ttext\"", e.expected());
    assertEquals("an empty file (0 bytes)", e.found());
    assertMessage(e);

    Path pubmed = write("pubmed.txt", "");
    assertEquals("an empty file (0 bytes)", assertThrows(TextFileException.class,
        () -> PubMedRctReader.read(pubmed, "pubmed", Split.TRAIN, PubMedRctReader.LABELS)).found());
  }
}
