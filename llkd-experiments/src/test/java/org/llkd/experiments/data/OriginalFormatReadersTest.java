package org.llkd.experiments.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.textfile.TextFileException;

/** The readers of the paper datasets' original formats, on the fixtures in {@code formats/}. */
class OriginalFormatReadersTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  @Test
  void pubMedRct() {
    TextDataset ds = PubMedRctReader.read(TestFiles.fixture("pubmed_rct.txt"), "pubmed_rct", Split.DEV,
        PubMedRctReader.LABELS);
    assertEquals(List.of(
        new Sample("dev-0", "The aim of this study was to describe the outcomes of a clinic .", 0),
        new Sample("dev-1", "To compare two doses ( 5 mg and 10 mg ) of drug X .", 1),
        new Sample("dev-2", "Patients were randomised 1:1 ; the primary outcome was pain at 6 weeks .", 2),
        new Sample("dev-3", "Pain fell by 2.1 points ( 95 % CI 1.2-3.0 ) in the 10 mg arm .", 3),
        new Sample("dev-4", "Drug X at 10 mg reduced pain ; adverse events were rare .", 4)), ds.samples());
  }

  @Test
  void pubMedRctRejectsSentenceOutsideAnAbstract() throws Exception {
    Path f = write("p.txt", "###1\nMETHODS\tok .\n\nRESULTS\torphan .\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> PubMedRctReader.read(f, "p", Split.TRAIN, PubMedRctReader.LABELS));
    assertEquals(4, e.line());
    assertEquals("a header line ###<abstract id> before sentences", e.expected());
  }

  @Test
  void pubMedRctUnknownLabelNamesTheLine() {
    // The PubMed fixture read with the NICTA label set: BACKGROUND is not "background".
    LabelSet nicta = LabelSet.of("population", "intervention", "background", "outcome", "study design", "other");
    TextFileException e = assertThrows(TextFileException.class,
        () -> PubMedRctReader.read(TestFiles.fixture("pubmed_rct.txt"), "p", Split.TRAIN, nicta));
    assertEquals(2, e.line());
    assertEquals("label \"BACKGROUND\"", e.found());
  }

  @Test
  void yahooAnswers() {
    TextDataset ds = YahooAnswersReader.read(TestFiles.fixture("yahoo_answers.csv"), "yahoo", Split.TEST,
        YahooAnswersReader.LABELS);
    assertEquals(List.of(
        new Sample("test-0", "Why won't my PC boot? It says \"no boot disk\", then stops. Any idea? "
            + "Check the BIOS boot order; C:\\Windows is fine. Then reinstall.", 4),
        new Sample("test-1", "Who won the 2006 World Cup? Italy, on penalties.", 5),
        new Sample("test-2", "What is a filibuster? Heard it on the news. A way to delay a vote by talking for hours.", 9)),
        ds.samples());
  }

  @Test
  void yahooAnswersRejectsClassOutOfRange() throws Exception {
    Path f = write("y.csv", "\"1\",\"a\",\"b\",\"c\"\n\"11\",\"a\",\"b\",\"c\"\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> YahooAnswersReader.read(f, "y", Split.TRAIN, YahooAnswersReader.LABELS));
    assertEquals(2, e.line());
    assertEquals("a class number in 1..10", e.expected());
    assertEquals("class \"11\"", e.found());
  }

  @Test
  void yahooAnswersRejectsUnclosedQuote() throws Exception {
    Path f = write("y.csv", "\"1\",\"a\",\"b\",\"c\"\n\"2\",\"a\",\"b\",\"never closed\nstill open\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> YahooAnswersReader.read(f, "y", Split.TRAIN, YahooAnswersReader.LABELS));
    assertEquals(2, e.line());
    assertEquals("the end of the file inside a quoted field", e.found());
  }

  @Test
  void emotion() {
    TextDataset ds = EmotionReader.read(TestFiles.fixture("emotion.txt"), "emotion", Split.TRAIN, EmotionReader.LABELS);
    assertEquals(List.of(
        new Sample("train-0", "i didnt feel humiliated", 0),
        new Sample("train-1", "i can go from feeling so hopeless to so damned hopeful just from being around someone "
            + "who cares and is awake", 0),
        new Sample("train-2", "im grabbing a minute to post i feel greedy wrong", 3),
        new Sample("train-3", "i feel like a faithful servant", 2),
        new Sample("train-4", "i am feeling a bit anxious; maybe nervous", 4)), ds.samples());
  }

  @Test
  void emotionRejectsLineWithoutSemicolon() throws Exception {
    Path f = write("e.txt", "text;label_name\ni feel fine;joy\ni feel nothing\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> EmotionReader.read(f, "e", Split.TRAIN, EmotionReader.LABELS));
    assertEquals(3, e.line());
    assertEquals("2 fields text;label", e.expected());
  }

  @Test
  void arxiv10AbstractOnlyAndTitlePlusAbstract() {
    Path f = TestFiles.fixture("arxiv10.csv");
    TextDataset abs = Arxiv10Reader.read(f, "arxiv10", Split.TRAIN, Arxiv10Reader.LABELS,
        Arxiv10Reader.TextFields.ABSTRACT);
    assertEquals(List.of(
        new Sample("train-0", "  We study halos with $\\alpha$-profiles. The \"core\" problem is discussed. ", 0),
        new Sample("train-1", "We show a quadratic speed-up for search on graphs.", 8),
        new Sample("train-2", "We bound the error of the lasso.", 9)), abs.samples());

    TextDataset both = Arxiv10Reader.read(f, "arxiv10", Split.TRAIN, Arxiv10Reader.LABELS,
        Arxiv10Reader.TextFields.TITLE_AND_ABSTRACT);
    assertEquals("Dark matter halos, revisited   We study halos with $\\alpha$-profiles. The \"core\" problem is "
        + "discussed. ", both.get(0).text());
    assertEquals("Sparse regression, again We bound the error of the lasso.", both.get(2).text());
  }

  @Test
  void arxiv10RecordAfterAMultiLineRecordHasItsOwnLineNumber() throws Exception {
    Path f = write("a.csv", ",title,abstract,label\n0,t,\"two\nlines\",cs\n1,t,one line,biology\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> Arxiv10Reader.read(f, "a", Split.TRAIN, Arxiv10Reader.LABELS, Arxiv10Reader.TextFields.ABSTRACT));
    assertEquals(4, e.line());
    assertEquals("label \"biology\"", e.found());
  }

  @Test
  void arxiv10RejectsHeaderWithoutNeededColumns() throws Exception {
    Path f = write("a.csv", "title,summary,label\nt,s,cs\n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> Arxiv10Reader.read(f, "a", Split.TRAIN, Arxiv10Reader.LABELS, Arxiv10Reader.TextFields.ABSTRACT));
    assertEquals(1, e.line());
    assertEquals("columns [title, summary, label]", e.found());
  }

  @Test
  void biosBias() {
    Path f = TestFiles.fixture("biosbias.jsonl");
    TextDataset bio = BiosBiasReader.read(f, "biosbias", Split.TRAIN, BiosBiasReader.LABELS,
        BiosBiasReader.Fields.BIO_TITLE);
    assertEquals(List.of(
        new Sample("train-0", "She has ten years of experience in pediatrics.", 13),
        new Sample("train-1", "He writes \"clean\" code\nand tests.", 24),
        new Sample("train-2", "Her work focuses on trade.", 21)), bio.samples());
    assertEquals(28, BiosBiasReader.LABELS.size());

    TextDataset raw = BiosBiasReader.read(f, "biosbias", Split.TRAIN, BiosBiasReader.LABELS,
        BiosBiasReader.Fields.RAW_TITLE);
    assertEquals("Dr. Ann Poe is a professor of history. Her work focuses on trade.", raw.get(2).text());
  }

  @Test
  void biosBiasMissingFieldIsAnErrorNotAFallback() {
    Path f = TestFiles.fixture("biosbias.jsonl");
    TextFileException e = assertThrows(TextFileException.class,
        () -> BiosBiasReader.read(f, "b", Split.TRAIN, BiosBiasReader.LABELS, BiosBiasReader.Fields.BIO_PROFESSION));
    assertEquals(1, e.line());
    assertEquals("no field \"profession\"", e.found());
  }

  @Test
  void biosBiasRejectsBrokenJsonAtItsLine() throws Exception {
    Path f = write("b.jsonl", "{\"bio\": \"x\", \"title\": \"dj\"}\n{\"bio\": \"y\", \"title\": \n");
    TextFileException e = assertThrows(TextFileException.class,
        () -> BiosBiasReader.read(f, "b", Split.TRAIN, BiosBiasReader.LABELS, BiosBiasReader.Fields.BIO_TITLE));
    assertEquals(2, e.line());
    assertEquals("a JSON object with string fields \"bio\" and \"title\"", e.expected());
  }
}
