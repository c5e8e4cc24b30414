package org.llkd.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.textfile.TextFileException;

/** The shipped data: every split loads, counts match data/MANIFEST.md, originals agree with the TSVs. */
class DatasetCatalogTest {
  static final Path ROOT = TestFiles.dataRoot();

  /** train/dev/test row counts from data/MANIFEST.md. */
  static final Map<String, int[]> MANIFEST_COUNTS = Map.of(
      "emotion", new int[] {16_000, 2_000, 2_000},
      "yahoo_answers", new int[] {9_000, 1_000, 10_000},
      "pubmed_rct_sample", new int[] {300, 100, 100},
      "nicta_piboso", new int[] {6_979, 801, 1_991},
      "scicite", new int[] {7_320, 916, 1_861},
      "ag_news", new int[] {4_500, 500, 7_600},
      "mag_fos", new int[] {5_038, 560, 22_399});

  @TempDir Path tmp;

  @Test
  void everyShippedSplitLoadsWithManifestCountsAndVerifiedHashes() {
    assertEquals(MANIFEST_COUNTS.keySet(), Set.copyOf(DatasetCatalog.SHIPPED));
    for (String name : DatasetCatalog.SHIPPED) {
      for (Split split : Split.values()) {
        TextDataset ds = DatasetCatalog.load(ROOT, name, split);
        assertEquals(MANIFEST_COUNTS.get(name)[split.ordinal()], ds.size(), name + "/" + split.id());
        assertEquals(split.sampleId(ds.size() - 1), ds.get(ds.size() - 1).id());
      }
    }
  }

  @Test
  void classCountsAndFirstRowsMatchTheManifestAndFiles() {
    TextDataset rct = DatasetCatalog.load(ROOT, "pubmed_rct_sample", Split.TRAIN);
    assertEquals(PubMedRctReader.LABELS, rct.labels());
    assertArrayEquals(new int[] {35, 19, 99, 105, 42}, rct.classCounts());

    TextDataset emo = DatasetCatalog.load(ROOT, "emotion", Split.TRAIN);
    assertEquals(new Sample("train-0", "i didnt feel humiliated", 0), emo.get(0));
    assertArrayEquals(new int[] {4_666, 5_362, 1_304, 2_159, 1_937, 572}, emo.classCounts());

    TextDataset nicta = DatasetCatalog.load(ROOT, "nicta_piboso", Split.DEV);
    assertArrayEquals(new int[] {57, 33, 191, 378, 6, 136}, nicta.classCounts());
    assertEquals("study design", nicta.labels().name(4));

    TextDataset yahoo = DatasetCatalog.load(ROOT, "yahoo_answers", Split.DEV);
    assertEquals(YahooAnswersReader.LABELS, yahoo.labels());
  }

  @Test
  void leadingAndTrailingSpacesAreKept() {
    // MANIFEST: 920 ag_news train texts have leading or trailing spaces.
    TextDataset ag = DatasetCatalog.load(ROOT, "ag_news", Split.TRAIN);
    long padded = ag.samples().stream().filter(s -> !s.text().equals(s.text().strip())).count();
    assertEquals(920, padded);
  }

  @Test
  void pubMedReaderOnNictaOriginalsGivesExactlyTheShippedTsvs() {
    LabelSet labels = DatasetCatalog.labels(ROOT, "nicta_piboso");
    Map<Split, String> files = Map.of(Split.TRAIN, "train_clean.txt", Split.DEV, "dev_clean.txt",
        Split.TEST, "test_clean.txt");
    for (Split split : Split.values()) {
      TextDataset original = PubMedRctReader.read(ROOT.resolve("nicta_piboso/original/" + files.get(split)),
          "nicta_piboso", split, labels);
      assertEquals(DatasetCatalog.load(ROOT, "nicta_piboso", split).samples(), original.samples(), split.id());
    }
  }

  @Test
  void emotionReaderOnOriginalsGivesExactlyTheShippedTsvs() {
    Map<Split, String> files = Map.of(Split.TRAIN, "train.txt", Split.DEV, "val.txt", Split.TEST, "test.txt");
    for (Split split : Split.values()) {
      TextDataset original = EmotionReader.read(ROOT.resolve("emotion/original/" + files.get(split)), "emotion",
          split, EmotionReader.LABELS);
      assertEquals(DatasetCatalog.load(ROOT, "emotion", split).samples(), original.samples(), split.id());
    }
  }

  @Test
  void aChangedFileIsRejectedAgainstSha256Sums() throws Exception {
    Path root = tmp.resolve("data");
    Files.createDirectories(root.resolve("pubmed_rct_sample"));
    for (String f : List.of("labels.txt", "dev.tsv")) {
      Files.copy(ROOT.resolve("pubmed_rct_sample").resolve(f), root.resolve("pubmed_rct_sample").resolve(f));
    }
    Files.copy(ROOT.resolve("SHA256SUMS"), root.resolve("SHA256SUMS"));
    assertEquals(100, DatasetCatalog.load(root, "pubmed_rct_sample", Split.DEV).size());

    Path dev = root.resolve("pubmed_rct_sample/dev.tsv");
    Files.writeString(dev, Files.readString(dev, StandardCharsets.UTF_8).replaceFirst("\nRESULTS\t", "\nMETHODS\t"),
        StandardCharsets.UTF_8);
    TextFileException e = assertThrows(TextFileException.class,
        () -> DatasetCatalog.load(root, "pubmed_rct_sample", Split.DEV));
    assertEquals(root.resolve("SHA256SUMS").toString(), e.file());
    assertTrue(e.expected().startsWith("sha256 605101bf7e53801e471bebbe6a33c3242966fa40e74ae2b9d80c52fd928e38bd"),
        e.expected());
  }

  @Test
  void unknownDatasetNamesWhatExists() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DatasetCatalog.load(ROOT, "arxiv10", Split.TRAIN));
    assertTrue(e.getMessage().contains("[ag_news, emotion, mag_fos, nicta_piboso, pubmed_rct_sample, scicite, "
        + "yahoo_answers]"), e.getMessage());
  }
}
